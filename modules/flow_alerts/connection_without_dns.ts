import {
  type ConnRecord,
  type EvidenceInput,
  Fifo,
  type IpRange,
  type Profiled,
} from "@slips/core";
import { isBroadcastLike, srcIp } from "./entities.ts";
import type { DnsResolutions } from "./dns_resolutions.ts";
import type { OrgLookup } from "./org_lookup.ts";

/** How far back (traffic time) a resolution of the destination vouches for a connection. */
export const RESOLUTION_LOOKBACK = 24 * 3600;
/**
 * Traffic seconds to keep waiting for a resolution that was published after the flow: DNS
 * records travel on their own channel and may be handled after the connections they enabled.
 */
export const RESOLUTION_GRACE = 15;

/** Only these sources give us DNS next to connections (Argus and nfdump flows have none). */
const WITH_DNS = new Set(["zeek", "suricata", "pcap"]);
/** Address kinds a resolution is never expected for. */
const NO_DNS_RANGES = new Set([
  "private",
  "uniqueLocal",
  "multicast",
  "linkLocal",
  "loopback",
  "reserved",
  "broadcast",
  "unspecified",
  "carrierGradeNat",
  "invalid",
]);

export interface NoDnsContext {
  /** A single Zeek log file: there is no dns.log to consult. */
  singleZeekFile: boolean;
  dhcpServers: { has(ip: string): boolean };
  doHServers: { has(ip: string): boolean };
  /** `client_ips` membership. */
  isClientIp(ip: string): boolean;
  /** Domains known for an IP other than by DNS (TLS SNI). */
  sniOf(ip: string): string | undefined;
  orgs: OrgLookup;
}

// CONNECTION_WITHOUT_DNS: a public daddr with no resolution in the 24 h before the flow, unless a well-known org's or a known service's.
export function needsResolution(f: ConnRecord, ctx: NoDnsContext, dRange: IpRange): boolean {
  if (!WITH_DNS.has(f.source)) return false;
  if (f.appproto === "dns" || f.appproto === "icmp") return false;
  if (ctx.singleZeekFile && f.source === "zeek") return false;
  if (NO_DNS_RANGES.has(dRange) || isBroadcastLike(f.daddr, f.proto)) return false;
  if (ctx.dhcpServers.has(f.daddr) || ctx.doHServers.has(f.daddr)) return false;
  return !ctx.isClientIp(f.daddr);
}

/** Whether a resolution or an organisation vouches for the destination. */
export function explainedConnection(
  f: ConnRecord,
  resolutions: DnsResolutions,
  ctx: NoDnsContext,
): boolean {
  if (resolutions.resolvedSince(f.daddr, f.ts - RESOLUTION_LOOKBACK)) return true;
  // All five organisations are checked (Slips stopped after the first: its bug B7).
  if (ctx.orgs.orgsOfIp(f.daddr).length > 0) return true;
  const sni = ctx.sniOf(f.daddr);
  return sni !== undefined && ctx.orgs.orgsOfDomain(sni).length > 0;
}

export function connectionWithoutDnsEvidence(
  f: Profiled<ConnRecord>,
  confidence: number,
): EvidenceInput {
  return {
    evidenceType: "CONNECTION_WITHOUT_DNS",
    attacker: srcIp(f.saddr),
    threatLevel: "info",
    confidence,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description: `Connection from ${f.saddr} to ${f.daddr} without a DNS resolution of ${f.daddr}.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}

/** How long (traffic seconds of conn flows) an unexplained flow may wait for its resolution. */
const FLOW_WAIT = 300;

/**
 * Unexplained flows waiting for DNS records that may still be on their way. A flow is decided
 * once the DNS stream has passed its time by RESOLUTION_GRACE, or the conn stream by FLOW_WAIT
 * (an input without DNS must not hold flows forever), or the queue is full.
 */
export class PendingResolutions {
  #queue = new Fifo<Profiled<ConnRecord>>();

  constructor(readonly cap = 50_000) {}

  get size(): number {
    return this.#queue.size;
  }

  /** Queues a flow; returns the oldest one when the queue overflows, to be decided now. */
  push(f: Profiled<ConnRecord>): Profiled<ConnRecord> | undefined {
    this.#queue.push(f);
    return this.#queue.size > this.cap ? this.#queue.shift() : undefined;
  }

  /** Flows whose wait is over. */
  takeDue(dnsClock: number, flowClock: number): Profiled<ConnRecord>[] {
    const out: Profiled<ConnRecord>[] = [];
    for (let f = this.#queue.peek(); f !== undefined; f = this.#queue.peek()) {
      if (dnsClock < f.ts + RESOLUTION_GRACE && flowClock < f.ts + FLOW_WAIT) break;
      out.push(this.#queue.shift()!);
    }
    return out;
  }

  takeAll(): Profiled<ConnRecord>[] {
    return this.#queue.takeAll();
  }
}
