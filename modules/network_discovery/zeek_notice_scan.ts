/**
 * Scans that Zeek reported in notice.log: its own Port_Scan / Address_Scan notices and the ICMP
 * sweep notices of Slips' Zeek script.
 */
import type { EvidenceInput, NoticeRecord, Profiled } from "@slips/core";
import { isIp } from "@slips/core";
import { type IcmpSweepKind, sweepEvidence } from "./icmp_sweep.ts";

/** The sweep kind of Slips' ICMP notices (ICMP::ICMPAddressScan, …). */
export function icmpNoticeKind(note: string): IcmpSweepKind | undefined {
  if (note.includes("ICMPAddressScan")) return "address";
  if (note.includes("AddressMaskScan")) return "addressMask";
  if (note.includes("TimestampScan")) return "timestamp";
  return undefined;
}

/** The host count of an ICMP sweep notice ("… scan on 25 hosts"). */
export function noticeHosts(msg: string): number {
  const m = msg.match(/on (\d+) hosts/);
  return m ? Number(m[1]) : 0;
}

/** The scanned host of a Port_Scan notice ("… unique ports of host 10.0.0.1 in 0m5s"). */
export function portScanVictim(n: NoticeRecord): string {
  if (n.dst !== "" && isIp(n.dst)) return n.dst;
  const m = n.msg.match(/ports of host (\S+) in/);
  return m && isIp(m[1]) ? m[1] : "";
}

/**
 * Evidence from one notice. `flowSweepTracked(src, kind)` says whether the ICMP flows of that
 * source and kind are already being counted, in which case Slips' notice would report the same
 * sweep twice.
 */
export function noticeScanEvidence(
  n: Profiled<NoticeRecord>,
  flowSweepTracked: (src: string, kind: IcmpSweepKind) => boolean = () => false,
): EvidenceInput | undefined {
  const src = n.scanningIp || n.saddr;
  if (src === "") return undefined;
  const attacker = { direction: "SRC", iocType: "IP", value: src } as const;

  // VERTICAL_PORT_SCAN (Zeek): every Port_Scan notice, HIGH, confidence 1.
  if (n.note.includes("Port_Scan")) {
    const victim = portScanVictim(n);
    return {
      evidenceType: "VERTICAL_PORT_SCAN",
      attacker,
      victim: victim !== "" ? { direction: "DST", iocType: "IP", value: victim } : undefined,
      threatLevel: "high",
      confidence: 1,
      profileIp: src,
      twid: n.twid,
      ts: n.ts,
      description: `Vertical port scan of ${
        victim || "a host"
      } by ${src}, detected by Zeek: ${n.msg}`,
      uids: [n.uid],
      proto: n.proto || "tcp",
    };
  }

  // HORIZONTAL_PORT_SCAN (Zeek): every Address_Scan notice, HIGH, confidence 1.
  if (n.note.includes("Address_Scan")) {
    return {
      evidenceType: "HORIZONTAL_PORT_SCAN",
      attacker,
      threatLevel: "high",
      confidence: 1,
      profileIp: src,
      twid: n.twid,
      ts: n.ts,
      description: `Horizontal port scan by ${src}${
        n.scannedPort > 0 ? ` to port ${n.scannedPort}/${n.proto || "tcp"}` : ""
      }, detected by Zeek: ${n.msg}`,
      uids: [n.uid],
      proto: n.proto || "tcp",
      dstPort: n.scannedPort > 0 ? n.scannedPort : undefined,
    };
  }

  const kind = icmpNoticeKind(n.note);
  if (kind === undefined || flowSweepTracked(src, kind)) return undefined;
  return sweepEvidence(
    kind,
    src,
    noticeHosts(n.msg),
    { twid: n.twid, ts: n.ts, uids: [n.uid] },
    `Detected by Zeek: ${n.msg}`,
  );
}
