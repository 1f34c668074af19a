/** DHCP scans: one client requesting many different addresses (e.g. to exhaust the pool). */
import type { DhcpRecord, EvidenceInput, Profiled } from "@slips/core";

export const DHCP_SCAN_STEP = 4;

function profileIp(profileid: string): string {
  return profileid.startsWith("profile_") ? profileid.slice(8) : profileid;
}

export class DhcpScanTracker {
  readonly #requested = new Map<string, Set<string>>();

  /** DHCP_SCAN: distinct requested addresses per (profile, window); report at 4, 8, 12 … */
  add(d: Profiled<DhcpRecord>): EvidenceInput[] {
    if (d.requestedAddr === "") return [];
    const window = `${d.profileid}_${d.twid}`;
    let set = this.#requested.get(window);
    if (!set) this.#requested.set(window, set = new Set());
    if (set.has(d.requestedAddr)) return [];
    set.add(d.requestedAddr);
    if (set.size % DHCP_SCAN_STEP !== 0) return [];
    const ip = profileIp(d.profileid);
    return [{
      evidenceType: "DHCP_SCAN",
      attacker: { direction: "SRC", iocType: "IP", value: ip },
      threatLevel: "medium",
      confidence: 0.8,
      profileIp: ip,
      twid: d.twid,
      ts: d.ts,
      description:
        `${ip} requested ${set.size} different IP addresses over DHCP, a possible DHCP scan. Confidence: 0.8.`,
      uids: d.uids.length > 0 ? [...d.uids] : [d.uid],
      proto: "udp",
      dstPort: 67,
    }];
  }

  close(profileid: string, twid: number): void {
    this.#requested.delete(`${profileid}_${twid}`);
  }
}
