import {
  type ConnRecord,
  type EvidenceInput,
  ipv4ToInt,
  isLinkLocal,
  isPrivate,
  type Profiled,
} from "@slips/core";
import { srcIp } from "./entities.ts";
import { BoundedMap, BoundedSet } from "@slips/core";

/** An IPv4 a device can be said to "have": not 0.0.0.0, broadcast or link-local. */
export function isDeviceIp(ip: string): boolean {
  return ip !== "0.0.0.0" && ip !== "255.255.255.255" && ipv4ToInt(ip) >= 0 && !isLinkLocal(ip);
}

interface Binding {
  ip: string;
  ts: number;
}

/**
 * MAC → the first IPv4 it was seen with, from conn source MACs, ARP, DHCP and the profiler's
 * MAC announcements. "First" is by traffic time, so the answer does not depend on which channel
 * happened to deliver first.
 */
export class MacBindings {
  #first = new BoundedMap<string, Binding>(200_000);
  #sources = new BoundedSet<string>(500_000);

  bind(mac: string, ip: string, ts: number): void {
    if (mac === "" || !isDeviceIp(ip)) return;
    const m = mac.toLowerCase();
    const b = this.#first.get(m);
    if (b === undefined || ts < b.ts) this.#first.set(m, { ip, ts });
  }

  /** The first IP of `mac` bound before `ts`, if any. */
  firstIp(mac: string, ts: number): string | undefined {
    const b = this.#first.get(mac.toLowerCase());
    return b !== undefined && b.ts <= ts ? b.ip : undefined;
  }

  /** True the first time `ip` is seen as a conn source. */
  newSource(ip: string): boolean {
    if (this.#sources.has(ip)) return false;
    this.#sources.add(ip);
    return true;
  }
}

// DEVICE_CHANGING_IP: the first flow of a private IPv4 source whose MAC was bound earlier to a different IPv4.
export function changedIp(f: ConnRecord, macs: MacBindings): string | undefined {
  if (f.smac === "" || !isDeviceIp(f.saddr) || !isPrivate(f.saddr)) return undefined;
  if (!macs.newSource(f.saddr)) return undefined;
  const before = macs.firstIp(f.smac, f.ts);
  macs.bind(f.smac, f.saddr, f.ts);
  return before !== undefined && before !== f.saddr ? before : undefined;
}

export function changedIpEvidence(f: Profiled<ConnRecord>, before: string): EvidenceInput {
  return {
    evidenceType: "DEVICE_CHANGING_IP",
    attacker: srcIp(f.saddr),
    threatLevel: "medium",
    confidence: 0.8,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description:
      `A device changing IPs: ${f.saddr} uses MAC ${f.smac}, which belonged to ${before} before.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}
