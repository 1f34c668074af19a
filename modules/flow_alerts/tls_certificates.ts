/** Checks on the certificate a TLS server presented: self-signed, and names that do not fit. */
import type { EvidenceInput, Profiled, SslRecord } from "@slips/core";
import { getDomain } from "tldts";
import { dstIp, pairIds, srcIp } from "./entities.ts";
import type { OrgLookup } from "./org_lookup.ts";

// SELF_SIGNED_CERTIFICATE: validation_status contains "self signed".
export function isSelfSigned(r: SslRecord): boolean {
  return r.validationStatus.includes("self signed");
}

export function selfSignedEvidence(r: Profiled<SslRecord>): EvidenceInput[] {
  const [a, b] = pairIds();
  const sni = r.serverName !== "" ? ` (SNI ${r.serverName})` : "";
  const common = {
    evidenceType: "SELF_SIGNED_CERTIFICATE" as const,
    threatLevel: "low" as const,
    confidence: 0.5,
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
      attacker: srcIp(r.saddr),
      victim: dstIp(r.daddr),
      profileIp: r.saddr,
      description: `${r.saddr} accepted a self-signed certificate from ${r.daddr}${sni}.`,
    },
    {
      ...common,
      id: b,
      relIds: [a],
      attacker: dstIp(r.daddr),
      victim: srcIp(r.saddr),
      profileIp: r.daddr,
      description: `${r.daddr}${sni} presented a self-signed certificate to ${r.saddr}.`,
    },
  ];
}

/**
 * The organisation a certificate subject names but the server does not belong to, or undefined.
 * The server belongs when its IP is in the organisation's ranges, the SNI is one of its domains,
 * or the IP was resolved from one of its domains.
 */
// INCOMPATIBLE_CN: the subject names google/microsoft/apple/facebook/twitter but neither daddr nor SNI (nor daddr's DNS name) is that org's.
export function impersonatedOrg(
  r: SslRecord,
  resolvedName: string | undefined,
  orgs: OrgLookup,
): string | undefined {
  if (r.subject === "") return undefined;
  const subject = r.subject.toLowerCase();
  for (const org of orgs.names) {
    if (!subject.includes(org)) continue;
    if (orgs.orgsOfIp(r.daddr).includes(org)) continue;
    if (r.serverName !== "" && orgs.orgsOfDomain(r.serverName).includes(org)) continue;
    if (resolvedName !== undefined && orgs.orgsOfDomain(resolvedName).includes(org)) continue;
    return org;
  }
  return undefined;
}

export function incompatibleCnEvidence(r: Profiled<SslRecord>, org: string): EvidenceInput {
  const name = org[0].toUpperCase() + org.slice(1);
  const sni = r.serverName !== "" ? ` (SNI ${r.serverName})` : "";
  return {
    evidenceType: "INCOMPATIBLE_CN",
    attacker: srcIp(r.saddr),
    victim: dstIp(r.daddr),
    threatLevel: "medium",
    confidence: 0.9,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description:
      `The certificate of ${r.daddr}${sni} claims to belong to ${name}, but ${r.daddr} is not known as ${name}'s.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}

/** The first `CN=` value of a subject, or "". */
export function commonName(subject: string): string {
  let at = subject.startsWith("CN=") ? 0 : subject.indexOf(",CN=");
  if (at < 0) return "";
  at += at === 0 ? 3 : 4;
  let end = subject.indexOf(",", at);
  // A comma escaped with a backslash belongs to the value.
  while (end > 0 && subject[end - 1] === "\\") end = subject.indexOf(",", end + 1);
  return subject.slice(at, end < 0 ? undefined : end);
}

/** Whether the glob `pattern` (`*` matches any run of characters) matches a prefix of `text`. */
export function globPrefix(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  const match = (pi: number, ti: number): boolean => {
    for (; pi < p.length; pi++, ti++) {
      if (p[pi] === "*") {
        for (let k = ti; k <= t.length; k++) if (match(pi + 1, k)) return true;
        return false;
      }
      if (ti >= t.length || p[pi] !== t[ti]) return false;
    }
    return true;
  };
  return match(0, 0);
}

/**
 * What remains to be asked about a CN/SNI pair once the name rules did not settle it: the
 * registrable domains whose registrant organisations must be compared. undefined when the pair is
 * consistent (the CN matches the SNI, or both share a registrable domain).
 */
// CN_URL_MISMATCH: the CN (wildcards allowed) does not prefix-match the SNI, the eTLD+1s differ, and known whois orgs differ.
export function cnMismatch(
  r: SslRecord,
): { cn: string; cnDomain: string; sniDomain: string } | undefined {
  const sni = r.serverName;
  const cn = commonName(r.subject);
  if (sni === "" || cn === "") return undefined;
  if (globPrefix(cn, sni)) return undefined;
  const cnDomain = getDomain(cn.startsWith("*.") ? cn.slice(2) : cn);
  const sniDomain = getDomain(sni);
  if (cnDomain === null || sniDomain === null || cnDomain === sniDomain) return undefined;
  return { cn, cnDomain, sniDomain };
}

/** Words that say nothing about who an organisation is. */
const GENERIC = new Set(["llc", "corp", "inc", "ltd", "org"]);

/** Whether two whois registrant organisations are the same or share a meaningful word. */
export function sameOrganisation(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x === y) return true;
  const words = (s: string) => s.split(/[^a-z0-9]+/).filter((w) => w !== "" && !GENERIC.has(w));
  const wx = new Set(words(x));
  return words(y).some((w) => wx.has(w));
}

/** The shared-cache namespace holding whois registrant organisations of registrable domains. */
export const DOMAIN_ORG_CACHE = "domain_org";

export function cnMismatchEvidence(r: Profiled<SslRecord>, cn: string): EvidenceInput[] {
  const [a, b] = pairIds();
  const what = `certificate CN ${cn} does not match the requested server name ${r.serverName}`;
  const common = {
    evidenceType: "CN_URL_MISMATCH" as const,
    confidence: 0.8,
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
      attacker: srcIp(r.saddr),
      victim: { direction: "DST", iocType: "DOMAIN", value: r.serverName },
      threatLevel: "low",
      profileIp: r.saddr,
      description: `${r.saddr} connected to ${r.daddr}, whose ${what}.`,
    },
    {
      ...common,
      id: b,
      relIds: [a],
      attacker: { direction: "DST", iocType: "DOMAIN", value: r.serverName },
      victim: srcIp(r.saddr),
      threatLevel: "medium",
      profileIp: r.daddr,
      description: `${r.daddr} served ${r.saddr} a ${what}.`,
    },
  ];
}

// DIFFERENT_LOCALNET (DoH): the TLS session is DNS over HTTPS (is_DoH); daddr also becomes a known DoH server.
export function dohEvidence(r: Profiled<SslRecord>): EvidenceInput {
  return {
    evidenceType: "DIFFERENT_LOCALNET",
    attacker: dstIp(r.daddr),
    victim: srcIp(r.saddr),
    threatLevel: "info",
    confidence: 0.9,
    profileIp: r.daddr,
    twid: r.twid,
    ts: r.ts,
    description: `DNS over HTTPS: ${r.saddr} resolves names through the DoH server ${r.daddr}.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}

// PASTEBIN_DOWNLOAD (TLS): SNI contains "pastebin" and the conn's resp_bytes ≥ pastebin_download_threshold (700).
export function isPastebin(r: SslRecord): boolean {
  return r.serverName.toLowerCase().includes("pastebin");
}

export function pastebinEvidence(r: Profiled<SslRecord>, bytes: number): EvidenceInput {
  const mb = bytes / 1_000_000;
  return {
    evidenceType: "PASTEBIN_DOWNLOAD",
    attacker: srcIp(r.saddr),
    victim: dstIp(r.daddr),
    threatLevel: "info",
    confidence: 1,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description: `${r.saddr} downloaded ${
      mb.toFixed(6).replace(/0+$/, "").replace(/\.$/, "")
    } MB from ${r.serverName} (${r.daddr}) over TLS.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}
