/** Evidence about a transferred file whose hash is listed. */
import type { EvidenceInput, FilesRecord, Profiled } from "@slips/core";
import type { IocEntry } from "./ioc_store.ts";
import { fromRecord, linkPair, listedIn, tiEnrichment } from "./ti_text.ts";

/** The sending (server) and receiving (client) hosts of a file record. */
export function fileEndpoints(f: FilesRecord): { sender: string; receiver: string } {
  return { sender: f.txHosts[0] ?? f.daddr, receiver: f.rxHosts[0] ?? f.saddr };
}

/**
 * A listed file was transferred: the sender at the listed level (counts for it), and the receiver
 * under its own profile with the sender as the DST attacker.
 */
export function maliciousDownloadedFile(
  f: Profiled<FilesRecord>,
  hash: string,
  entry: IocEntry,
): EvidenceInput[] {
  const { sender, receiver } = fileEndpoints(f);
  const size = f.size > 0 ? `${f.size} bytes, ` : "";
  const what = `a file (${size}md5 ${f.md5 || "unknown"}${f.mimeType ? `, ${f.mimeType}` : ""})`;
  const where = `its hash ${hash} is ${listedIn(entry)}`;
  const fromSender: EvidenceInput = {
    ...fromRecord(f),
    evidenceType: "MALICIOUS_DOWNLOADED_FILE",
    attacker: { direction: "SRC", iocType: "IP", value: sender, enrichment: tiEnrichment(entry) },
    victim: { direction: "DST", iocType: "IP", value: receiver },
    threatLevel: entry.threatLevel,
    confidence: 1,
    profileIp: sender,
    description: `${sender} sent ${what} to ${receiver}; ${where}.`,
  };
  const toReceiver: EvidenceInput = {
    ...fromRecord(f),
    evidenceType: "MALICIOUS_DOWNLOADED_FILE",
    attacker: { direction: "DST", iocType: "IP", value: sender, enrichment: tiEnrichment(entry) },
    victim: { direction: "SRC", iocType: "IP", value: receiver },
    threatLevel: entry.threatLevel,
    confidence: 1,
    profileIp: receiver,
    description: `${receiver} downloaded ${what} from ${sender}; ${where}.`,
  };
  return linkPair(fromSender, toReceiver);
}
