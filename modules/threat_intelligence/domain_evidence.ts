/** Evidence about listed domains seen as a DNS query, an HTTP Host or a TLS SNI. */
import type { EvidenceInput, FlowRecord, Profiled } from "@slips/core";
import type { DomainMatch } from "./ioc_store.ts";
import { domainConfidence, fromRecord, linkPair, listedIn, tiEnrichment } from "./ti_text.ts";

/** Where in the traffic the domain was seen. */
export type DomainContext = "DNS query" | "HTTP host" | "TLS SNI";

const VERB: Record<DomainContext, string> = {
  "DNS query": "asked the DNS for",
  "HTTP host": "made an HTTP request to",
  "TLS SNI": "opened a TLS connection to",
};

/**
 * The client gets the feed level under its profile; when the domain's resolution is known, the
 * domain is also blamed under the resolved IP's profile.
 */
export function blacklistedDomain(
  rec: Profiled<FlowRecord>,
  domain: string,
  match: DomainMatch,
  context: DomainContext,
  resolvedIp: string | undefined,
): EvidenceInput[] {
  const confidence = domainConfidence(match.subdomain);
  const sub = match.subdomain ? ` (a subdomain of the listed ${match.listed})` : "";
  const where = `${sub}, ${listedIn(match.entry)}. Confidence ${confidence}.`;
  const client: EvidenceInput = {
    ...fromRecord(rec),
    evidenceType: "THREAT_INTELLIGENCE_BLACKLISTED_DOMAIN",
    attacker: { direction: "SRC", iocType: "IP", value: rec.saddr },
    victim: {
      direction: "DST",
      iocType: "DOMAIN",
      value: domain,
      enrichment: tiEnrichment(match.entry),
    },
    threatLevel: match.entry.threatLevel,
    confidence,
    profileIp: rec.saddr,
    description: `${rec.saddr} ${
      VERB[context]
    } the blacklisted domain ${domain} (${context})${where}`,
  };
  if (resolvedIp === undefined) return [client];
  const server: EvidenceInput = {
    ...fromRecord(rec),
    evidenceType: "THREAT_INTELLIGENCE_BLACKLISTED_DOMAIN",
    attacker: {
      direction: "DST",
      iocType: "DOMAIN",
      value: domain,
      enrichment: { ...tiEnrichment(match.entry), DNS_resolution: resolvedIp },
    },
    victim: { direction: "SRC", iocType: "IP", value: rec.saddr },
    threatLevel: match.entry.threatLevel,
    confidence,
    profileIp: resolvedIp,
    description: context === "DNS query"
      ? `The blacklisted domain ${domain} resolves to ${resolvedIp}, asked by ${rec.saddr}${where}`
      : `The blacklisted domain ${domain} at ${resolvedIp} was reached by ${rec.saddr} (${context})${where}`,
  };
  return linkPair(client, server);
}
