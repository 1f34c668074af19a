import {
  type EvidenceInput,
  type IpRange,
  ipv4ToInt,
  isPrivateRange,
  type LocalNetwork,
  type RecordBase,
} from "@slips/core";
import { dstIp, onPort, srcIp } from "./entities.ts";

export interface LocalnetFinding {
  /** The destination is a private IP outside the local network (HIGH, blames the destination). */
  dst: boolean;
  /** The source is a private IP outside the local network (LOW, blames the source). */
  src: boolean;
}

const NONE: LocalnetFinding = { dst: false, src: false };

/** Ranges that never take part: 0.0.0.0, broadcast, loopback, multicast, non-IPs. */
const UNUSABLE = new Set(["unspecified", "broadcast", "loopback", "multicast", "invalid"]);

function usable(ip: string, r: IpRange): boolean {
  return !UNUSABLE.has(r) && ipv4ToInt(ip) >= 0;
}

// DIFFERENT_LOCALNET: IPv4 flow towards a private daddr where daddr (dst check) or saddr (src check) is private and outside the local network.
export function outsideLocalnet(
  r: RecordBase,
  localNet: LocalNetwork,
  sRange: IpRange,
  dRange: IpRange,
): LocalnetFinding {
  // Only private→private and public→private pairs: the destination must be private.
  if (!localNet.known || !isPrivateRange(dRange)) return NONE;
  if (!usable(r.saddr, sRange) || !usable(r.daddr, dRange)) return NONE;
  const dst = !localNet.contains(r.daddr);
  const src = isPrivateRange(sRange) && !localNet.contains(r.saddr);
  return dst || src ? { dst, src } : NONE;
}

/** The evidence for a finding: up to two, one per side found outside. */
export function outsideLocalnetEvidence(
  r: RecordBase & { twid: number },
  finding: LocalnetFinding,
  localNet: LocalNetwork,
  what: "Connection" | "DNS query",
): EvidenceInput[] {
  const out: EvidenceInput[] = [];
  const port = onPort(r.dport, r.proto);
  const common = {
    evidenceType: "DIFFERENT_LOCALNET" as const,
    confidence: 1,
    twid: r.twid,
    ts: r.ts,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
  if (finding.dst) {
    out.push({
      ...common,
      attacker: dstIp(r.daddr),
      victim: srcIp(r.saddr),
      threatLevel: "high",
      profileIp: r.daddr,
      description:
        `${what} from ${r.saddr} to private IP ${r.daddr}${port}, which is outside the local network ${localNet.cidr}.`,
    });
  }
  if (finding.src) {
    out.push({
      ...common,
      attacker: srcIp(r.saddr),
      victim: dstIp(r.daddr),
      threatLevel: "low",
      profileIp: r.saddr,
      description:
        `${what} from private IP ${r.saddr}, which is outside the local network ${localNet.cidr}, to ${r.daddr}${port}.`,
    });
  }
  return out;
}

/** Answered 53/udp queries from a private resolver outside the local network before it is trusted. */
export const RESOLVER_TRUST_AFTER = 5;

/**
 * Private resolvers outside the local network are usually a VPN's or a misconfiguration; after a
 * few answered queries they are taken as the network's resolver and no longer reported.
 */
export class OutsideResolvers {
  #answered = new Map<string, number>();

  /** Counts an answered query; true once the resolver has answered often enough. */
  answered(resolver: string): boolean {
    const n = (this.#answered.get(resolver) ?? 0) + 1;
    if (this.#answered.size < 10_000 || this.#answered.has(resolver)) {
      this.#answered.set(resolver, n);
    }
    return n >= RESOLVER_TRUST_AFTER;
  }

  trusted(resolver: string): boolean {
    return (this.#answered.get(resolver) ?? 0) >= RESOLVER_TRUST_AFTER;
  }
}
