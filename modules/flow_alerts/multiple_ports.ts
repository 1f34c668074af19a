import { type ConnRecord, type EvidenceInput, type Profiled, serviceName } from "@slips/core";
import { dstIp, srcIp } from "./entities.ts";

/** Distinct ports from one client to one server in a window, and how many were last reported. */
export interface PortSet {
  ports: Set<number>;
  reported: number;
}

/** Ports kept per pair; a pair past this is a scan, which the scan detectors report. */
const MAX_PORTS = 1000;
/** Ports listed in a description. */
const LISTED = 20;

// CONNECTION_TO_MULTIPLE_PORTS: established TCP with no known service to >1 distinct dports of one server; re-reported as the count grows.
export function isUnidentifiedEstablishedTcp(f: ConnRecord): boolean {
  return f.proto === "tcp" && f.interpreted === "Established" && f.appproto === "" &&
    serviceName(f.dport, "tcp") === undefined;
}

/** Adds the flow's port; returns the port count when it is a new high worth reporting, else 0. */
export function addPort(pairs: Map<string, PortSet>, f: ConnRecord): number {
  let set = pairs.get(f.daddr);
  if (set === undefined) pairs.set(f.daddr, set = { ports: new Set(), reported: 0 });
  if (set.ports.size >= MAX_PORTS || set.ports.has(f.dport)) return 0;
  set.ports.add(f.dport);
  const n = set.ports.size;
  if (n > 1 && n > set.reported) {
    set.reported = n;
    return n;
  }
  return 0;
}

export function multiplePortsEvidence(f: Profiled<ConnRecord>, ports: Set<number>): EvidenceInput {
  const list = [...ports].slice(0, LISTED).join(", ") + (ports.size > LISTED ? ", …" : "");
  return {
    evidenceType: "CONNECTION_TO_MULTIPLE_PORTS",
    attacker: srcIp(f.saddr),
    victim: dstIp(f.daddr),
    threatLevel: "info",
    confidence: 0.5,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description:
      `${f.saddr} has established connections to ${ports.size} ports of ${f.daddr} that run no known service: ${list}.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
}
