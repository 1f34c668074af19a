/**
 * The internal record types. Every input (Zeek TSV/JSON, Argus, Suricata, nfdump, our own packet
 * engine) produces these, so a module never needs to know where a record came from.
 *
 * Field names follow Slips' internal names where Slips has them (saddr, daddr, sport, dport, dur,
 * sbytes, …) so that Slips users recognise them; the rest are camelCase.
 */

/** Where a record came from; some detections only trust some sources. */
export type RecordSource = "zeek" | "argus" | "suricata" | "nfdump" | "pcap" | "stdin";

/** Slips' interpreted connection state, used by every detection instead of the raw state. */
export type InterpretedState = "Established" | "Not Established";

/** Fields every record has. Addresses are strings as written by the source (IPv4 or IPv6). */
export interface RecordBase {
  /** Unique id of the record (Zeek uid, Suricata flow_id, or one we generate). */
  uid: string;
  /** Start time, unix seconds (fractional). */
  ts: number;
  saddr: string;
  daddr: string;
  /** 0 when the protocol has no ports. */
  sport: number;
  dport: number;
  /** Lower-case transport protocol: tcp, udp, icmp, ipv6-icmp, arp, gre, … or "" when unknown. */
  proto: string;
  source: RecordSource;
  /** Ground-truth labels carried by labelled inputs (`label`, `detailedlabel`), "" when absent. */
  label?: string;
  detailedLabel?: string;
}

export interface ConnRecord extends RecordBase {
  kind: "conn";
  /** Detected application protocol (Zeek `service`), "" when unknown. */
  appproto: string;
  dur: number;
  sbytes: number;
  dbytes: number;
  spkts: number;
  dpkts: number;
  /** IP-level bytes when the source gives them (Zeek orig_ip_bytes/resp_ip_bytes), else 0. */
  sipBytes: number;
  dipBytes: number;
  /** Raw state as the source wrote it (Zeek conn_state, Argus state, Suricata flow.state). */
  state: string;
  interpreted: InterpretedState;
  /** Zeek history string, "" when the source has none. */
  history: string;
  smac: string;
  dmac: string;
  /** For ICMP: type and code when known (Zeek puts them in sport/dport), -1 otherwise. */
  icmpType: number;
  icmpCode: number;
}

export interface DnsRecord extends RecordBase {
  kind: "dns";
  query: string;
  qclass: string;
  qtype: string;
  rcode: string;
  /** IPs, CNAME names and prefixed entries such as `TXT …`. */
  answers: string[];
  ttls: number[];
}

export interface HttpRecord extends RecordBase {
  kind: "http";
  method: string;
  host: string;
  uri: string;
  version: string;
  userAgent: string;
  requestBodyLen: number;
  responseBodyLen: number;
  statusCode: number;
  statusMsg: string;
  respMimeTypes: string[];
  respFuids: string[];
  /** Hashes of the response body, when the packet engine computed them. */
  respMd5?: string;
  respSha1?: string;
}

export interface SslRecord extends RecordBase {
  kind: "ssl";
  version: string;
  cipher: string;
  resumed: boolean;
  established: boolean;
  certChainFps: string[];
  clientCertChainFps: string[];
  subject: string;
  issuer: string;
  serverName: string;
  validationStatus: string;
  curve: string;
  ja3: string;
  ja3s: string;
  isDoH: boolean;
  /** Certificate validity, unix seconds, 0 when unknown. */
  notValidBefore: number;
  notValidAfter: number;
}

export interface X509Record extends RecordBase {
  kind: "x509";
  /** The certificate's fingerprint (files.log fuid or SHA1). */
  fingerprint: string;
  subject: string;
  issuer: string;
  notValidBefore: number;
  notValidAfter: number;
  sanDns: string[];
}

export interface SshRecord extends RecordBase {
  kind: "ssh";
  version: number;
  /** true/false when known, null when the log did not say. */
  authSuccess: boolean | null;
  authAttempts: number;
  client: string;
  server: string;
  cipherAlg: string;
  macAlg: string;
  compressionAlg: string;
  kexAlg: string;
  hostKeyAlg: string;
  hostKey: string;
}

export interface DhcpRecord extends RecordBase {
  kind: "dhcp";
  uids: string[];
  clientAddr: string;
  serverAddr: string;
  mac: string;
  hostName: string;
  requestedAddr: string;
}

export interface FtpRecord extends RecordBase {
  kind: "ftp";
  /** Data-channel port the server announced, 0 when none. */
  usedPort: number;
}

export interface SmtpRecord extends RecordBase {
  kind: "smtp";
  lastReply: string;
}

export interface TunnelRecord extends RecordBase {
  kind: "tunnel";
  tunnelType: string;
  action: string;
}

export interface NoticeRecord extends RecordBase {
  kind: "notice";
  note: string;
  msg: string;
  scanningIp: string;
  scannedPort: number;
  dst: string;
}

export interface FilesRecord extends RecordBase {
  kind: "files";
  txHosts: string[];
  rxHosts: string[];
  fileSource: string;
  analyzers: string[];
  mimeType: string;
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
}

export interface ArpRecord extends RecordBase {
  kind: "arp";
  /** "request" or "reply". */
  operation: string;
  srcHw: string;
  dstHw: string;
  smac: string;
  dmac: string;
}

export interface SoftwareRecord extends RecordBase {
  kind: "software";
  softwareType: string;
  name: string;
  versionMajor: string;
  versionMinor: string;
  unparsedVersion: string;
}

export interface WeirdRecord extends RecordBase {
  kind: "weird";
  name: string;
  addl: string;
}

export interface LoginRecord extends RecordBase {
  kind: "login";
  success: boolean;
  confused: boolean;
  user: string;
  clientUser: string;
}

/** An IDS alert from the input itself (Suricata `alert`, `anomaly`). */
export interface IdsAlertRecord extends RecordBase {
  kind: "ids_alert";
  signature: string;
  signatureId: number;
  category: string;
  severity: number;
}

export type FlowRecord =
  | ConnRecord
  | DnsRecord
  | HttpRecord
  | SslRecord
  | X509Record
  | SshRecord
  | DhcpRecord
  | FtpRecord
  | SmtpRecord
  | TunnelRecord
  | NoticeRecord
  | FilesRecord
  | ArpRecord
  | SoftwareRecord
  | WeirdRecord
  | LoginRecord
  | IdsAlertRecord;

export type RecordKind = FlowRecord["kind"];

/** A record as it reaches modules: with the profile and time window the profiler gave it. */
export type Profiled<R extends FlowRecord = FlowRecord> = R & {
  /** `profile_<ip>` of the profile the record was filed under. */
  profileid: string;
  /** Time-window number, ≥ 1. */
  twid: number;
};
