import type { ConnRecord, EvidenceInput, Profiled } from "@slips/core";
import { dstIp, portProto, srcIp } from "./entities.ts";

/** Rejected flows from one source to one destination port before evidence is raised. */
export const REJ_THRESHOLD = 5;
/** Failed telnet connections from one source to one destination before evidence is raised. */
export const TELNET_THRESHOLD = 4;

/**
 * Counts toward a threshold and says when it is reached; the count then starts again, so a
 * source that keeps trying is reported once per further threshold's worth of attempts.
 */
export function countTo(counts: Map<string, number>, key: string, threshold: number): number {
  const n = (counts.get(key) ?? 0) + 1;
  if (n >= threshold) {
    counts.delete(key);
    return n;
  }
  counts.set(key, n);
  return 0;
}

// MULTIPLE_RECONNECTION_ATTEMPTS: every 5 flows with Zeek state REJ per (profile, TW, saddr, daddr, dport).
export function isRejected(f: ConnRecord): boolean {
  return f.state === "REJ";
}

// MULTIPLE_RECONNECTION_ATTEMPTS (telnet): every 4 not-established TCP flows to 23 or 2323 per (profile, TW, saddr, daddr).
export function isFailedTelnet(f: ConnRecord): boolean {
  return f.proto === "tcp" && (f.dport === 23 || f.dport === 2323) &&
    f.interpreted === "Not Established";
}

export function reconnectionEvidence(
  f: Profiled<ConnRecord>,
  attempts: number,
  telnet: boolean,
): EvidenceInput {
  return {
    evidenceType: "MULTIPLE_RECONNECTION_ATTEMPTS",
    attacker: srcIp(f.saddr),
    victim: dstIp(f.daddr),
    threatLevel: "medium",
    confidence: 0.5,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description: telnet
      ? `Multiple telnet reconnection attempts from ${f.saddr} to ${f.daddr}: ${attempts} failed connections.`
      : `Multiple reconnection attempts from ${f.saddr} to ${f.daddr} on ${
        portProto(f.dport, f.proto)
      }: ${attempts} rejected connections.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}
