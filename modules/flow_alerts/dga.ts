import type { DnsRecord, EvidenceInput, Profiled } from "@slips/core";
import { srcIp } from "./entities.ts";

/** Distinct failed domains kept per window; far past the thresholds, so counting stays exact where it matters. */
const MAX_DOMAINS = 10_000;

/** Whether the record is a failed resolution that counts towards the DGA check. */
export function isCountedNxdomain(r: DnsRecord): boolean {
  if (!r.rcode.includes("NXDOMAIN")) return false;
  const q = r.query.toLowerCase();
  return q !== "" && !q.endsWith(".arpa") && !q.endsWith(".local");
}

// DGA_NXDOMAINS: distinct NXDOMAIN names per (profile, TW) reach 10, then every further 5 (15, 20, …).
export function addNxdomain(seen: Set<string>, query: string): number {
  const q = query.toLowerCase();
  if (seen.has(q) || seen.size >= MAX_DOMAINS) return 0;
  seen.add(q);
  const n = seen.size;
  return n >= 10 && n % 5 === 0 ? n : 0;
}

export function dgaEvidence(r: Profiled<DnsRecord>, n: number): EvidenceInput {
  return {
    evidenceType: "DGA_NXDOMAINS",
    attacker: srcIp(r.saddr),
    threatLevel: "high",
    confidence: Math.round(Math.min(1, n / 100) * 100) / 100,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description: `Possible DGA: ${r.saddr} failed to resolve ${n} different domains (NXDOMAIN).`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}
