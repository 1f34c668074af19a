/** Small record factories for the http_analyzer tests. */
import {
  type ArpRecord,
  type ConnRecord,
  type DhcpRecord,
  emptyConn,
  type HttpRecord,
  type Profiled,
  type WeirdRecord,
} from "../../../core/mod.ts";

export const T0 = 1_700_000_000;

let n = 0;
const nextUid = () => `Ctest${++n}`;

export function http(over: Partial<HttpRecord> = {}, twid = 1): Profiled<HttpRecord> {
  const r: HttpRecord = {
    kind: "http",
    uid: nextUid(),
    ts: T0,
    saddr: "192.168.1.10",
    daddr: "93.184.216.34",
    sport: 50000,
    dport: 80,
    proto: "tcp",
    source: "zeek",
    method: "GET",
    host: "example.com",
    uri: "/index.html",
    version: "1.1",
    userAgent: "",
    requestBodyLen: 0,
    responseBodyLen: 100,
    statusCode: 200,
    statusMsg: "OK",
    respMimeTypes: ["text/html"],
    respFuids: [],
    ...over,
  };
  return { ...r, profileid: `profile_${r.saddr}`, twid };
}

export function conn(over: Partial<ConnRecord> = {}, twid = 1): Profiled<ConnRecord> {
  const r: ConnRecord = {
    ...emptyConn("zeek"),
    uid: nextUid(),
    ts: T0,
    saddr: "192.168.1.10",
    daddr: "93.184.216.34",
    sport: 50000,
    dport: 80,
    proto: "tcp",
    ...over,
  };
  return { ...r, profileid: `profile_${r.saddr}`, twid };
}

export function weird(over: Partial<WeirdRecord> = {}, twid = 1): Profiled<WeirdRecord> {
  const r: WeirdRecord = {
    kind: "weird",
    uid: nextUid(),
    ts: T0,
    saddr: "192.168.1.10",
    daddr: "93.184.216.34",
    sport: 50000,
    dport: 80,
    proto: "tcp",
    source: "zeek",
    name: "unknown_HTTP_method",
    addl: "FOO",
    ...over,
  };
  return { ...r, profileid: `profile_${r.saddr || "0.0.0.0"}`, twid };
}

export function dhcp(over: Partial<DhcpRecord> = {}, twid = 1): Profiled<DhcpRecord> {
  const r: DhcpRecord = {
    kind: "dhcp",
    uid: nextUid(),
    ts: T0,
    saddr: "192.168.1.10",
    daddr: "192.168.1.1",
    sport: 68,
    dport: 67,
    proto: "udp",
    source: "zeek",
    uids: [],
    clientAddr: "192.168.1.10",
    serverAddr: "192.168.1.1",
    mac: "",
    hostName: "",
    requestedAddr: "",
    ...over,
  };
  r.uids = r.uids.length > 0 ? r.uids : [r.uid];
  return { ...r, profileid: `profile_${r.saddr}`, twid };
}

export function arp(over: Partial<ArpRecord> = {}, twid = 1): Profiled<ArpRecord> {
  const r: ArpRecord = {
    kind: "arp",
    uid: nextUid(),
    ts: T0,
    saddr: "192.168.1.10",
    daddr: "192.168.1.1",
    sport: 0,
    dport: 0,
    proto: "arp",
    source: "zeek",
    operation: "request",
    srcHw: "",
    dstHw: "00:00:00:00:00:00",
    smac: "",
    dmac: "ff:ff:ff:ff:ff:ff",
    ...over,
  };
  return { ...r, profileid: `profile_${r.saddr}`, twid };
}
