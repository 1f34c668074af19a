import { type ConnRecord, type EvidenceInput, isMulticast, type Profiled } from "@slips/core";
import { dstIp, portProto, srcIp } from "./entities.ts";

/**
 * Records write 0 for "no port", so only protocols that always carry ports can show a real
 * port 0; Slips' exclusion list (ICMP, IGMP, ARP) is implied.
 */
const PORTED = new Set(["tcp", "udp", "sctp"]);

// PORT_0_CONNECTION: sport or dport is 0 on a ported protocol, daddr not multicast.
export function isPortZero(f: ConnRecord): boolean {
  return (f.sport === 0 || f.dport === 0) && PORTED.has(f.proto) && !isMulticast(f.daddr);
}

export function portZeroEvidence(f: Profiled<ConnRecord>): EvidenceInput {
  const fromZero = f.sport === 0;
  return {
    evidenceType: "PORT_0_CONNECTION",
    // A source port 0 is crafted by the sender; a destination port 0 is answered by the other side.
    attacker: fromZero ? srcIp(f.saddr) : dstIp(f.daddr),
    victim: fromZero ? dstIp(f.daddr) : srcIp(f.saddr),
    threatLevel: "high",
    confidence: 0.8,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description: `Connection on port 0 from ${f.saddr}:${f.sport} to ${f.daddr}:${
      portProto(f.dport, f.proto)
    }.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}
