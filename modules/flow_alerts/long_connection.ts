import { type ConnRecord, type EvidenceInput, isMulticast, type Profiled } from "@slips/core";
import { dstIp, onPort, srcIp } from "./entities.ts";

// LONG_CONNECTION: one flow lasting more than long_connection_threshold s (1500, strict); multicast excluded.
export function isLongConnection(f: ConnRecord, thresholdSec: number): boolean {
  return f.dur > thresholdSec && !isMulticast(f.saddr) && !isMulticast(f.daddr);
}

export function longConnectionEvidence(f: Profiled<ConnRecord>): EvidenceInput {
  const minutes = Math.trunc(f.dur / 60);
  return {
    evidenceType: "LONG_CONNECTION",
    attacker: srcIp(f.saddr),
    victim: dstIp(f.daddr),
    threatLevel: "low",
    // A day-long connection is as sure as it gets; shorter ones scale down linearly.
    confidence: Math.round(Math.min(1, f.dur / 86400) * 100) / 100,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description: `Long connection from ${f.saddr} to ${f.daddr}${
      onPort(f.dport, f.proto)
    } lasting ${minutes} minutes.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}
