/**
 * The one list of core pub/sub channels: name, payload type, who publishes, who listens.
 * Modules may add their own channels at run time with `Database.registerChannel`.
 */
import type {
  ArpRecord,
  ConnRecord,
  DhcpRecord,
  DnsRecord,
  FilesRecord,
  FtpRecord,
  HttpRecord,
  IdsAlertRecord,
  LoginRecord,
  NoticeRecord,
  Profiled,
  SmtpRecord,
  SoftwareRecord,
  SshRecord,
  SslRecord,
  TunnelRecord,
  WeirdRecord,
  X509Record,
} from "../records/records.ts";
import type { Evidence } from "../evidence/evidence.ts";
import type { Alert } from "./storage_types.ts";

/** `tw_closed` payload: a profile's time window that the traffic clock has passed. */
export interface TimeWindowRef {
  profileid: string;
  ip: string;
  twid: number;
  /** Window start and end, unix seconds. */
  start: number;
  end: number;
}

export interface NewIp {
  ip: string;
  ts: number;
}

export interface BlockRequest {
  ip: string;
  twid: number;
  reason: string;
}

export interface ControlMessage {
  /** `stop_slips` asks the whole program to stop; `stop_process` asks modules to finish. */
  command: "stop_slips" | "stop_process";
  reason?: string;
}

export interface FinishedModule {
  module: string;
}

/** `port_scanner` payload: a profile found scanning in a window. */
export interface PortScanner {
  profileid: string;
  ip: string;
  twid: number;
}

export interface NewMac {
  ip: string;
  mac: string;
  ts: number;
}

/** Payload type of each core channel. */
export interface ChannelPayloads {
  new_flow: Profiled<ConnRecord>;
  new_dns: Profiled<DnsRecord>;
  new_http: Profiled<HttpRecord>;
  new_ssl: Profiled<SslRecord>;
  new_x509: Profiled<X509Record>;
  new_ssh: Profiled<SshRecord>;
  new_notice: Profiled<NoticeRecord>;
  new_arp: Profiled<ArpRecord>;
  new_dhcp: Profiled<DhcpRecord>;
  new_smtp: Profiled<SmtpRecord>;
  new_ftp: Profiled<FtpRecord>;
  new_software: Profiled<SoftwareRecord>;
  new_tunnel: Profiled<TunnelRecord>;
  new_downloaded_file: Profiled<FilesRecord>;
  new_weird: Profiled<WeirdRecord>;
  new_login: Profiled<LoginRecord>;
  new_ids_alert: Profiled<IdsAlertRecord>;
  new_ip: NewIp;
  new_MAC: NewMac;
  evidence_added: Evidence;
  new_alert: Alert;
  new_blocking: BlockRequest;
  export_evidence: Evidence;
  tw_closed: TimeWindowRef;
  port_scanner: PortScanner;
  finished_modules: FinishedModule;
  control_channel: ControlMessage;
}

export type CoreChannel = keyof ChannelPayloads;

export interface ChannelInfo {
  payload: string;
  publisher: string;
  listeners: string;
}

/** Documentation of every core channel; also the set of names `subscribe` accepts. */
export const CORE_CHANNELS: Record<CoreChannel, ChannelInfo> = {
  new_flow: {
    payload: "Profiled<ConnRecord>",
    publisher: "profiler, for every conn-like flow that is not whitelisted",
    listeners: "network_discovery, flow_alerts, http_analyzer, threat_intelligence, timeline",
  },
  new_dns: {
    payload: "Profiled<DnsRecord>",
    publisher: "profiler",
    listeners: "flow_alerts, threat_intelligence, ip_info",
  },
  new_http: {
    payload: "Profiled<HttpRecord>",
    publisher: "profiler",
    listeners: "http_analyzer, threat_intelligence",
  },
  new_ssl: {
    payload: "Profiled<SslRecord>",
    publisher: "profiler",
    listeners: "flow_alerts, threat_intelligence",
  },
  new_x509: { payload: "Profiled<X509Record>", publisher: "profiler", listeners: "flow_alerts" },
  new_ssh: {
    payload: "Profiled<SshRecord>",
    publisher: "profiler",
    listeners: "flow_alerts, brute_force_detector",
  },
  new_notice: {
    payload: "Profiled<NoticeRecord>",
    publisher: "profiler",
    listeners: "network_discovery, brute_force_detector",
  },
  new_arp: { payload: "Profiled<ArpRecord>", publisher: "profiler", listeners: "arp" },
  new_dhcp: {
    payload: "Profiled<DhcpRecord>",
    publisher: "profiler",
    listeners: "network_discovery, ip_info",
  },
  new_smtp: { payload: "Profiled<SmtpRecord>", publisher: "profiler", listeners: "flow_alerts" },
  new_ftp: { payload: "Profiled<FtpRecord>", publisher: "profiler", listeners: "flow_alerts" },
  new_software: {
    payload: "Profiled<SoftwareRecord>",
    publisher: "profiler",
    listeners: "flow_alerts, brute_force_detector",
  },
  new_tunnel: {
    payload: "Profiled<TunnelRecord>",
    publisher: "profiler",
    listeners: "flow_alerts",
  },
  new_downloaded_file: {
    payload: "Profiled<FilesRecord>",
    publisher: "profiler (files.log, Suricata fileinfo)",
    listeners: "threat_intelligence, flow_alerts",
  },
  new_weird: {
    payload: "Profiled<WeirdRecord>",
    publisher: "profiler",
    listeners: "http_analyzer",
  },
  new_login: { payload: "Profiled<LoginRecord>", publisher: "profiler", listeners: "flow_alerts" },
  new_ids_alert: {
    payload: "Profiled<IdsAlertRecord>",
    publisher: "profiler (Suricata alert/anomaly)",
    listeners: "none by default",
  },
  new_ip: {
    payload: "NewIp",
    publisher: "profiler, on the first sighting of a profile IP",
    listeners: "ip_info",
  },
  new_MAC: {
    payload: "NewMac",
    publisher: "profiler, when an IP↔MAC binding is learned",
    listeners: "ip_info, flow_alerts",
  },
  evidence_added: {
    payload: "Evidence",
    publisher: "Database.addEvidence (any module)",
    listeners: "evidence handler",
  },
  new_alert: { payload: "Alert", publisher: "evidence handler", listeners: "exporters, blocking" },
  new_blocking: {
    payload: "BlockRequest",
    publisher: "evidence handler (with -p)",
    listeners: "blocking",
  },
  export_evidence: {
    payload: "Evidence",
    publisher: "evidence handler",
    listeners: "exporters",
  },
  tw_closed: {
    payload: "TimeWindowRef",
    publisher: "profiler, when the traffic clock passes a window, and for every window at the end",
    listeners: "any module keeping per-window state (it must release it)",
  },
  port_scanner: {
    payload: "PortScanner",
    publisher: "network_discovery, when it reports a port scan (Slips-native or Zeek notice)",
    listeners: "flow_alerts (no UNKNOWN_PORT evidence for a known scanner in that window)",
  },
  finished_modules: {
    payload: "FinishedModule",
    publisher: "each module after shutdownGracefully()",
    listeners: "module host",
  },
  control_channel: {
    payload: "ControlMessage",
    publisher: "module host (stop_process), any part on a fatal error (stop_slips)",
    listeners: "main, every module",
  },
};

export function isCoreChannel(name: string): name is CoreChannel {
  return Object.hasOwn(CORE_CHANNELS, name);
}

/** A message as a module receives it: the channel name and its typed payload. */
export type ChannelMessage = {
  [C in CoreChannel]: { channel: C; data: ChannelPayloads[C] };
}[CoreChannel];
