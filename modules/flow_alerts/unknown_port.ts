import {
  type ConnRecord,
  type EvidenceInput,
  type IpRange,
  ipv4ToInt,
  orgPort,
  type Profiled,
  serviceName,
} from "@slips/core";
import { dstIp, isBroadcastLike, portProto, srcIp } from "./entities.ts";
import { BoundedMap, BoundedSet, Fifo } from "@slips/core";
import type { OrgLookup } from "./org_lookup.ts";

/** Protocols without ports worth naming. */
const PORTLESS = new Set(["icmp", "ipv6-icmp", "igmp", "arp", ""]);

/**
 * Slips' "P2P-like" test: UDP to ports above 30000 is peer-to-peer once one destination has been
 * seen 6 times, or once 5 distinct destinations have been seen. One table for all sources.
 */
export class P2pTracker {
  #counts = new BoundedMap<string, number>(10_000);

  /** Whether this flow looks peer-to-peer; counts it either way. */
  observe(f: ConnRecord): boolean {
    if (f.proto !== "udp" || f.dport <= 30000) return false;
    const seen = this.#counts.get(f.daddr) ?? 0;
    const p2p = seen >= 6 || this.#counts.size >= 5;
    this.#counts.set(f.daddr, seen + 1);
    return p2p;
  }
}

/** What else is known about a destination, to recognise an organisation's server. */
export interface DestinationNames {
  /** Domains the destination was resolved from or served (SNI), lower-case; may be empty. */
  names(ip: string): readonly string[];
}

/** Whether the destination belongs to an organisation known to use this port. */
export function isOrgPort(f: ConnRecord, known: DestinationNames, orgs: OrgLookup): boolean {
  const uses = orgPort(f.dport, f.proto);
  if (uses === undefined) return false;
  const names = known.names(f.daddr);
  const ipOrgs = orgs.orgsOfIp(f.daddr);
  for (const u of uses) {
    if (u.ranges.length > 0 && inRanges(f.daddr, u.ranges)) return true;
    if (ipOrgs.includes(u.org)) return true;
    for (const n of names) if (n.includes(u.org)) return true;
  }
  return false;
}

function inRanges(ip: string, ranges: readonly string[]): boolean {
  for (const r of ranges) {
    if (r.includes("/") ? cidrContains(r, ip) : r === ip) return true;
  }
  return false;
}

const cidrCache = new Map<string, (ip: string) => boolean>();
function cidrContains(cidr: string, ip: string): boolean {
  let test = cidrCache.get(cidr);
  if (test === undefined) {
    const [net, bits] = cidr.split("/");
    const size = 2 ** (32 - Number(bits));
    const start = ipv4ToInt(net);
    test = (x) => {
      const n = ipv4ToInt(x);
      return n >= 0 && n >= start && n < start + size;
    };
    cidrCache.set(cidr, test);
  }
  return test(ip);
}

/** FTP data ports announced in ftp.log; flows to them are expected, not unknown. */
export class FtpDataPorts extends BoundedSet<number> {
  constructor() {
    super(10_000);
  }
}

/** Traffic seconds an UNKNOWN_PORT candidate waits for network_discovery's port-scan verdict. */
export const UNKNOWN_PORT_HOLD = 60;

/**
 * UNKNOWN_PORT candidates waiting for their hold to end. The verdict that the source is a port
 * scanner comes from another worker, so deciding at once would depend on which worker ran ahead;
 * waiting a minute of traffic time makes the outcome the same run after run unless that worker
 * falls further behind (and spares the scanner's first probes, which Slips would report). Capped: the oldest are decided early.
 */
export class HeldFlows {
  #items = new Fifo<{ f: Profiled<ConnRecord>; due: number }>();

  constructor(readonly max = 50_000) {}

  get size(): number {
    return this.#items.size;
  }

  /** Holds `f` until the traffic clock reaches `due`; returns flows pushed out by the cap. */
  push(f: Profiled<ConnRecord>, due: number): Profiled<ConnRecord>[] {
    this.#items.push({ f, due });
    const out: Profiled<ConnRecord>[] = [];
    while (this.#items.size > this.max) out.push(this.#items.shift()!.f);
    return out;
  }

  /** Flows whose hold ended by `clock` (dues never decrease, so the first live one ends it). */
  takeDue(clock: number): Profiled<ConnRecord>[] {
    const out: Profiled<ConnRecord>[] = [];
    while ((this.#items.peek()?.due ?? Infinity) <= clock) out.push(this.#items.shift()!.f);
    return out;
  }

  takeAll(): Profiled<ConnRecord>[] {
    return this.#items.takeAll().map((i) => i.f);
  }
}

// UNKNOWN_PORT: dport/proto not in the services table, not an org's port, not ICMP, not P2P-like, not FTP data, source not reported as a port scanner in the window within 60 s of traffic after the flow.
export function isUnknownPortCandidate(f: ConnRecord, dRange: IpRange): boolean {
  return f.dport > 0 && !PORTLESS.has(f.proto) && serviceName(f.dport, f.proto) === undefined &&
    // LAN discovery (broadcast, multicast) uses whatever port its protocol picked.
    dRange !== "multicast" && !isBroadcastLike(f.daddr, f.proto);
}

export function unknownPortEvidence(f: Profiled<ConnRecord>): EvidenceInput {
  const established = f.interpreted === "Established";
  return {
    evidenceType: "UNKNOWN_PORT",
    attacker: srcIp(f.saddr),
    victim: dstIp(f.daddr),
    threatLevel: established ? "high" : "medium",
    confidence: 1,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description: `${
      established ? "Established connection" : "Connection attempt"
    } from ${f.saddr} to unknown destination port ${portProto(f.dport, f.proto)} on ${f.daddr}.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}
