/** Evidence about listed IP addresses in conn flows: blacklisted IPs, ASNs and Tor exit nodes. */
import type { ConnRecord, EvidenceInput, Profiled } from "@slips/core";
import type { IocEntry, IpMatch } from "./ioc_store.ts";
import { fromRecord, linkPair, listedIn, portText, tiEnrichment } from "./ti_text.ts";

function how(match: IpMatch): string {
  return match.viaRange ? ` (inside the listed range ${match.listed})` : "";
}

/**
 * daddr is listed: the listed server gets the feed's level under its own profile, and the client
 * gets LOW under its profile (the only half that counts towards the client's alerts).
 */
export function toBlacklistedIp(
  flow: Profiled<ConnRecord>,
  match: IpMatch,
): EvidenceInput[] {
  const where = `${how(match)}, ${listedIn(match.entry)}`;
  const server: EvidenceInput = {
    ...fromRecord(flow),
    evidenceType: "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP",
    attacker: {
      direction: "DST",
      iocType: "IP",
      value: flow.daddr,
      enrichment: tiEnrichment(match.entry),
    },
    victim: { direction: "SRC", iocType: "IP", value: flow.saddr },
    threatLevel: match.entry.threatLevel,
    confidence: 1,
    profileIp: flow.daddr,
    description: `Blacklisted IP ${flow.daddr} was contacted by ${flow.saddr}${
      portText(flow)
    }${where}.`,
  };
  const client: EvidenceInput = {
    ...fromRecord(flow),
    evidenceType: "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP",
    attacker: { direction: "SRC", iocType: "IP", value: flow.saddr },
    victim: {
      direction: "DST",
      iocType: "IP",
      value: flow.daddr,
      enrichment: tiEnrichment(match.entry),
    },
    threatLevel: "low",
    confidence: 1,
    profileIp: flow.saddr,
    description: `${flow.saddr} connected to the blacklisted IP ${flow.daddr}${
      portText(flow)
    }${where}.`,
  };
  return linkPair(server, client);
}

/** saddr is listed (the "from" case): the listed source is blamed with the feed's level. */
export function fromBlacklistedIp(flow: Profiled<ConnRecord>, match: IpMatch): EvidenceInput {
  return {
    ...fromRecord(flow),
    evidenceType: "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP",
    attacker: {
      direction: "SRC",
      iocType: "IP",
      value: flow.saddr,
      enrichment: tiEnrichment(match.entry),
    },
    victim: { direction: "DST", iocType: "IP", value: flow.daddr },
    threatLevel: match.entry.threatLevel,
    confidence: 1,
    profileIp: flow.saddr,
    description: `Blacklisted IP ${flow.saddr} connected to ${flow.daddr}${portText(flow)}${
      how(match)
    }, ${listedIn(match.entry)}.`,
  };
}

export interface AsnHit {
  /** The IP whose AS is listed (a destination or a DNS answer). */
  ip: string;
  /** `AS<n>` and the organisation as ip_info stored it. */
  asnText: string;
  entry: IocEntry;
  /** Set when the IP came from the answer to this DNS query. */
  dnsQuery?: string;
}

/** The AS an IP belongs to is listed: a pair, both at the feed's level with confidence 0.8. */
export function blacklistedAsn(
  rec: Parameters<typeof fromRecord>[0],
  hit: AsnHit,
): EvidenceInput[] {
  const context = hit.dnsQuery !== undefined
    ? ` (found in the DNS answer for ${hit.dnsQuery})`
    : "";
  const where = `${listedIn(hit.entry)}`;
  const client: EvidenceInput = {
    ...fromRecord(rec),
    evidenceType: "THREAT_INTELLIGENCE_BLACKLISTED_ASN",
    attacker: { direction: "SRC", iocType: "IP", value: rec.saddr },
    victim: {
      direction: "DST",
      iocType: "IP",
      value: hit.ip,
      enrichment: { ...tiEnrichment(hit.entry), AS: hit.asnText },
    },
    threatLevel: hit.entry.threatLevel,
    confidence: 0.8,
    profileIp: rec.saddr,
    description:
      `${rec.saddr} contacted ${hit.ip}${context}, which belongs to the blacklisted ${hit.asnText.trim()}, ${where}. Confidence 0.8.`,
  };
  const server: EvidenceInput = {
    ...fromRecord(rec),
    evidenceType: "THREAT_INTELLIGENCE_BLACKLISTED_ASN",
    attacker: {
      direction: "DST",
      iocType: "IP",
      value: hit.ip,
      enrichment: { ...tiEnrichment(hit.entry), AS: hit.asnText },
    },
    victim: { direction: "SRC", iocType: "IP", value: rec.saddr },
    threatLevel: hit.entry.threatLevel,
    confidence: 0.8,
    profileIp: hit.ip,
    description:
      `${hit.ip}${context} belongs to the blacklisted ${hit.asnText.trim()} and was contacted by ${rec.saddr}, ${where}. Confidence 0.8.`,
  };
  return linkPair(client, server);
}

/** daddr is a Tor exit node: informational, filed under the client. */
export function torExitNode(flow: Profiled<ConnRecord>, entry: IocEntry): EvidenceInput {
  return {
    ...fromRecord(flow),
    evidenceType: "TOR_EXIT_NODE",
    attacker: {
      direction: "DST",
      iocType: "IP",
      value: flow.daddr,
      enrichment: tiEnrichment(entry),
    },
    victim: { direction: "SRC", iocType: "IP", value: flow.saddr },
    threatLevel: "info",
    confidence: 1,
    profileIp: flow.saddr,
    description: `${flow.saddr} connected to the Tor exit node ${flow.daddr}${
      portText(flow)
    }, listed in ${entry.source}.`,
  };
}
