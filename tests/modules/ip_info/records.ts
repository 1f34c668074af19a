/** Minimal records for the ip_info tests. */
import type { ChannelMessage } from "../../../core/database/channels.ts";
import {
  type ArpRecord,
  type ConnRecord,
  type DhcpRecord,
  type DnsRecord,
  emptyConn,
  type Profiled,
  type SslRecord,
} from "../../../core/records/mod.ts";

const BASE = {
  uid: "C1",
  ts: 1_700_000_000,
  saddr: "192.168.1.10",
  daddr: "8.8.8.8",
  sport: 50000,
  dport: 443,
  proto: "tcp",
  source: "zeek" as const,
  profileid: "profile_192.168.1.10",
  twid: 1,
};

export function flow(over: Partial<ConnRecord> = {}): ChannelMessage {
  const data: Profiled<ConnRecord> = { ...emptyConn("zeek"), ...BASE, ...over };
  return { channel: "new_flow", data };
}

export function dnsAnswer(answers: string[]): ChannelMessage {
  const data: Profiled<DnsRecord> = {
    ...BASE,
    kind: "dns",
    daddr: "192.168.1.1",
    dport: 53,
    proto: "udp",
    query: "example.org",
    qclass: "C_INTERNET",
    qtype: "A",
    rcode: "NOERROR",
    answers,
    ttls: answers.map(() => 60),
  };
  return { channel: "new_dns", data };
}

export function sslTo(daddr: string, serverName: string): ChannelMessage {
  const data: Profiled<SslRecord> = {
    ...BASE,
    kind: "ssl",
    daddr,
    version: "TLSv13",
    cipher: "",
    resumed: false,
    established: true,
    certChainFps: [],
    clientCertChainFps: [],
    subject: "",
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
  return { channel: "new_ssl", data };
}

export function dhcp(over: Partial<DhcpRecord>): ChannelMessage {
  const data: Profiled<DhcpRecord> = {
    ...BASE,
    kind: "dhcp",
    saddr: "0.0.0.0",
    daddr: "255.255.255.255",
    sport: 68,
    dport: 67,
    proto: "udp",
    uids: ["C1"],
    clientAddr: "",
    serverAddr: "",
    mac: "",
    hostName: "",
    requestedAddr: "",
    ...over,
  };
  return { channel: "new_dhcp", data };
}

export function arpReply(saddr: string, mac: string): ChannelMessage {
  const data: Profiled<ArpRecord> = {
    ...BASE,
    kind: "arp",
    saddr,
    daddr: "192.168.1.10",
    sport: 0,
    dport: 0,
    proto: "arp",
    operation: "reply",
    srcHw: mac,
    dstHw: "aa:aa:aa:aa:aa:aa",
    smac: mac,
    dmac: "aa:aa:aa:aa:aa:aa",
    profileid: `profile_${saddr}`,
  };
  return { channel: "new_arp", data };
}

export function newIp(ip: string): ChannelMessage {
  return { channel: "new_ip", data: { ip, ts: BASE.ts } };
}

export function newMac(ip: string, mac: string): ChannelMessage {
  return { channel: "new_MAC", data: { ip, mac, ts: BASE.ts } };
}
