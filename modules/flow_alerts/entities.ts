import type { EvidenceEntity } from "@slips/core";

/** The initiator side of what happened, as an IP. */
export function srcIp(ip: string): EvidenceEntity {
  return { direction: "SRC", iocType: "IP", value: ip };
}

export function dstIp(ip: string): EvidenceEntity {
  return { direction: "DST", iocType: "IP", value: ip };
}

export function dstDomain(domain: string): EvidenceEntity {
  return { direction: "DST", iocType: "DOMAIN", value: domain };
}

export function srcDomain(domain: string): EvidenceEntity {
  return { direction: "SRC", iocType: "DOMAIN", value: domain };
}

/** Two fresh evidence ids for paired evidence that point at each other. */
export function pairIds(): [string, string] {
  return [crypto.randomUUID(), crypto.randomUUID()];
}

/** Protocols whose ports are ports (ICMP's "ports" are its type and code). */
const PORTED = new Set(["tcp", "udp", "sctp"]);

/** " on 443/TCP", " (ICMP)" or "" for a description, depending on what the protocol has. */
export function onPort(port: number, proto: string): string {
  if (PORTED.has(proto)) return port > 0 ? ` on ${portProto(port, proto)}` : "";
  return proto === "" ? "" : ` (${proto.toUpperCase()})`;
}

/** `443/TCP`: port and upper-case protocol, as descriptions show them. */
export function portProto(port: number, proto: string): string {
  return `${port}/${proto.toUpperCase()}`;
}

/** A short quote of a possibly long value, so one odd record cannot flood the alerts log. */
export function quote(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Whether a destination is a broadcast: the limited broadcast, or UDP to an IPv4 ending in .255,
 * which is how LAN discovery protocols reach a /24 (the netmask is unknown, so this is a guess).
 */
export function isBroadcastLike(daddr: string, proto: string): boolean {
  return daddr === "255.255.255.255" || (proto === "udp" && daddr.endsWith(".255"));
}
