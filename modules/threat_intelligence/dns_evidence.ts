/** Evidence about DNS records: listed answers (IPs, CNAMEs) and answers of listed queries. */
import type { DnsRecord, EvidenceInput, Profiled } from "@slips/core";
import type { DomainMatch, IpMatch } from "./ioc_store.ts";
import { domainConfidence, fromRecord, linkPair, listedIn, tiEnrichment } from "./ti_text.ts";

function subdomainNote(match: DomainMatch): string {
  return match.subdomain ? ` (a subdomain of the listed ${match.listed})` : "";
}

/** An answer IP is listed: the IP (under its own profile) and the asking host, both at the feed level. */
export function blacklistedDnsAnswerIp(
  dns: Profiled<DnsRecord>,
  ip: string,
  match: IpMatch,
): EvidenceInput[] {
  const range = match.viaRange ? ` (inside the listed range ${match.listed})` : "";
  const where = `${range}, ${listedIn(match.entry)}`;
  const server: EvidenceInput = {
    ...fromRecord(dns),
    evidenceType: "THREAT_INTELLIGENCE_BLACKLISTED_DNS_ANSWER",
    attacker: { direction: "DST", iocType: "IP", value: ip, enrichment: tiEnrichment(match.entry) },
    victim: { direction: "SRC", iocType: "IP", value: dns.saddr },
    threatLevel: match.entry.threatLevel,
    confidence: 1,
    profileIp: ip,
    description:
      `Blacklisted IP ${ip} was given as the DNS answer for ${dns.query} to ${dns.saddr}${where}.`,
  };
  const client: EvidenceInput = {
    ...fromRecord(dns),
    evidenceType: "THREAT_INTELLIGENCE_BLACKLISTED_DNS_ANSWER",
    attacker: { direction: "SRC", iocType: "IP", value: dns.saddr },
    victim: { direction: "DST", iocType: "IP", value: ip, enrichment: tiEnrichment(match.entry) },
    threatLevel: match.entry.threatLevel,
    confidence: 1,
    profileIp: dns.saddr,
    description:
      `${dns.saddr} asked for ${dns.query} and got the blacklisted IP ${ip} as answer${where}.`,
  };
  return linkPair(server, client);
}

/** A CNAME in the answer is a listed domain: the asking host, at the feed level. */
export function blacklistedDnsAnswerCname(
  dns: Profiled<DnsRecord>,
  cname: string,
  match: DomainMatch,
): EvidenceInput {
  const confidence = domainConfidence(match.subdomain);
  return {
    ...fromRecord(dns),
    evidenceType: "THREAT_INTELLIGENCE_BLACKLISTED_DNS_ANSWER",
    attacker: { direction: "SRC", iocType: "IP", value: dns.saddr },
    victim: {
      direction: "DST",
      iocType: "DOMAIN",
      value: cname,
      enrichment: tiEnrichment(match.entry),
    },
    threatLevel: match.entry.threatLevel,
    confidence,
    profileIp: dns.saddr,
    description:
      `${dns.saddr} asked for ${dns.query} and the answer points to the blacklisted CNAME ${cname}${
        subdomainNote(match)
      }, ${listedIn(match.entry)}. Confidence ${confidence}.`,
  };
}

/**
 * The query is listed; for one of its answer IPs: the IP (under its own profile) and the asking
 * host, both at the feed level.
 */
export function answerOfBlacklistedQuery(
  dns: Profiled<DnsRecord>,
  answerIp: string,
  match: DomainMatch,
): EvidenceInput[] {
  const confidence = domainConfidence(match.subdomain);
  const where = `${subdomainNote(match)}, ${listedIn(match.entry)}. Confidence ${confidence}.`;
  const server: EvidenceInput = {
    ...fromRecord(dns),
    evidenceType: "THREAT_INTELLIGENCE_ANSWER_OF_BLACKLISTED_QUERY",
    attacker: {
      direction: "DST",
      iocType: "IP",
      value: answerIp,
      enrichment: { ...tiEnrichment(match.entry), queries: dns.query },
    },
    victim: { direction: "SRC", iocType: "IP", value: dns.saddr },
    threatLevel: match.entry.threatLevel,
    confidence,
    profileIp: answerIp,
    description:
      `${answerIp} is an answer for the blacklisted domain ${dns.query} asked by ${dns.saddr}${where}`,
  };
  const client: EvidenceInput = {
    ...fromRecord(dns),
    evidenceType: "THREAT_INTELLIGENCE_ANSWER_OF_BLACKLISTED_QUERY",
    attacker: { direction: "SRC", iocType: "IP", value: dns.saddr },
    victim: { direction: "DST", iocType: "IP", value: answerIp },
    threatLevel: match.entry.threatLevel,
    confidence,
    profileIp: dns.saddr,
    description:
      `${dns.saddr} asked for the blacklisted domain ${dns.query} and got the answer ${answerIp}${where}`,
  };
  return linkPair(server, client);
}
