/**
 * Zeek log fields → internal records, one function per supported log (pipeline.md §2.1). The same
 * functions serve TSV and JSON through the Fields interface. Each returns null only when the line
 * lacks a usable `ts`; malformed numbers are flagged in `f.bad` for the caller.
 */
import type {
  ArpRecord,
  ConnRecord,
  DhcpRecord,
  DnsRecord,
  FilesRecord,
  FlowRecord,
  FtpRecord,
  HttpRecord,
  LoginRecord,
  NoticeRecord,
  SmtpRecord,
  SoftwareRecord,
  SshRecord,
  SslRecord,
  TunnelRecord,
  WeirdRecord,
  X509Record,
} from "../records/records.ts";
import { zeekState } from "../records/state.ts";
import type { Fields } from "./fields.ts";
import { parseTimestamp } from "./timestamps.ts";
import { generatedUid } from "./uid.ts";
import type { ZeekLogType } from "./zeek_log_types.ts";

/** Zeek 7.1 writes `unknown_transport` for IP protocols it does not dissect. */
export function normaliseProto(p: string): string {
  if (p === "" || p === "unknown_transport") return "";
  return p.toLowerCase();
}

function time(f: Fields, name: string): number {
  const s = f.str(name);
  return s === "" ? NaN : parseTimestamp(s);
}

/** A time field that may be absent: 0 when absent, flagged when malformed. */
function optionalTime(f: Fields, name: string): number {
  const s = f.str(name);
  if (s === "") return 0;
  const t = parseTimestamp(s);
  if (Number.isNaN(t)) {
    if (f.bad === "") f.bad = name;
    return 0;
  }
  return t;
}

export function mapConn(f: Fields): ConnRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  const proto = normaliseProto(f.str("proto"));
  const sport = f.num("id.orig_p");
  const dport = f.num("id.resp_p");
  const spkts = f.num("orig_pkts");
  const dpkts = f.num("resp_pkts");
  const state = f.str("conn_state");
  const icmp = proto === "icmp" || proto === "ipv6-icmp" || proto === "icmp6";
  return {
    kind: "conn",
    uid: f.str("uid") || generatedUid("C"),
    ts,
    saddr: f.str("id.orig_h"),
    daddr: f.str("id.resp_h"),
    sport,
    dport,
    proto,
    source: "zeek",
    label: f.str("label"),
    detailedLabel: f.str("detailedlabel"),
    appproto: f.str("service"),
    dur: f.num("duration"),
    sbytes: f.num("orig_bytes"),
    dbytes: f.num("resp_bytes"),
    spkts,
    dpkts,
    sipBytes: f.num("orig_ip_bytes"),
    dipBytes: f.num("resp_ip_bytes"),
    state,
    interpreted: zeekState(state, spkts + dpkts),
    history: f.str("history"),
    smac: f.str("orig_l2_addr"),
    dmac: f.str("resp_l2_addr"),
    // Zeek stores the ICMP type in the originator port and the code in the responder port.
    icmpType: icmp ? sport : -1,
    icmpCode: icmp ? dport : -1,
  };
}

interface Base {
  uid: string;
  ts: number;
  saddr: string;
  daddr: string;
  sport: number;
  dport: number;
  proto: string;
  source: "zeek";
  label: string;
  detailedLabel: string;
}

function base(f: Fields, ts: number, uidPrefix: string): Base {
  return {
    uid: f.str("uid") || generatedUid(uidPrefix),
    ts,
    saddr: f.str("id.orig_h"),
    daddr: f.str("id.resp_h"),
    sport: f.num("id.orig_p"),
    dport: f.num("id.resp_p"),
    proto: normaliseProto(f.str("proto")),
    source: "zeek",
    label: f.str("label"),
    detailedLabel: f.str("detailedlabel"),
  };
}

export function mapDns(f: Fields): DnsRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return {
    kind: "dns",
    ...base(f, ts, "D"),
    query: f.str("query"),
    qclass: f.str("qclass_name"),
    qtype: f.str("qtype_name"),
    rcode: f.str("rcode_name"),
    answers: f.list("answers"),
    ttls: numbers(f, "TTLs"),
  };
}

function numbers(f: Fields, name: string): number[] {
  const out: number[] = [];
  for (const s of f.list(name)) {
    const n = Number(s);
    if (!Number.isFinite(n) || s === "") {
      if (f.bad === "") f.bad = name;
      continue;
    }
    out.push(n);
  }
  return out;
}

export function mapHttp(f: Fields): HttpRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  const r: HttpRecord = {
    kind: "http",
    ...base(f, ts, "H"),
    proto: "tcp",
    method: f.str("method"),
    host: f.str("host"),
    uri: f.str("uri"),
    version: f.str("version"),
    userAgent: f.str("user_agent"),
    requestBodyLen: f.num("request_body_len"),
    responseBodyLen: f.num("response_body_len"),
    statusCode: f.num("status_code"),
    statusMsg: f.str("status_msg"),
    respMimeTypes: f.list("resp_mime_types"),
    respFuids: f.list("resp_fuids"),
  };
  const md5 = f.str("resp_md5");
  const sha1 = f.str("resp_sha1");
  if (md5 !== "") r.respMd5 = md5;
  if (sha1 !== "") r.respSha1 = sha1;
  return r;
}

export function mapSsl(f: Fields): SslRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  // Zeek ≥ 6 names certificates by fingerprint, older versions by file id.
  const chain = f.has("cert_chain_fps") ? f.list("cert_chain_fps") : f.list("cert_chain_fuids");
  const clientChain = f.has("client_cert_chain_fps")
    ? f.list("client_cert_chain_fps")
    : f.list("client_cert_chain_fuids");
  return {
    kind: "ssl",
    ...base(f, ts, "S"),
    proto: normaliseProto(f.str("proto")) || "tcp",
    version: f.str("version"),
    cipher: f.str("cipher"),
    resumed: f.bool("resumed") ?? false,
    established: f.bool("established") ?? false,
    certChainFps: chain,
    clientCertChainFps: clientChain,
    subject: f.str("subject"),
    issuer: f.str("issuer"),
    serverName: f.str("server_name"),
    validationStatus: f.str("validation_status"),
    curve: f.str("curve"),
    ja3: f.str("ja3"),
    ja3s: f.str("ja3s"),
    isDoH: f.bool("is_DoH") ?? false,
    notValidBefore: 0,
    notValidAfter: 0,
  };
}

export function mapX509(f: Fields): X509Record | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  const id = f.str("id");
  return {
    kind: "x509",
    uid: id || generatedUid("X"),
    ts,
    saddr: "",
    daddr: "",
    sport: 0,
    dport: 0,
    proto: "",
    source: "zeek",
    label: f.str("label"),
    detailedLabel: f.str("detailedlabel"),
    fingerprint: f.str("fingerprint") || id,
    subject: f.str("certificate.subject"),
    issuer: f.str("certificate.issuer"),
    notValidBefore: optionalTime(f, "certificate.not_valid_before"),
    notValidAfter: optionalTime(f, "certificate.not_valid_after"),
    sanDns: f.list("san.dns"),
  };
}

export function mapSsh(f: Fields): SshRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return {
    kind: "ssh",
    ...base(f, ts, "H"),
    proto: "tcp",
    version: f.num("version"),
    authSuccess: f.bool("auth_success"),
    authAttempts: f.num("auth_attempts"),
    client: f.str("client"),
    server: f.str("server"),
    cipherAlg: f.str("cipher_alg"),
    macAlg: f.str("mac_alg"),
    compressionAlg: f.str("compression_alg"),
    kexAlg: f.str("kex_alg"),
    hostKeyAlg: f.str("host_key_alg"),
    hostKey: f.str("host_key"),
  };
}

export function mapDhcp(f: Fields): DhcpRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  const uids = f.list("uids");
  const client = f.str("client_addr");
  const server = f.str("server_addr");
  return {
    kind: "dhcp",
    uid: uids[0] ?? (f.str("uid") || generatedUid("D")),
    ts,
    saddr: client || f.str("assigned_addr") || f.str("requested_addr"),
    daddr: server,
    sport: 68,
    dport: 67,
    proto: "udp",
    source: "zeek",
    label: f.str("label"),
    detailedLabel: f.str("detailedlabel"),
    uids,
    clientAddr: client,
    serverAddr: server,
    mac: f.str("mac"),
    hostName: f.str("host_name"),
    requestedAddr: f.str("requested_addr"),
  };
}

export function mapFtp(f: Fields): FtpRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return { kind: "ftp", ...base(f, ts, "F"), proto: "tcp", usedPort: f.num("data_channel.resp_p") };
}

export function mapSmtp(f: Fields): SmtpRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return { kind: "smtp", ...base(f, ts, "M"), proto: "tcp", lastReply: f.str("last_reply") };
}

export function mapTunnel(f: Fields): TunnelRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return {
    kind: "tunnel",
    ...base(f, ts, "T"),
    tunnelType: f.str("tunnel_type"),
    action: f.str("action"),
  };
}

export function mapNotice(f: Fields): NoticeRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  const b = base(f, ts, "N");
  const src = f.str("src");
  const dst = f.str("dst");
  if (b.saddr === "") {
    b.saddr = src;
    b.daddr = dst || src;
  }
  return {
    kind: "notice",
    ...b,
    note: f.str("note"),
    msg: f.str("msg"),
    scanningIp: src,
    scannedPort: f.num("p"),
    dst,
  };
}

export function mapFiles(f: Fields): FilesRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  const tx = f.list("tx_hosts");
  const rx = f.list("rx_hosts");
  const b = base(f, ts, "F");
  b.uid = f.str("fuid") || b.uid;
  if (tx.length > 0) b.saddr = tx[0];
  if (rx.length > 0) b.daddr = rx[0];
  return {
    kind: "files",
    ...b,
    txHosts: tx,
    rxHosts: rx,
    fileSource: f.str("source"),
    analyzers: f.list("analyzers"),
    mimeType: f.str("mime_type"),
    md5: f.str("md5"),
    sha1: f.str("sha1"),
    sha256: f.str("sha256"),
    size: f.has("total_bytes") && f.str("total_bytes") !== ""
      ? f.num("total_bytes")
      : f.num("seen_bytes"),
  };
}

export function mapArp(f: Fields): ArpRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return {
    kind: "arp",
    uid: f.str("uid") || generatedUid("A"),
    ts,
    saddr: f.str("orig_h"),
    daddr: f.str("resp_h"),
    sport: 0,
    dport: 0,
    proto: "arp",
    source: "zeek",
    label: f.str("label"),
    detailedLabel: f.str("detailedlabel"),
    operation: f.str("operation"),
    srcHw: f.str("orig_hw"),
    dstHw: f.str("resp_hw"),
    smac: f.str("src_mac"),
    dmac: f.str("dst_mac"),
  };
}

export function mapSoftware(f: Fields): SoftwareRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return {
    kind: "software",
    uid: f.str("uid") || generatedUid("W"),
    ts,
    saddr: f.str("host"),
    daddr: "",
    sport: f.num("host_p"),
    dport: 0,
    proto: "",
    source: "zeek",
    label: f.str("label"),
    detailedLabel: f.str("detailedlabel"),
    softwareType: f.str("software_type"),
    name: f.str("name"),
    versionMajor: f.str("version.major"),
    versionMinor: f.str("version.minor"),
    unparsedVersion: f.str("unparsed_version"),
  };
}

export function mapWeird(f: Fields): WeirdRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return { kind: "weird", ...base(f, ts, "R"), name: f.str("name"), addl: f.str("addl") };
}

export function mapLogin(f: Fields): LoginRecord | null {
  const ts = time(f, "ts");
  if (Number.isNaN(ts)) return null;
  return {
    kind: "login",
    ...base(f, ts, "L"),
    proto: normaliseProto(f.str("proto")) || "tcp",
    success: f.bool("success") ?? false,
    confused: f.bool("confused") ?? false,
    user: f.str("user"),
    clientUser: f.str("client_user"),
  };
}

export const ZEEK_MAPPERS: Record<ZeekLogType, (f: Fields) => FlowRecord | null> = {
  conn: mapConn,
  dns: mapDns,
  http: mapHttp,
  ssl: mapSsl,
  x509: mapX509,
  ssh: mapSsh,
  dhcp: mapDhcp,
  ftp: mapFtp,
  smtp: mapSmtp,
  tunnel: mapTunnel,
  notice: mapNotice,
  files: mapFiles,
  arp: mapArp,
  software: mapSoftware,
  weird: mapWeird,
  login: mapLogin,
};
