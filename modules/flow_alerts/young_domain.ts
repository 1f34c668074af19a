/**
 * Young domains. There is no whois offline, so the age comes from the shared cache: whichever
 * part can learn registration dates (ip_info, with network access) stores the age in days of a
 * registrable domain under `cacheSet("domain_age", "<eTLD+1>", "<days>")`. Until someone does,
 * no domain's age is known and this check raises nothing.
 */
import { type DnsRecord, type EvidenceInput, isIp, type Profiled } from "@slips/core";
import { getDomain } from "tldts";
import { dstDomain, dstIp, srcIp } from "./entities.ts";
import { BoundedMap } from "@slips/core";

/** The shared-cache namespace holding domain ages in days. */
export const DOMAIN_AGE_CACHE = "domain_age";
/** Domains younger than this many days are reported. */
export const YOUNG_DAYS = 60;

// YOUNG_DOMAIN: the queried domain (not .local/.arpa) has a known age < 60 days.
export function isYoung(ageDays: number | undefined): boolean {
  return ageDays !== undefined && ageDays >= 0 && ageDays < YOUNG_DAYS;
}

const registrable = new BoundedMap<string, string | null>(100_000);

/** The registrable domain (eTLD+1) whose age matters for a query, or undefined. */
export function ageKey(query: string): string | undefined {
  const q = query.toLowerCase();
  if (q === "" || q.endsWith(".local") || q.endsWith(".arpa")) return undefined;
  let d = registrable.get(q);
  if (d === undefined) {
    d = getDomain(q) ?? null;
    registrable.set(q, d);
  }
  return d ?? undefined;
}

/** Parses a cached age; anything but a non-negative number of days is treated as unknown. */
export function parseAge(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** INFO against the host that asked, LOW against each address serving the domain; all linked. */
export function youngDomainEvidence(r: Profiled<DnsRecord>, ageDays: number): EvidenceInput[] {
  const days = Math.floor(ageDays);
  const ips = r.answers.filter((a) => isIp(a));
  const ids = [crypto.randomUUID(), ...ips.map(() => crypto.randomUUID())];
  const common = {
    evidenceType: "YOUNG_DOMAIN" as const,
    confidence: 1,
    twid: r.twid,
    ts: r.ts,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
  const out: EvidenceInput[] = [{
    ...common,
    id: ids[0],
    relIds: ids.slice(1),
    attacker: srcIp(r.saddr),
    victim: dstDomain(r.query),
    threatLevel: "info",
    profileIp: r.saddr,
    description: `${r.saddr} resolved ${r.query}, a domain registered ${days} days ago.`,
  }];
  ips.forEach((ip, i) => {
    out.push({
      ...common,
      id: ids[i + 1],
      relIds: ids.filter((_, j) => j !== i + 1),
      attacker: dstIp(ip),
      victim: srcIp(r.saddr),
      threatLevel: "low",
      profileIp: ip,
      description: `${ip} serves ${r.query}, a domain registered ${days} days ago.`,
    });
  });
  return out;
}
