/**
 * ICMP sweeps computed from the ICMP flows themselves, the way Slips' icmp-scans.zeek script
 * computes its notices: per source and ICMP kind, the set of distinct destinations; a report each
 * time it grows by another 5; the set starts over after 255 hosts.
 */
import type { ConnRecord, EvidenceInput, EvidenceType, Profiled } from "@slips/core";
import { isIpv6 } from "@slips/core";

export type IcmpSweepKind = "address" | "timestamp" | "addressMask";

export const SWEEP_STEP = 5;
export const SWEEP_RESET = 255;

export const SWEEP_EVIDENCE: Record<IcmpSweepKind, EvidenceType> = {
  address: "ICMP_ADDRESS_SCAN",
  timestamp: "ICMP_TIMESTAMP_SCAN",
  addressMask: "ICMP_ADDRESS_MASK_SCAN",
};

const SWEEP_NAME: Record<IcmpSweepKind, string> = {
  address: "ICMP address scan (echo requests)",
  timestamp: "ICMP timestamp scan",
  addressMask: "ICMP address mask scan",
};

/** Which sweep an ICMP flow belongs to: echo request (8, or 128 for ICMPv6), timestamp 13/14, mask 17/18. */
export function icmpSweepKind(f: ConnRecord): IcmpSweepKind | undefined {
  if (f.proto !== "icmp" && f.proto !== "ipv6-icmp" && f.proto !== "icmp6") return undefined;
  const t = f.icmpType;
  if (isIpv6(f.daddr) || f.proto !== "icmp") return t === 128 ? "address" : undefined;
  if (t === 8) return "address";
  if (t === 13 || t === 14) return "timestamp";
  if (t === 17 || t === 18) return "addressMask";
  return undefined;
}

/** (hosts − 5)/250: 0 at the first notice (5 hosts), 1 at 255. */
export function sweepConfidence(hosts: number): number {
  return Math.max(0, Math.min(1, (hosts - SWEEP_STEP) / (SWEEP_RESET - SWEEP_STEP)));
}

/**
 * ICMP_*_SCAN evidence for a sweep that reached `hosts` destinations. At 5 hosts the confidence
 * is 0 (quirk Q7): such evidence adds nothing to the score and only clutters alerts, so none is
 * made and sweeps are first reported at 10 hosts.
 */
export function sweepEvidence(
  kind: IcmpSweepKind,
  src: string,
  hosts: number,
  at: { twid: number; ts: number; uids: string[] },
  detectedBy: string,
): EvidenceInput | undefined {
  const confidence = sweepConfidence(hosts);
  if (confidence <= 0) return undefined;
  return {
    evidenceType: SWEEP_EVIDENCE[kind],
    attacker: { direction: "SRC", iocType: "IP", value: src },
    threatLevel: "medium",
    confidence,
    profileIp: src,
    twid: at.twid,
    ts: at.ts,
    description: `${src} performed an ${
      SWEEP_NAME[kind]
    } on ${hosts} hosts. Confidence: ${confidence}. ${detectedBy}`,
    uids: at.uids,
    proto: "icmp",
  };
}

interface Sweep {
  peers: Set<string>;
  uids: string[];
  /** The latest window of the source that fed this sweep; the sweep is dropped when it closes. */
  lastTwid: number;
}

const MAX_UIDS = 300;

/** Sweeps per source across windows, released when the source's latest window closes. */
export class IcmpSweepTracker {
  readonly #bySource = new Map<string, Map<IcmpSweepKind, Sweep>>();

  /** ICMP_ADDRESS/TIMESTAMP/ADDRESS_MASK_SCAN: every further 5 distinct destinations of one kind (reset at 255). */
  add(f: Profiled<ConnRecord>): EvidenceInput[] {
    const kind = icmpSweepKind(f);
    if (kind === undefined || f.saddr === "255.255.255.255") return [];
    let kinds = this.#bySource.get(f.saddr);
    if (!kinds) this.#bySource.set(f.saddr, kinds = new Map());
    let s = kinds.get(kind);
    if (!s) kinds.set(kind, s = { peers: new Set(), uids: [], lastTwid: f.twid });
    s.lastTwid = Math.max(s.lastTwid, f.twid);
    if (s.peers.has(f.daddr)) return [];
    s.peers.add(f.daddr);
    if (s.uids.length < MAX_UIDS) s.uids.push(f.uid);
    const hosts = s.peers.size;
    if (hosts % SWEEP_STEP !== 0) return [];
    if (hosts >= SWEEP_RESET) s.peers.clear();
    const e = sweepEvidence(
      kind,
      f.saddr,
      hosts,
      { twid: f.twid, ts: f.ts, uids: s.uids },
      "Detected by Slips.",
    );
    // An unreported step (5 hosts) hands its flows on to the next report.
    if (!e) return [];
    s.uids = [];
    return [e];
  }

  /** True when ICMP flows of this kind from this source are being counted here (a notice would repeat them). */
  tracks(src: string, kind: IcmpSweepKind): boolean {
    return this.#bySource.get(src)?.has(kind) ?? false;
  }

  close(profileid: string, twid: number): void {
    const src = profileid.startsWith("profile_") ? profileid.slice(8) : profileid;
    const kinds = this.#bySource.get(src);
    if (!kinds) return;
    for (const [k, s] of kinds) if (s.lastTwid <= twid) kinds.delete(k);
    if (kinds.size === 0) this.#bySource.delete(src);
  }

  get trackedSources(): number {
    return this.#bySource.size;
  }
}
