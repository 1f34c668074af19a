/**
 * ARP scans: one host asking who has many different addresses in a short time. After the
 * first report of the run, reports of the same profile and window that come within 10 seconds
 * of traffic time are merged into one, as a scan produces a hit every 5 addresses.
 */
import type { ArpRecord, EvidenceInput, Profiled } from "@slips/core";

export const ARP_SCAN_MIN_IPS = 5;
export const ARP_SCAN_SPAN_S = 30;
export const ARP_SCAN_MERGE_S = 10;
const ZERO_MAC = "00:00:00:00:00:00";

/** Requests to an unknown MAC are resolution requests; gratuitous and probe traffic is not a scan. */
export function isScanRequest(r: ArpRecord): boolean {
  return r.operation.includes("request") && r.dstHw === ZERO_MAC;
}

interface Hit {
  profileid: string;
  ip: string;
  twid: number;
  ts: number;
  count: number;
  uids: string[];
  /** Traffic time after which a pending hit is reported. */
  due: number;
}

function evidence(h: Hit): EvidenceInput {
  return {
    evidenceType: "ARP_SCAN",
    attacker: { direction: "SRC", iocType: "IP", value: h.ip },
    threatLevel: "low",
    confidence: 0.8,
    profileIp: h.ip,
    twid: h.twid,
    ts: h.ts,
    description:
      `${h.ip} is performing an ARP scan: it asked for the MAC of ${h.count} different IP addresses, at least ${ARP_SCAN_MIN_IPS} of them within ${ARP_SCAN_SPAN_S} seconds. Confidence: 0.8.`,
    uids: h.uids,
    proto: "arp",
  };
}

export class ArpScanTracker {
  /** Per window: requested IP → {latest ts, uid}, oldest first. */
  readonly #requests = new Map<string, Map<string, { ts: number; uid: string }>>();
  readonly #pending = new Map<string, Hit>();
  #reportedOnce = false;

  /** ARP_SCAN: ≥ 5 distinct requested IPs whose latest requests span ≤ 30 s; the cache then restarts. */
  add(r: Profiled<ArpRecord>): EvidenceInput[] {
    const out = this.flushDue(r.ts);
    const window = `${r.profileid}_${r.twid}`;
    let req = this.#requests.get(window);
    if (!req) this.#requests.set(window, req = new Map());
    req.delete(r.daddr);
    req.set(r.daddr, { ts: r.ts, uid: r.uid });
    // Slide: only the last 30 s matter, so older targets can never complete a scan.
    for (const [ip, v] of req) {
      if (v.ts >= r.ts - ARP_SCAN_SPAN_S) break;
      req.delete(ip);
    }
    if (req.size < ARP_SCAN_MIN_IPS) return out;
    const hit: Hit = {
      profileid: r.profileid,
      ip: r.saddr,
      twid: r.twid,
      ts: r.ts,
      count: req.size,
      uids: [...req.values()].map((v) => v.uid),
      due: r.ts + ARP_SCAN_MERGE_S,
    };
    this.#requests.delete(window);
    if (!this.#reportedOnce) {
      this.#reportedOnce = true;
      out.push(evidence(hit));
      return out;
    }
    const p = this.#pending.get(window);
    if (p) {
      p.ts = hit.ts;
      p.count += hit.count;
      p.uids.push(...hit.uids);
    } else {
      this.#pending.set(window, hit);
    }
    return out;
  }

  /** Reports merged hits whose 10 s have passed in traffic time. */
  flushDue(now: number): EvidenceInput[] {
    const out: EvidenceInput[] = [];
    for (const [w, h] of this.#pending) {
      if (h.due >= now) continue;
      this.#pending.delete(w);
      out.push(evidence(h));
    }
    return out;
  }

  /** Forgets a closed window, reporting its merged hit if one is waiting. */
  close(profileid: string, twid: number): EvidenceInput[] {
    const w = `${profileid}_${twid}`;
    this.#requests.delete(w);
    const h = this.#pending.get(w);
    this.#pending.delete(w);
    return h ? [evidence(h)] : [];
  }

  /** Reports every waiting hit (end of input). */
  flushAll(): EvidenceInput[] {
    const out = [...this.#pending.values()].map(evidence);
    this.#pending.clear();
    return out;
  }
}
