import type { DnsRecord, EvidenceInput, Profiled } from "@slips/core";
import { srcIp } from "./entities.ts";
import { BoundedMap } from "@slips/core";

/** Distinct reverse names within the window that make a scan. */
export const ARPA_NAMES = 10;
/** Seconds the names must fall within. */
export const ARPA_SECONDS = 2;

/**
 * Reverse-DNS queries per source over a 2-second window that slides with the queries (Slips
 * anchors it at the first query and never moves it, quirk Q5, which misses scans that start
 * after a stray early lookup).
 */
export class ArpaScans {
  #bySource = new BoundedMap<string, Map<string, number>>(50_000);

  // DNS_ARPA_SCAN: ≥ 10 distinct *.in-addr.arpa names from one source within 2 s; the window is then cleared.
  observe(r: DnsRecord): number {
    const q = r.query.toLowerCase();
    if (!q.endsWith(".in-addr.arpa")) return 0;
    let names = this.#bySource.get(r.saddr);
    if (names === undefined) this.#bySource.set(r.saddr, names = new Map());
    // Re-inserting keeps the map ordered by latest sighting, so old names sit at the front.
    names.delete(q);
    names.set(q, r.ts);
    for (const [name, ts] of names) {
      if (ts >= r.ts - ARPA_SECONDS) break;
      names.delete(name);
    }
    if (names.size < ARPA_NAMES) return 0;
    const n = names.size;
    this.#bySource.delete(r.saddr);
    return n;
  }
}

export function arpaScanEvidence(r: Profiled<DnsRecord>, n: number): EvidenceInput {
  return {
    evidenceType: "DNS_ARPA_SCAN",
    attacker: srcIp(r.saddr),
    threatLevel: "medium",
    confidence: 0.7,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description:
      `Reverse DNS (ARPA) scan: ${r.saddr} looked up ${n} different in-addr.arpa names within ${ARPA_SECONDS} seconds (threshold ${ARPA_NAMES}).`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}
