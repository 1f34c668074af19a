/** Evidence about TLS fingerprints: malicious JA3 (client), JA3S (server) and certificates. */
import type { EvidenceInput, FlowRecord, Profiled, SslRecord } from "@slips/core";
import type { IocEntry } from "./ioc_store.ts";
import { fromRecord, linkPair, listedIn, portText, tiEnrichment } from "./ti_text.ts";

/** The client's JA3 is listed: the client, at the feed level. */
export function maliciousJa3(ssl: Profiled<SslRecord>, entry: IocEntry): EvidenceInput {
  return {
    ...fromRecord(ssl),
    evidenceType: "MALICIOUS_JA3",
    attacker: {
      direction: "SRC",
      iocType: "IP",
      value: ssl.saddr,
      enrichment: tiEnrichment(entry),
    },
    victim: { direction: "DST", iocType: "IP", value: ssl.daddr },
    threatLevel: entry.threatLevel,
    confidence: 1,
    profileIp: ssl.saddr,
    description: `${ssl.saddr} connected to ${ssl.daddr}${
      portText(ssl)
    } with the malicious JA3 fingerprint ${ssl.ja3}, ${listedIn(entry)}.`,
  };
}

/**
 * The server's JA3S is listed, a sign of a C&C server: the server at the feed level under its
 * own profile, and the client LOW.
 */
export function maliciousJa3s(ssl: Profiled<SslRecord>, entry: IocEntry): EvidenceInput[] {
  const where = `${listedIn(entry)}`;
  const server: EvidenceInput = {
    ...fromRecord(ssl),
    evidenceType: "MALICIOUS_JA3S",
    attacker: {
      direction: "DST",
      iocType: "IP",
      value: ssl.daddr,
      enrichment: tiEnrichment(entry),
    },
    victim: { direction: "SRC", iocType: "IP", value: ssl.saddr },
    threatLevel: entry.threatLevel,
    confidence: 1,
    profileIp: ssl.daddr,
    description: `Server ${ssl.daddr}${
      portText(ssl)
    } answered ${ssl.saddr} with the malicious JA3S fingerprint ${ssl.ja3s}, possibly a C&C server, ${where}.`,
  };
  const client: EvidenceInput = {
    ...fromRecord(ssl),
    evidenceType: "MALICIOUS_JA3S",
    attacker: { direction: "SRC", iocType: "IP", value: ssl.saddr },
    victim: { direction: "DST", iocType: "IP", value: ssl.daddr, enrichment: tiEnrichment(entry) },
    threatLevel: "low",
    confidence: 1,
    profileIp: ssl.saddr,
    description: `${ssl.saddr} talked TLS to ${ssl.daddr}${
      portText(ssl)
    }, whose JA3S fingerprint ${ssl.ja3s} is malicious (possible C&C server), ${where}.`,
  };
  return linkPair(server, client);
}

/**
 * A certificate the server presented is listed: the server at the feed level under its own
 * profile, the client LOW (the intended roles; Slips blames them the other way round).
 */
export function maliciousSslCert(
  rec: Profiled<FlowRecord>,
  server: string,
  client: string,
  sha1: string,
  entry: IocEntry,
): EvidenceInput[] {
  const where = listedIn(entry);
  const s: EvidenceInput = {
    ...fromRecord(rec),
    evidenceType: "MALICIOUS_SSL_CERT",
    attacker: { direction: "DST", iocType: "IP", value: server, enrichment: tiEnrichment(entry) },
    victim: { direction: "SRC", iocType: "IP", value: client },
    threatLevel: entry.threatLevel,
    confidence: 1,
    profileIp: server,
    description:
      `Server ${server} presented the malicious certificate SHA1 ${sha1} to ${client}, ${where}.`,
  };
  const c: EvidenceInput = {
    ...fromRecord(rec),
    evidenceType: "MALICIOUS_SSL_CERT",
    attacker: { direction: "SRC", iocType: "IP", value: client },
    victim: { direction: "DST", iocType: "IP", value: server, enrichment: tiEnrichment(entry) },
    threatLevel: "low",
    confidence: 1,
    profileIp: client,
    description:
      `${client} accepted the malicious certificate SHA1 ${sha1} from ${server}, ${where}.`,
  };
  return linkPair(s, c);
}
