/** Evidence about a listed URL requested over HTTP. */
import type { EvidenceInput, HttpRecord, Profiled } from "@slips/core";
import type { IocEntry } from "./ioc_store.ts";
import { fromRecord, listedIn, tiEnrichment } from "./ti_text.ts";

/** The URL as the client asked for it: `http://<host><uri>` (the daddr when Host is empty). */
export function requestedUrl(http: HttpRecord): string {
  const host = http.host !== "" ? http.host : http.daddr;
  const uri = http.uri.startsWith("/") || http.uri === "" ? http.uri : `/${http.uri}`;
  return `http://${host}${uri}`;
}

/** The client requested a listed URL: the client, at the feed level, confidence 0.7. */
export function maliciousUrl(
  http: Profiled<HttpRecord>,
  url: string,
  entry: IocEntry,
): EvidenceInput {
  return {
    ...fromRecord(http),
    evidenceType: "THREAT_INTELLIGENCE_MALICIOUS_URL",
    attacker: { direction: "SRC", iocType: "IP", value: http.saddr },
    victim: { direction: "DST", iocType: "URL", value: url, enrichment: tiEnrichment(entry) },
    threatLevel: entry.threatLevel,
    confidence: 0.7,
    profileIp: http.saddr,
    description: `${http.saddr} requested the malicious URL ${url} (${
      http.method || "HTTP"
    } to ${http.daddr}), ${listedIn(entry)}.`,
  };
}
