/** The wording and enrichment every TI evidence shares: where the indicator is listed. */
import type { EvidenceInput, FlowRecord, Profiled } from "@slips/core";
import type { IocEntry } from "./ioc_store.ts";

/** "listed in <source> (<description>), tags: a, b" */
export function listedIn(entry: IocEntry): string {
  const desc = entry.description.trim() !== "" ? ` (${entry.description.trim()})` : "";
  const tags = entry.tags.length > 0 ? `, tags: ${entry.tags.join(", ")}` : "";
  return `listed in ${entry.source}${desc}${tags}`;
}

/** Enrichment for the listed side: the feed that names it (shown as TI in alerts). */
export function tiEnrichment(entry: IocEntry): Record<string, string> {
  const e: Record<string, string> = { TI: entry.source };
  if (entry.description.trim() !== "") e.description = entry.description.trim();
  if (entry.tags.length > 0) e.tags = entry.tags.join(",");
  return e;
}

/** The IP a record's profile belongs to (`profile_<ip>` → `<ip>`). */
export function profileIpOf(rec: Profiled<FlowRecord>): string {
  return rec.profileid.startsWith("profile_") ? rec.profileid.slice(8) : rec.profileid;
}

/** " on 443/tcp", or "" when the flow has no destination port. */
export function portText(rec: Profiled<FlowRecord>): string {
  return rec.dport > 0 ? ` on ${rec.dport}/${rec.proto || "?"}` : "";
}

/** Links two evidence as a pair: each gets an id and points at the other. */
export function linkPair(a: EvidenceInput, b: EvidenceInput): [EvidenceInput, EvidenceInput] {
  const idA = crypto.randomUUID();
  const idB = crypto.randomUUID();
  return [{ ...a, id: idA, relIds: [idB] }, { ...b, id: idB, relIds: [idA] }];
}

/** Fields every evidence from a record shares. */
export function fromRecord(rec: Profiled<FlowRecord>): Pick<
  EvidenceInput,
  "twid" | "ts" | "uids" | "proto" | "srcPort" | "dstPort"
> {
  return {
    twid: rec.twid,
    ts: rec.ts,
    uids: rec.uid ? [rec.uid] : [],
    proto: rec.proto || undefined,
    srcPort: rec.sport || undefined,
    dstPort: rec.dport || undefined,
  };
}

/** Subdomain matches are less certain than exact ones. */
export function domainConfidence(subdomain: boolean): number {
  return subdomain ? 0.7 : 1;
}
