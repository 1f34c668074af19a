/**
 * Slips-native port-scan detection: per profile, time window and protocol, count distinct
 * targets of not-established flows, and report when the count enters a new power of ten.
 */
import type { ConnRecord, EvidenceInput, Profiled } from "@slips/core";
import { isLinkLocal, isLoopback, isMulticast, isReserved } from "@slips/core";

/** Confidence grows with the packets sent: over 10 packets is certain, none is a weak hint. */
export function scanConfidence(pkts: number): number {
  if (pkts > 10) return 1;
  if (pkts === 0) return 0.3;
  return pkts / 10;
}

/** A scan is reported when the count exceeds 5 and reaches a higher power of ten than before. */
export function shouldReport(count: number, lastBucket: number): number | undefined {
  if (count <= 5) return undefined;
  const bucket = Math.floor(Math.log10(count));
  return bucket > lastBucket ? bucket : undefined;
}

function excludedTarget(ip: string): boolean {
  return isMulticast(ip) || isLinkLocal(ip) || isLoopback(ip) || isReserved(ip);
}

/** Flows that can be part of a port scan: TCP/UDP, not established, not direction-flipped. */
export function isScanCandidate(f: ConnRecord): boolean {
  if (f.proto !== "tcp" && f.proto !== "udp") return false;
  if (f.interpreted !== "Not Established") return false;
  if (f.history.includes("^")) return false;
  return !excludedTarget(f.daddr);
}

const MAX_UIDS = 10_000;

interface Tally {
  targets: Set<string | number>;
  pkts: number;
  firstTs: number;
  lastBucket: number;
  uids: string[];
}

function tally(map: Map<string, Tally>, key: string, ts: number): Tally {
  let t = map.get(key);
  if (!t) map.set(key, t = { targets: new Set(), pkts: 0, firstTs: ts, lastBucket: 0, uids: [] });
  return t;
}

/** Per-window scan state of all profiles. */
export class PortScanTracker {
  #horizontal = new Map<string, Tally>();
  #vertical = new Map<string, Tally>();
  /** Window keys (profileid_twid) → the tally keys they own, to release them on close. */
  #byWindow = new Map<string, Set<string>>();

  constructor(
    private readonly describeService: (port: number, proto: string) => string = () => "",
  ) {}

  #own(window: string, key: string): void {
    let s = this.#byWindow.get(window);
    if (!s) this.#byWindow.set(window, s = new Set());
    s.add(key);
  }

  /** Feeds one flow; returns the evidence it completes, if any. */
  add(f: Profiled<ConnRecord>): EvidenceInput[] {
    if (!isScanCandidate(f)) return [];
    const out: EvidenceInput[] = [];
    const window = `${f.profileid}_${f.twid}`;
    const proto = f.proto;

    // Horizontal: one port on more than 5 hosts, reported at 10, 100, 1000 … hosts.
    if (!excludedTarget(f.saddr)) {
      const hk = `${window}|${proto}|${f.dport}`;
      this.#own(window, hk);
      const h = tally(this.#horizontal, hk, f.ts);
      h.targets.add(f.daddr);
      h.pkts += f.spkts + f.dpkts;
      if (h.uids.length < MAX_UIDS) h.uids.push(f.uid);
      const bucket = shouldReport(h.targets.size, h.lastBucket);
      if (bucket !== undefined) {
        h.lastBucket = bucket;
        const confidence = scanConfidence(h.pkts);
        const service = this.describeService(f.dport, proto);
        out.push({
          evidenceType: "HORIZONTAL_PORT_SCAN",
          attacker: { direction: "SRC", iocType: "IP", value: f.saddr },
          threatLevel: "high",
          confidence,
          profileIp: f.saddr,
          twid: f.twid,
          ts: h.firstTs,
          description: `Horizontal port scan to port ${f.dport}/${proto}${
            service ? ` (${service})` : ""
          } from ${f.saddr}: ${h.targets.size} different destination IPs, ${h.pkts} packets in total. Confidence: ${confidence}. Detected by Slips.`,
          uids: [...h.uids],
          proto,
          dstPort: f.dport,
        });
        h.uids = [];
      }
    }

    // Vertical: more than 5 ports of one host, reported at 10, 100, 1000 … ports.
    const vk = `${window}|${proto}|${f.daddr}`;
    this.#own(window, vk);
    const v = tally(this.#vertical, vk, f.ts);
    v.targets.add(f.dport);
    v.pkts += f.spkts;
    if (v.uids.length < MAX_UIDS) v.uids.push(f.uid);
    const bucket = shouldReport(v.targets.size, v.lastBucket);
    if (bucket !== undefined) {
      v.lastBucket = bucket;
      const confidence = scanConfidence(v.pkts);
      out.push({
        evidenceType: "VERTICAL_PORT_SCAN",
        attacker: { direction: "SRC", iocType: "IP", value: f.saddr },
        victim: { direction: "DST", iocType: "IP", value: f.daddr },
        threatLevel: "high",
        confidence,
        profileIp: f.saddr,
        twid: f.twid,
        ts: v.firstTs,
        description:
          `Vertical port scan to IP ${f.daddr} from ${f.saddr}: ${v.targets.size} different ${proto.toUpperCase()} destination ports, ${v.pkts} packets sent. Confidence: ${confidence}. Detected by Slips.`,
        uids: [...v.uids],
        proto,
      });
      v.uids = [];
    }
    return out;
  }

  /** Forgets a closed window. */
  close(profileid: string, twid: number): void {
    const window = `${profileid}_${twid}`;
    for (const k of this.#byWindow.get(window) ?? []) {
      this.#horizontal.delete(k);
      this.#vertical.delete(k);
    }
    this.#byWindow.delete(window);
  }

  get trackedKeys(): number {
    return this.#horizontal.size + this.#vertical.size;
  }
}
