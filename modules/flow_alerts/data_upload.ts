import type { ConnRecord, EvidenceInput, IpRange, Profiled } from "@slips/core";
import { dstIp, pairIds, srcIp } from "./entities.ts";

/** A single flow sending at least this many MB is reported on its own (fixed, as in Slips). */
export const FLOW_UPLOAD_MB = 100;
const MB = 1_000_000;
/** uids kept per destination for the per-window evidence. */
const UIDS_KEPT = 10;

/** What the per-window evidence tells about a destination that crossed the threshold. */
export interface UploadTotal {
  bytes: number;
  lastTs: number;
  uids: string[];
}

/**
 * Bytes one profile sent to each destination in a window. Only a number per destination is
 * kept per flow; the details for the evidence start once a destination nears the threshold.
 */
export class WindowUploads {
  readonly bytes = new Map<string, number>();
  readonly over = new Map<string, UploadTotal>();

  constructor(readonly thresholdBytes: number) {}

  add(f: ConnRecord): void {
    const total = (this.bytes.get(f.daddr) ?? 0) + f.sbytes;
    this.bytes.set(f.daddr, total);
    if (total < this.thresholdBytes / 2) return;
    let t = this.over.get(f.daddr);
    if (t === undefined) this.over.set(f.daddr, t = { bytes: 0, lastTs: f.ts, uids: [] });
    t.bytes = total;
    if (f.ts > t.lastTs) t.lastTs = f.ts;
    if (t.uids.length < UIDS_KEPT) t.uids.push(f.uid);
  }
}

const EXCLUDED = new Set(["multicast", "linkLocal", "reserved", "broadcast", "unspecified"]);

/** Destinations uploads are counted towards: not the gateway, multicast, link-local or reserved. */
export function isUploadDestination(
  f: ConnRecord,
  gateway: string | undefined,
  dRange: IpRange,
): boolean {
  return f.daddr !== gateway && !EXCLUDED.has(dRange);
}

// DATA_UPLOAD (flow): one flow with sbytes ≥ 100 MB to a qualifying daddr.
export function isLargeUpload(f: ConnRecord): boolean {
  return f.sbytes >= FLOW_UPLOAD_MB * MB;
}

// DATA_UPLOAD (window): sbytes summed per daddr within one closed (profile, TW) ≥ data_exfiltration_threshold MB (500).
export function windowUploads(uploads: WindowUploads): [string, UploadTotal][] {
  const out: [string, UploadTotal][] = [];
  for (const [daddr, t] of uploads.over) {
    if (t.bytes >= uploads.thresholdBytes) out.push([daddr, t]);
  }
  return out;
}

/** Megabytes as the thresholds count them: 10^6 bytes. */
export const BYTES_PER_MB = MB;

/** The pair: INFO against the sender, HIGH against the receiver (filed under the receiver). */
export function uploadEvidence(
  saddr: string,
  daddr: string,
  bytes: number,
  twid: number,
  ts: number,
  uids: string[],
  scope: string,
): EvidenceInput[] {
  const [a, b] = pairIds();
  const mb = Math.round((bytes / MB) * 100) / 100;
  const common = {
    evidenceType: "DATA_UPLOAD" as const,
    confidence: 0.6,
    twid,
    ts,
    uids,
  };
  return [
    {
      ...common,
      id: a,
      relIds: [b],
      attacker: srcIp(saddr),
      victim: dstIp(daddr),
      threatLevel: "info",
      profileIp: saddr,
      description: `${saddr} uploaded ${mb} MB to ${daddr} ${scope}.`,
    },
    {
      ...common,
      id: b,
      relIds: [a],
      attacker: dstIp(daddr),
      victim: srcIp(saddr),
      threatLevel: "high",
      profileIp: daddr,
      description: `${daddr} received ${mb} MB from ${saddr} ${scope}.`,
    },
  ];
}

export function flowUploadEvidence(f: Profiled<ConnRecord>): EvidenceInput[] {
  return uploadEvidence(f.saddr, f.daddr, f.sbytes, f.twid, f.ts, [f.uid], "in one connection");
}
