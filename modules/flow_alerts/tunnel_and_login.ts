import {
  type EvidenceInput,
  isIp,
  type LoginRecord,
  type Profiled,
  type TunnelRecord,
} from "@slips/core";
import { dstIp, srcIp } from "./entities.ts";

// GRE_TUNNEL / GRE_SCAN: tunnel_type Tunnel::GRE; action Tunnel::DISCOVER is a scan, any other action a tunnel.
export function greEvidence(r: Profiled<TunnelRecord>): EvidenceInput | undefined {
  if (r.tunnelType !== "Tunnel::GRE") return undefined;
  const scan = r.action === "Tunnel::DISCOVER";
  return {
    evidenceType: scan ? "GRE_SCAN" : "GRE_TUNNEL",
    attacker: srcIp(r.saddr),
    victim: dstIp(r.daddr),
    threatLevel: "low",
    confidence: 1,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description: scan
      ? `GRE tunnel scan from ${r.saddr} to ${r.daddr} (action ${r.action}).`
      : `GRE tunnel between ${r.saddr} and ${r.daddr} (action ${r.action}).`,
    uids: [r.uid],
    proto: r.proto,
  };
}

/** Transport names (the record's proto may hold either) and the login services' ports. */
const LOGIN_SERVICES: Record<string, string> = {
  "": "",
  tcp: "",
  udp: "",
  "23": "telnet",
  "513": "rlogin",
  "514": "rsh",
};

// LOGIN: every telnet/rlogin/rsh login record with a valid daddr (success, confused or failed).
export function loginEvidence(r: Profiled<LoginRecord>): EvidenceInput | undefined {
  if (!isIp(r.daddr)) return undefined;
  const status = r.success ? "Successful" : r.confused ? "Confused" : "Failed";
  const service = LOGIN_SERVICES[r.proto] === undefined
    ? r.proto
    : (LOGIN_SERVICES[String(r.dport)] ?? "remote");
  const user = r.user !== "" ? ` as user ${r.user}` : "";
  return {
    evidenceType: "LOGIN",
    attacker: dstIp(r.daddr),
    victim: srcIp(r.saddr),
    threatLevel: "info",
    confidence: 1,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description: `${status} ${service} login from ${r.saddr} to ${r.daddr}${user}.`,
    uids: [r.uid],
    proto: "tcp",
    srcPort: r.sport,
    dstPort: r.dport,
  };
}
