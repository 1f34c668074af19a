import { type DnsRecord, type EvidenceInput, Fifo, isIp, type Profiled } from "@slips/core";
import { dstDomain, srcIp } from "./entities.ts";
import type { DnsResolutions } from "./dns_resolutions.ts";

/** Traffic seconds between re-checks of a resolution nobody connected to yet. */
export const RECHECK_EVERY = 600;
/** Re-checks before giving up on a connection (10, 20 and 30 minutes). */
export const RECHECKS = 3;

/** A resolution waiting for a connection to one of its addresses. */
export interface PendingDnsCheck {
  record: Profiled<DnsRecord>;
  /** Answer IPs and CNAME names of the record. */
  ips: string[];
  cnames: string[];
  /** Traffic time of the next check. */
  due: number;
  checks: number;
  done: boolean;
}

// DNS_WITHOUT_CONNECTION: an answered A/AAAA query whose addresses this profile does not contact within 30 min (traffic time).
export function isDnsWithoutConnectionCandidate(r: DnsRecord): boolean {
  if (r.qtype !== "A" && r.qtype !== "AAAA") return false;
  if (r.rcode !== "NOERROR" || r.answers.length === 0) return false;
  const q = r.query.toLowerCase();
  if (q.includes("arpa") || q.includes(".local") || q.includes("*")) return false;
  if (q.endsWith(".cymru.com") || q === "wpad" || !q.includes(".")) return false;
  return true;
}

export function pendingDnsCheck(r: Profiled<DnsRecord>): PendingDnsCheck {
  const ips: string[] = [];
  const cnames: string[] = [];
  for (const a of r.answers) {
    if (isIp(a)) ips.push(a);
    // Typed answers ("TXT …", "MX …") carry a space; bare names are CNAMEs.
    else if (!a.includes(" ")) cnames.push(a);
  }
  return { record: r, ips, cnames, due: r.ts + RECHECK_EVERY, checks: 0, done: false };
}

/**
 * Whether the profile contacted an answer IP, an IP the same name resolved to earlier, or an IP
 * of one of the CNAMEs, in the record's window or the next one (a query just before a window
 * boundary is often followed by its connection just after it).
 */
export function connectedAfterDns(
  item: PendingDnsCheck,
  contacted: readonly (ReadonlySet<string> | undefined)[],
  resolutions: DnsResolutions,
): boolean {
  const seen = (ip: string) => contacted.some((s) => s !== undefined && s.has(ip));
  if (item.ips.some(seen)) return true;
  if (resolutions.ipsOf(item.record.query).some(seen)) return true;
  for (const c of item.cnames) if (resolutions.ipsOf(c).some(seen)) return true;
  return false;
}

export function dnsWithoutConnectionEvidence(r: Profiled<DnsRecord>): EvidenceInput {
  return {
    evidenceType: "DNS_WITHOUT_CONNECTION",
    attacker: srcIp(r.saddr),
    victim: dstDomain(r.query),
    threatLevel: "info",
    confidence: 0.8,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description: `${r.saddr} resolved ${r.query} but did not connect to any of its addresses.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}

/** Resolutions waiting for their next check, in the order their checks fall due. */
export class DnsCheckQueue {
  #queue = new Fifo<PendingDnsCheck>();

  get size(): number {
    return this.#queue.size;
  }

  push(item: PendingDnsCheck): void {
    this.#queue.push(item);
  }

  /** The oldest undecided items beyond `cap`, to be decided now (bounds memory on odd clocks). */
  takeOverflow(cap: number): PendingDnsCheck[] {
    const out: PendingDnsCheck[] = [];
    while (this.#queue.size > cap) {
      const item = this.#queue.shift()!;
      if (!item.done) out.push(item);
    }
    return out;
  }

  /** Items whose check is due at traffic time `clock` (already decided ones are skipped). */
  takeDue(clock: number): PendingDnsCheck[] {
    const out: PendingDnsCheck[] = [];
    for (let item = this.#queue.peek(); item !== undefined; item = this.#queue.peek()) {
      if (!item.done && item.due > clock) break;
      this.#queue.shift();
      if (!item.done) out.push(item);
    }
    return out;
  }
}
