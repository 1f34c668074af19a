/** Small record and evidence builders for the whitelist tests; every other field is empty. */
import { emptyConn } from "../../core/records/defaults.ts";
import type {
  ArpRecord,
  ConnRecord,
  DhcpRecord,
  DnsRecord,
  HttpRecord,
  RecordBase,
  SslRecord,
  X509Record,
} from "../../core/records/records.ts";
import type { EvidenceEntity } from "../../core/evidence/evidence.ts";
import type { EvidenceParties } from "../../core/whitelist/mod.ts";

function base(saddr: string, daddr: string): RecordBase {
  return { uid: "C1", ts: 1, saddr, daddr, sport: 40000, dport: 443, proto: "tcp", source: "zeek" };
}

export function conn(saddr: string, daddr: string, smac = "", dmac = ""): ConnRecord {
  return { ...emptyConn("zeek"), uid: "C1", ts: 1, saddr, daddr, smac, dmac, proto: "tcp" };
}

export function dns(saddr: string, daddr: string, query: string, answers: string[]): DnsRecord {
  return {
    ...base(saddr, daddr),
    kind: "dns",
    proto: "udp",
    dport: 53,
    query,
    qclass: "C_INTERNET",
    qtype: "A",
    rcode: "NOERROR",
    answers,
    ttls: answers.map(() => 300),
  };
}

export function http(saddr: string, daddr: string, host: string): HttpRecord {
  return {
    ...base(saddr, daddr),
    kind: "http",
    method: "GET",
    host,
    uri: "/",
    version: "1.1",
    userAgent: "",
    requestBodyLen: 0,
    responseBodyLen: 0,
    statusCode: 200,
    statusMsg: "OK",
    respMimeTypes: [],
    respFuids: [],
  };
}

export function ssl(saddr: string, daddr: string, serverName: string, subject = ""): SslRecord {
  return {
    ...base(saddr, daddr),
    kind: "ssl",
    version: "TLSv13",
    cipher: "",
    resumed: false,
    established: true,
    certChainFps: [],
    clientCertChainFps: [],
    subject,
    issuer: "",
    serverName,
    validationStatus: "",
    curve: "",
    ja3: "",
    ja3s: "",
    isDoH: false,
    notValidBefore: 0,
    notValidAfter: 0,
  };
}

export function x509(saddr: string, daddr: string, subject: string, sanDns: string[]): X509Record {
  return {
    ...base(saddr, daddr),
    kind: "x509",
    fingerprint: "",
    subject,
    issuer: "",
    notValidBefore: 0,
    notValidAfter: 0,
    sanDns,
  };
}

export function dhcp(saddr: string, daddr: string, mac: string): DhcpRecord {
  return {
    ...base(saddr, daddr),
    kind: "dhcp",
    proto: "udp",
    uids: [],
    clientAddr: saddr,
    serverAddr: daddr,
    mac,
    hostName: "",
    requestedAddr: "",
  };
}

export function arp(saddr: string, daddr: string, smac: string): ArpRecord {
  return {
    ...base(saddr, daddr),
    kind: "arp",
    proto: "arp",
    operation: "request",
    srcHw: smac,
    dstHw: "00:00:00:00:00:00",
    smac,
    dmac: "ff:ff:ff:ff:ff:ff",
  };
}

export function entity(
  direction: "SRC" | "DST",
  iocType: EvidenceEntity["iocType"],
  value: string,
): EvidenceEntity {
  return { direction, iocType, value };
}

/** Evidence whose attacker is `attacker` and whose victim, when given, is `victim`. */
export function evidence(attacker: EvidenceEntity, victim?: EvidenceEntity): EvidenceParties {
  return victim ? { attacker, victim } : { attacker };
}
