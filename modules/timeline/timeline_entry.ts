/**
 * One line of a profile's timeline per record, written for a person: who talked to whom, over
 * what, how much. Pure functions of the record and the names learned so far.
 */
import {
  type ConnRecord,
  type DnsRecord,
  type FlowRecord,
  type HttpRecord,
  type Profiled,
  serviceName,
  type SslRecord,
} from "@slips/core";

export type TimelineKind = "conn" | "dns" | "http" | "ssl";

export interface TimelineEntry {
  ts: number;
  kind: TimelineKind;
  /** The other side, from the profile's point of view. */
  peer: string;
  dport: number;
  proto: string;
  text: string;
}

/** Names of IPs learned from DNS answers and TLS server names, for readable lines. */
export type NameOf = (ip: string) => string | undefined;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `2024/05/01 10:00:00.123456` (UTC) when human, else the unix time with 6 decimals. */
export function formatTime(ts: number, human: boolean): string {
  if (!human) return ts.toFixed(6);
  const d = new Date(Math.floor(ts * 1000));
  const micros = Math.round((ts - Math.floor(ts)) * 1e6) % 1e6;
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${
    pad(d.getUTCHours())
  }:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}`;
}

/** Bytes as people read them: 512 B, 1.2 kB, 34.5 MB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** The IP a record's profile belongs to. */
export function profileIpOf(rec: Profiled<FlowRecord>): string {
  return rec.profileid.startsWith("profile_") ? rec.profileid.slice(8) : rec.profileid;
}

/** True when `profileid` is `profile_<ip>`, without building that string. */
function isProfileOf(profileid: string, ip: string): boolean {
  return profileid.length === ip.length + 8 && profileid.endsWith(ip) &&
    profileid.startsWith("profile_");
}

/** "to 8.8.8.8 (dns.google)" from the source's profile, "from 10.0.0.5" from the destination's. */
export function isOutgoing(rec: Profiled<FlowRecord>): boolean {
  return !isProfileOf(rec.profileid, rec.daddr) || rec.saddr === rec.daddr;
}

/**
 * What a conn line says. The module keeps these as columns (conn_columns.ts) and builds the text
 * only when the window is written: the text is most of the cost of a line.
 */
export interface ConnFacts {
  ts: number;
  kind: "conn";
  peer: string;
  dport: number;
  proto: string;
  outgoing: boolean;
  /** The peer's name learned from DNS or TLS when the flow came, or undefined. */
  name: string | undefined;
  /** Zeek's service, or empty. */
  appproto: string;
  /** ICMP type (the source port stands in when the reader had none). */
  icmpType: number;
  sent: number;
  received: number;
  dur: number;
  established: boolean;
}

export function connFacts(f: Profiled<ConnRecord>, nameOf: NameOf): ConnFacts {
  const outgoing = isOutgoing(f);
  const peer = outgoing ? f.daddr : f.saddr;
  return {
    ts: f.ts,
    kind: "conn",
    peer,
    dport: f.dport,
    proto: f.proto || "?",
    outgoing,
    name: nameOf(peer),
    appproto: f.appproto,
    icmpType: f.icmpType >= 0 ? f.icmpType : f.sport,
    sent: outgoing ? f.sbytes : f.dbytes,
    received: outgoing ? f.dbytes : f.sbytes,
    dur: f.dur,
    established: f.interpreted === "Established",
  };
}

export function connText(c: ConnFacts): string {
  let where: string;
  if (c.proto === "icmp" || c.proto === "ipv6-icmp") {
    where = `ICMP type ${c.icmpType}`;
  } else {
    const service = c.appproto || serviceName(c.dport, c.proto);
    where = `${c.dport}/${c.proto}${service ? ` [${service}]` : ""}`;
  }
  const dur = c.dur >= 0.01 ? ` in ${formatDuration(c.dur)}` : "";
  const state = c.established ? "established" : "not established";
  const peer = c.name ? `${c.peer} (${c.name})` : c.peer;
  return `${c.outgoing ? "to" : "from"} ${peer} ${where}, ${state}, sent ${
    formatBytes(c.sent)
  }, received ${formatBytes(c.received)}${dur}`;
}

/** The finished line of a conn record. */
export function connEntry(f: Profiled<ConnRecord>, nameOf: NameOf): TimelineEntry {
  return factsEntry(connFacts(f, nameOf));
}

/** The line of a conn's facts. */
export function factsEntry(c: ConnFacts): TimelineEntry {
  return {
    ts: c.ts,
    kind: "conn",
    peer: c.peer,
    dport: c.dport,
    proto: c.proto,
    text: connText(c),
  };
}

export function dnsEntry(d: Profiled<DnsRecord>): TimelineEntry {
  const answers = d.answers.filter((a) => a !== "");
  const shown = answers.slice(0, 5).join(", ") +
    (answers.length > 5 ? ` and ${answers.length - 5} more` : "");
  const result = d.rcode && d.rcode !== "NOERROR"
    ? d.rcode
    : answers.length > 0
    ? shown
    : "no answer";
  return {
    ts: d.ts,
    kind: "dns",
    peer: d.daddr,
    dport: d.dport,
    proto: d.proto,
    text: `asked ${d.daddr} for ${d.query || "(empty name)"}${
      d.qtype ? ` (${d.qtype})` : ""
    }: ${result}`,
  };
}

export function httpEntry(h: Profiled<HttpRecord>): TimelineEntry {
  const host = h.host || h.daddr;
  const status = h.statusCode > 0
    ? ` → ${h.statusCode}${h.statusMsg ? ` ${h.statusMsg}` : ""}`
    : "";
  const size = h.responseBodyLen > 0 ? `, received ${formatBytes(h.responseBodyLen)}` : "";
  const ua = h.userAgent ? `, user agent "${h.userAgent.slice(0, 80)}"` : "";
  return {
    ts: h.ts,
    kind: "http",
    peer: h.daddr,
    dport: h.dport,
    proto: h.proto,
    text: `HTTP ${
      h.method || "request"
    } http://${host}${h.uri} to ${h.daddr}:${h.dport}${status}${size}${ua}`,
  };
}

export function sslEntry(s: Profiled<SslRecord>): TimelineEntry {
  const name = s.serverName ? `${s.serverName} (${s.daddr}:${s.dport})` : `${s.daddr}:${s.dport}`;
  const validation = s.validationStatus && s.validationStatus !== "ok"
    ? `, certificate: ${s.validationStatus}`
    : "";
  return {
    ts: s.ts,
    kind: "ssl",
    peer: s.daddr,
    dport: s.dport,
    proto: s.proto,
    text: `TLS${s.version ? ` ${s.version}` : ""} to ${name}, ${
      s.established ? "established" : "not established"
    }${s.resumed ? ", resumed" : ""}${validation}`,
  };
}
