/** Small factories for the records the TI tests feed in (profile of saddr, window 1). */
import {
  type ConnRecord,
  type DnsRecord,
  emptyConn,
  type FilesRecord,
  type HttpRecord,
  type Profiled,
  type SslRecord,
} from "../../../core/records/mod.ts";
import type { ChannelMessage } from "../../../core/database/channels.ts";

const BASE = {
  uid: "C1",
  ts: 1_700_000_000,
  saddr: "10.0.0.5",
  daddr: "93.184.216.34",
  sport: 50000,
  dport: 443,
  proto: "tcp",
  source: "zeek" as const,
};

function profiled<R extends { saddr: string }>(
  r: R,
  twid = 1,
): R & { profileid: string; twid: number } {
  return { ...r, profileid: `profile_${r.saddr}`, twid };
}

export function conn(over: Partial<ConnRecord> = {}): Profiled<ConnRecord> {
  return profiled({ ...emptyConn("zeek"), ...BASE, interpreted: "Established", ...over });
}

export function dns(over: Partial<DnsRecord> = {}): Profiled<DnsRecord> {
  return profiled({
    ...BASE,
    kind: "dns",
    daddr: "10.0.0.1",
    dport: 53,
    proto: "udp",
    query: "example.org",
    qclass: "C_INTERNET",
    qtype: "A",
    rcode: "NOERROR",
    answers: [],
    ttls: [],
    ...over,
  });
}

export function http(over: Partial<HttpRecord> = {}): Profiled<HttpRecord> {
  return profiled({
    ...BASE,
    kind: "http",
    dport: 80,
    method: "GET",
    host: "example.org",
    uri: "/",
    version: "1.1",
    userAgent: "test",
    requestBodyLen: 0,
    responseBodyLen: 100,
    statusCode: 200,
    statusMsg: "OK",
    respMimeTypes: [],
    respFuids: [],
    ...over,
  });
}

export function ssl(over: Partial<SslRecord> = {}): Profiled<SslRecord> {
  return profiled({
    ...BASE,
    kind: "ssl",
    version: "TLSv12",
    cipher: "",
    resumed: false,
    established: true,
    certChainFps: [],
    clientCertChainFps: [],
    subject: "",
    issuer: "",
    serverName: "",
    validationStatus: "",
    curve: "",
    ja3: "",
    ja3s: "",
    isDoH: false,
    notValidBefore: 0,
    notValidAfter: 0,
    ...over,
  });
}

export function files(over: Partial<FilesRecord> = {}): Profiled<FilesRecord> {
  return profiled({
    ...BASE,
    kind: "files",
    saddr: "10.0.0.5",
    daddr: "93.184.216.34",
    txHosts: ["93.184.216.34"],
    rxHosts: ["10.0.0.5"],
    fileSource: "HTTP",
    analyzers: ["MD5", "SHA1"],
    mimeType: "application/x-dosexec",
    md5: "",
    sha1: "",
    sha256: "",
    size: 68,
    ...over,
  });
}

export const msg = {
  flow: (d: Profiled<ConnRecord>): ChannelMessage => ({ channel: "new_flow", data: d }),
  dns: (d: Profiled<DnsRecord>): ChannelMessage => ({ channel: "new_dns", data: d }),
  http: (d: Profiled<HttpRecord>): ChannelMessage => ({ channel: "new_http", data: d }),
  ssl: (d: Profiled<SslRecord>): ChannelMessage => ({ channel: "new_ssl", data: d }),
  file: (d: Profiled<FilesRecord>): ChannelMessage => ({ channel: "new_downloaded_file", data: d }),
  twClosed: (ip: string, twid: number): ChannelMessage => ({
    channel: "tw_closed",
    data: { profileid: `profile_${ip}`, ip, twid, start: 0, end: 0 },
  }),
};
