import assert from "node:assert/strict";
import {
  type ChannelMessage,
  type ConnRecord,
  type DhcpRecord,
  emptyConn,
  type EvidenceInput,
  type NoticeRecord,
  type Profiled,
} from "../../../core/mod.ts";
import {
  icmpSweepKind,
  IcmpSweepTracker,
  sweepConfidence,
} from "../../../modules/network_discovery/icmp_sweep.ts";
import { DhcpScanTracker } from "../../../modules/network_discovery/dhcp_scan.ts";
import {
  noticeHosts,
  noticeScanEvidence,
  portScanVictim,
} from "../../../modules/network_discovery/zeek_notice_scan.ts";
import NetworkDiscovery from "../../../modules/network_discovery/network_discovery.ts";
import { runModule } from "../../helpers/module_harness.ts";
import { SLIPS_DATA } from "../../helpers/datasets.ts";
import { readZeekLog } from "./zeek_log.ts";

const T0 = 1_700_000_000;
const SCANNER = "192.168.1.15";
let n = 0;

function icmp(
  daddr: string,
  type: number,
  over: Partial<ConnRecord> = {},
  twid = 1,
): Profiled<ConnRecord> {
  const r: ConnRecord = {
    ...emptyConn("zeek"),
    uid: `Cicmp${++n}`,
    ts: T0 + n,
    saddr: SCANNER,
    daddr,
    sport: type,
    dport: 0,
    proto: "icmp",
    icmpType: type,
    icmpCode: 0,
    ...over,
  };
  return { ...r, profileid: `profile_${r.saddr}`, twid };
}

function sweep(t: IcmpSweepTracker, hosts: number, type: number, twid = 1): EvidenceInput[] {
  const out: EvidenceInput[] = [];
  for (let i = 0; i < hosts; i++) {
    out.push(...t.add(icmp(`10.0.${Math.floor(i / 250)}.${i % 250}`, type, {}, twid)));
  }
  return out;
}

function notice(over: Partial<NoticeRecord>): Profiled<NoticeRecord> {
  const r: NoticeRecord = {
    kind: "notice",
    uid: `Nn${++n}`,
    ts: T0,
    saddr: SCANNER,
    daddr: SCANNER,
    sport: 0,
    dport: 0,
    proto: "tcp",
    source: "zeek",
    note: "",
    msg: "",
    scanningIp: SCANNER,
    scannedPort: 0,
    dst: "",
    ...over,
  };
  return { ...r, profileid: `profile_${r.saddr}`, twid: 1 };
}

function dhcpReq(requestedAddr: string, twid = 1, saddr = "192.168.1.30"): Profiled<DhcpRecord> {
  const r: DhcpRecord = {
    kind: "dhcp",
    uid: `Cd${++n}`,
    ts: T0,
    saddr,
    daddr: "192.168.1.1",
    sport: 68,
    dport: 67,
    proto: "udp",
    source: "zeek",
    uids: [`Cd${n}`],
    clientAddr: saddr,
    serverAddr: "192.168.1.1",
    mac: "24:4b:fe:1c:48:a4",
    hostName: "",
    requestedAddr,
  };
  return { ...r, profileid: `profile_${saddr}`, twid };
}

Deno.test("ICMP kinds from the type Zeek puts in the originator port", () => {
  assert.equal(icmpSweepKind(icmp("10.0.0.1", 8)), "address");
  assert.equal(icmpSweepKind(icmp("10.0.0.1", 13)), "timestamp");
  assert.equal(icmpSweepKind(icmp("10.0.0.1", 14)), "timestamp");
  assert.equal(icmpSweepKind(icmp("10.0.0.1", 17)), "addressMask");
  assert.equal(icmpSweepKind(icmp("10.0.0.1", 0)), undefined, "echo reply");
  assert.equal(icmpSweepKind(icmp("10.0.0.1", 3)), undefined, "unreachable");
  assert.equal(icmpSweepKind(icmp("fe80::1", 128)), "address", "ICMPv6 echo request");
  assert.equal(icmpSweepKind(icmp("10.0.0.1", -1)), undefined, "type unknown (Argus)");
  assert.equal(icmpSweepKind(icmp("10.0.0.1", 8, { proto: "tcp" })), undefined);
  assert.equal(sweepConfidence(5), 0);
  assert.equal(sweepConfidence(10), 0.02);
  assert.equal(sweepConfidence(255), 1);
});

Deno.test("ICMP_ADDRESS_SCAN: every 5 more hosts from 10 on, MEDIUM, (hosts−5)/250, SRC", () => {
  const t = new IcmpSweepTracker();
  const ev = sweep(t, 20, 8);
  assert.deepEqual(ev.map((e) => e.confidence), [0.02, 0.04, 0.06]);
  const e = ev[0];
  assert.equal(e.evidenceType, "ICMP_ADDRESS_SCAN");
  assert.equal(e.threatLevel, "medium");
  assert.equal(e.attacker.value, SCANNER);
  assert.equal(e.attacker.direction, "SRC");
  assert.equal(e.profileIp, SCANNER);
  assert.equal(e.uids.length, 10, "the flows since the last (unreported) step");
  assert.match(e.description, /on 10 hosts/);
});

Deno.test("ICMP sweeps must not: 9 hosts, repeated destinations, replies, a 0-confidence first step", () => {
  const t = new IcmpSweepTracker();
  assert.equal(sweep(t, 9, 8).length, 0);
  const t2 = new IcmpSweepTracker();
  for (let i = 0; i < 30; i++) assert.deepEqual(t2.add(icmp("10.0.0.1", 8)), []);
  const t3 = new IcmpSweepTracker();
  assert.equal(sweep(t3, 30, 0).length, 0);
});

Deno.test("ICMP_TIMESTAMP_SCAN and ICMP_ADDRESS_MASK_SCAN are counted separately", () => {
  const t = new IcmpSweepTracker();
  const ts = sweep(t, 10, 13);
  const mask = sweep(t, 10, 17);
  assert.deepEqual(ts.map((e) => e.evidenceType), ["ICMP_TIMESTAMP_SCAN"]);
  assert.deepEqual(mask.map((e) => e.evidenceType), ["ICMP_ADDRESS_MASK_SCAN"]);
});

Deno.test("ICMP sweep set restarts after 255 hosts (confidence 1 there)", () => {
  const t = new IcmpSweepTracker();
  const ev = sweep(t, 265, 8);
  const confs = ev.map((e) => e.confidence);
  assert.equal(confs.length, 51 - 1 + 1, "steps 10..255, then 10 again");
  assert.equal(confs.at(-2), 1);
  assert.equal(confs.at(-1), 0.02);
});

Deno.test("ICMP sweep state lives across windows and is released when its last window closes", () => {
  const t = new IcmpSweepTracker();
  sweep(t, 7, 8, 1);
  t.close(`profile_${SCANNER}`, 1);
  assert.equal(t.trackedSources, 0);
  sweep(t, 7, 8, 1);
  t.add(icmp("10.9.9.9", 8, {}, 2));
  t.close(`profile_${SCANNER}`, 1);
  assert.equal(t.trackedSources, 1, "still active in window 2");
  assert.ok(t.tracks(SCANNER, "address"));
  t.close(`profile_${SCANNER}`, 2);
  assert.equal(t.trackedSources, 0);
});

Deno.test("DHCP_SCAN: at 4 and 8 distinct requested addresses, MEDIUM 0.8, SRC profile IP", () => {
  const t = new DhcpScanTracker();
  const ev = [1, 2, 3, 4, 4, 5, 6, 7, 8, 9].flatMap((i) => t.add(dhcpReq(`192.168.1.${100 + i}`)));
  assert.equal(ev.length, 2);
  const e = ev[0];
  assert.equal(e.evidenceType, "DHCP_SCAN");
  assert.equal(e.threatLevel, "medium");
  assert.equal(e.confidence, 0.8);
  assert.equal(e.attacker.value, "192.168.1.30");
  assert.equal(e.profileIp, "192.168.1.30");
  assert.match(e.description, /4 different IP addresses/);
  assert.match(ev[1].description, /8 different/);
});

Deno.test("DHCP_SCAN must not: 3 addresses, one address renewed, none requested, split windows", () => {
  const t = new DhcpScanTracker();
  const ev = [
    ...["a", "b", "c"].map((x) => dhcpReq(`10.0.0.${x.charCodeAt(0)}`)),
    ...[1, 2, 3, 4, 5].map(() => dhcpReq("10.0.0.1", 1, "10.0.0.50")),
    ...[1, 2, 3, 4, 5].map(() => dhcpReq("", 1, "10.0.0.51")),
    dhcpReq("10.1.0.1", 1, "10.0.0.52"),
    dhcpReq("10.1.0.2", 1, "10.0.0.52"),
    dhcpReq("10.1.0.3", 2, "10.0.0.52"),
    dhcpReq("10.1.0.4", 2, "10.0.0.52"),
  ].flatMap((d) => t.add(d));
  assert.equal(ev.length, 0);
  t.close("profile_192.168.1.30", 1);
});

Deno.test("Zeek Port_Scan notice: VERTICAL_PORT_SCAN HIGH 1.0 with the victim from the message", () => {
  const e = noticeScanEvidence(notice({
    note: "Scan::Port_Scan",
    msg: `${SCANNER} scanned at least 15 unique ports of host 192.168.1.1 in 0m5s`,
  }))!;
  assert.equal(e.evidenceType, "VERTICAL_PORT_SCAN");
  assert.equal(e.threatLevel, "high");
  assert.equal(e.confidence, 1);
  assert.equal(e.attacker.value, SCANNER);
  assert.equal(e.victim?.value, "192.168.1.1");
  assert.equal(e.profileIp, SCANNER);
  assert.match(e.description, /detected by Zeek/);
  assert.equal(portScanVictim(notice({ dst: "10.0.0.9", msg: "x" })), "10.0.0.9");
});

Deno.test("Zeek notices that are not scans raise nothing", () => {
  assert.equal(
    noticeScanEvidence(notice({ note: "CaptureLoss::Too_Little_Traffic", msg: "x" })),
    undefined,
  );
  assert.equal(noticeScanEvidence(notice({ note: "SSH::Password_Guessing", msg: "x" })), undefined);
});

Deno.test("ICMP notices: skipped at 5 hosts, and when the flows are already counted", () => {
  const at = (h: number) =>
    notice({
      note: "ICMP::TimestampScan",
      msg: `${SCANNER} performed ICMP timestamp scan on ${h} hosts`,
    });
  assert.equal(noticeHosts(at(35).msg), 35);
  assert.equal(noticeScanEvidence(at(5)), undefined);
  const e = noticeScanEvidence(at(30))!;
  assert.equal(e.evidenceType, "ICMP_TIMESTAMP_SCAN");
  assert.equal(e.confidence, 0.1);
  assert.equal(e.threatLevel, "medium");
  assert.equal(noticeScanEvidence(at(30), () => true), undefined);
});

Deno.test("real data: test9 notice.log ICMP sweeps, test10 Address_Scan notices", () => {
  const t9 = readZeekLog<NoticeRecord>(`${SLIPS_DATA}/test9-mixed-zeek-dir/notice.log`, "notice");
  const ev9 = t9.map((r) => noticeScanEvidence(r)).filter((e) => e !== undefined);
  const count = (t: string) => ev9.filter((e) => e.evidenceType === t).length;
  // Address: 10, 230 … 255 (the two notices at 5 hosts carry no confidence); timestamp: 10, 15,
  // 250, 255; address mask: 240 … 255.
  assert.equal(count("ICMP_ADDRESS_SCAN"), 7);
  assert.equal(count("ICMP_TIMESTAMP_SCAN"), 4);
  assert.equal(count("ICMP_ADDRESS_MASK_SCAN"), 4);
  assert.ok(ev9.every((e) => e.profileIp === "192.168.1.15"));

  const t10 = readZeekLog<NoticeRecord>(`${SLIPS_DATA}/test10-mixed-zeek-dir/notice.log`, "notice");
  const ev10 = t10.map((r) => noticeScanEvidence(r)).filter((e) => e !== undefined);
  assert.equal(ev10.length, 12);
  assert.ok(ev10.every((e) => e.evidenceType === "HORIZONTAL_PORT_SCAN"));
  assert.ok(ev10.every((e) => e.attacker.value === "147.32.83.156"));
  assert.deepEqual(new Set(ev10.map((e) => e.dstPort)), new Set([23, 8080, 2323]));
});

Deno.test("real data: test13 dhcp.log, 10 addresses requested by one client → DHCP_SCAN at 4 and 8", () => {
  const recs = readZeekLog<DhcpRecord>(
    `${SLIPS_DATA}/test13-malicious-dhcpscan-zeek-dir/dhcp.log`,
    "dhcp",
  );
  const t = new DhcpScanTracker();
  const ev = recs.flatMap((r) => t.add(r));
  assert.equal(ev.length, 2);
  assert.ok(ev.every((e) => e.profileIp === "192.168.1.30"));
});

Deno.test("network_discovery module: ICMP flows, notices and DHCP reach the new detections", async () => {
  const flows = Array.from({ length: 10 }, (_, i) => icmp(`10.1.0.${i}`, 8));
  const messages: ChannelMessage[] = [
    ...flows.map((data) => ({ channel: "new_flow", data }) as ChannelMessage),
    // The same sweep reported by Slips' Zeek script is not counted twice.
    {
      channel: "new_notice",
      data: notice({
        note: "ICMP::ICMPAddressScan",
        msg: `${SCANNER} performed ICMP address scan on 10 hosts`,
      }),
    },
    {
      channel: "new_notice",
      data: notice({
        note: "Scan::Address_Scan",
        msg: "scanned at least 25 unique hosts on port 23/tcp",
        scannedPort: 23,
      }),
    },
    ...[1, 2, 3, 4].map((i) =>
      ({ channel: "new_dhcp", data: dhcpReq(`192.168.1.${i}`) }) as ChannelMessage
    ),
  ];
  const { evidence } = await runModule(new NetworkDiscovery(), messages);
  assert.deepEqual(evidence.map((e) => e.evidenceType).sort(), [
    "DHCP_SCAN",
    "HORIZONTAL_PORT_SCAN",
    "ICMP_ADDRESS_SCAN",
  ]);
});
