import {
  type DnsRecord,
  type EvidenceInput,
  isIp,
  isMulticast,
  isPrivate,
  type Profiled,
  shannonEntropy,
} from "@slips/core";
import { dstDomain, dstIp, pairIds, quote, srcIp } from "./entities.ts";

/**
 * Multicast DNS (DNS-SD) answers list a device's properties as key=value TXT strings, which
 * score high without carrying anything hidden; Slips only skipped a multicast querier.
 */
function isMulticastDns(r: DnsRecord): boolean {
  return isMulticast(r.saddr) || isMulticast(r.daddr) || r.query.toLowerCase().endsWith(".local");
}

// HIGH_ENTROPY_DNS_ANSWER: a TXT answer whose Shannon entropy ≥ entropy_threshold bits/char (5); not multicast DNS.
export function highEntropyAnswers(
  r: DnsRecord,
  threshold: number,
): { answer: string; entropy: number }[] {
  if (isMulticastDns(r)) return [];
  const out: { answer: string; entropy: number }[] = [];
  for (const a of r.answers) {
    if (!a.includes("TXT")) continue;
    const entropy = shannonEntropy(a);
    if (entropy >= threshold) out.push({ answer: a, entropy });
  }
  return out;
}

/** The pair: MEDIUM against the resolver that served it, LOW against the host that asked. */
export function highEntropyEvidence(
  r: Profiled<DnsRecord>,
  answer: string,
  entropy: number,
): EvidenceInput[] {
  const [a, b] = pairIds();
  const what = `a DNS TXT answer for ${r.query} with ${
    entropy.toFixed(2)
  } bits of entropy per character: ${quote(answer)}`;
  const common = {
    evidenceType: "HIGH_ENTROPY_DNS_ANSWER" as const,
    confidence: 0.6,
    twid: r.twid,
    ts: r.ts,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
  return [
    {
      ...common,
      id: a,
      relIds: [b],
      attacker: dstIp(r.daddr),
      victim: srcIp(r.saddr),
      threatLevel: "medium",
      profileIp: r.daddr,
      description: `Resolver ${r.daddr} sent ${r.saddr} ${what}.`,
    },
    {
      ...common,
      id: b,
      relIds: [a],
      attacker: srcIp(r.saddr),
      victim: dstIp(r.daddr),
      threatLevel: "low",
      profileIp: r.saddr,
      description: `${r.saddr} received ${what}.`,
    },
  ];
}

// INVALID_DNS_RESOLUTION: an answer is a private IP (127.0.0.1 too) for a query other than localhost, *.local, *.arpa or none (mDNS announcements).
export function invalidAnswers(r: DnsRecord): string[] {
  const q = r.query.toLowerCase();
  if (q === "" || q === "localhost" || q.endsWith(".local") || q.endsWith(".arpa")) return [];
  const out: string[] = [];
  for (const a of r.answers) if (isIp(a) && isPrivate(a)) out.push(a);
  return out;
}

export function invalidAnswerEvidence(r: Profiled<DnsRecord>, ip: string): EvidenceInput {
  return {
    evidenceType: "INVALID_DNS_RESOLUTION",
    attacker: srcIp(r.saddr),
    victim: dstDomain(r.query),
    threatLevel: "info",
    confidence: 0.8,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description:
      `Invalid DNS resolution: ${r.query} resolved to the private IP ${ip} for ${r.saddr}.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}
