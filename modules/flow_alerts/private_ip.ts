import {
  type ConnRecord,
  type EvidenceInput,
  type IpRange,
  isPrivateRange,
  type Profiled,
} from "@slips/core";
import { dstIp, onPort, srcIp } from "./entities.ts";

/** UDP services every host asks its gateway for: DNS and DHCP. */
const GATEWAY_UDP = new Set([53, 67, 68]);

// CONNECTION_TO_PRIVATE_IP: saddr and daddr both private, except UDP 53/67/68 to the gateway; once per daddr and window.
export function isPrivateConnection(
  f: ConnRecord,
  gateway: string | undefined,
  sRange: IpRange,
  dRange: IpRange,
): boolean {
  if (!isPrivateRange(sRange) || !isPrivateRange(dRange)) return false;
  return !(f.proto === "udp" && f.daddr === gateway && GATEWAY_UDP.has(f.dport));
}

export function privateConnectionEvidence(f: Profiled<ConnRecord>): EvidenceInput {
  const where = f.proto === "ipv6-icmp" ? " (ICMP)" : onPort(f.dport, f.proto);
  return {
    evidenceType: "CONNECTION_TO_PRIVATE_IP",
    attacker: srcIp(f.saddr),
    victim: dstIp(f.daddr),
    threatLevel: "info",
    confidence: 1,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description: `Connection from ${f.saddr} to private IP ${f.daddr}${where}.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}
