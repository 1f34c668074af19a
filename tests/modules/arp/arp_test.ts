import assert from "node:assert/strict";
import Arp from "../../../modules/arp/arp.ts";
import { runModule } from "../../helpers/module_harness.ts";
import type { ArpRecord, ChannelMessage, Evidence, NoticeRecord } from "../../../core/mod.ts";
import { SLIPS_DATA } from "../../helpers/datasets.ts";
import { readZeekLog } from "../network_discovery_extras/zeek_log.ts";
import { arp, conn, dhcp, T0 } from "../http_analyzer/records.ts";

const A = (over: Partial<ArpRecord>, twid = 1): ChannelMessage => ({
  channel: "new_arp",
  data: arp(over, twid),
});

const request = (i: number, ts: number, saddr = "192.168.1.10") =>
  A({ saddr, daddr: `192.168.1.${100 + i}`, ts, operation: "request", dstHw: "00:00:00:00:00:00" });

async function run(messages: ChannelMessage[]): Promise<Evidence[]> {
  return (await runModule(new Arp(), messages)).evidence;
}

const ofType = (ev: Evidence[], t: string) => ev.filter((e) => e.evidenceType === t);

Deno.test("ARP_SCAN: 5 distinct requested IPs within 30 s must raise, LOW 0.8, SRC", async () => {
  const ev = await run([0, 1, 2, 3, 4].map((i) => request(i, T0 + i * 5)));
  const s = ofType(ev, "ARP_SCAN");
  assert.equal(s.length, 1);
  assert.equal(s[0].threatLevel, "low");
  assert.equal(s[0].confidence, 0.8);
  assert.equal(s[0].attacker.value, "192.168.1.10");
  assert.equal(s[0].attacker.direction, "SRC");
  assert.equal(s[0].profileIp, "192.168.1.10");
  assert.equal(s[0].uids.length, 5);
  assert.match(s[0].description, /ARP scan.*5 different/);
});

Deno.test("ARP_SCAN must not: 4 IPs, repeats of one IP, spread over > 30 s, gateway, 0.0.0.0", async () => {
  const ev = await run([
    ...[0, 1, 2, 3].map((i) => request(i, T0 + i)),
    ...[0, 0, 0, 0, 0, 0].map((i, k) => request(i, T0 + 10 + k, "192.168.1.11")),
    ...[0, 1, 2, 3, 4].map((i) => request(i, T0 + i * 8, "192.168.1.12")),
    ...[0, 1, 2, 3, 4].map((i) => request(i, T0 + i, "0.0.0.0")),
  ]);
  assert.equal(ofType(ev, "ARP_SCAN").length, 0);

  // The gateway, known from a Zeek notice, sweeps the LAN as part of its job.
  const gw: NoticeRecord = {
    kind: "notice",
    uid: "Ngw",
    ts: T0,
    saddr: "192.168.1.1",
    daddr: "192.168.1.1",
    sport: 0,
    dport: 0,
    proto: "",
    source: "zeek",
    note: "Gateway_addr_identified",
    msg: "Gateway address identified: 192.168.1.1",
    scanningIp: "",
    scannedPort: 0,
    dst: "",
  };
  const ev2 = await run([
    { channel: "new_notice", data: { ...gw, profileid: "profile_192.168.1.1", twid: 1 } },
    ...[0, 1, 2, 3, 4].map((i) => request(i, T0 + i, "192.168.1.1")),
  ]);
  assert.equal(ofType(ev2, "ARP_SCAN").length, 0);
});

Deno.test("ARP_SCAN: the gateway learned from flows (MAC) and ARP (IP) is skipped too", async () => {
  const gwMac = "00:11:22:33:44:55";
  const ev = await run([
    A({ saddr: "192.168.1.1", smac: gwMac, operation: "reply", dstHw: "aa:bb:cc:dd:ee:01" }),
    { channel: "new_flow", data: conn({ saddr: "192.168.1.10", daddr: "8.8.8.8", dmac: gwMac }) },
    ...[0, 1, 2, 3, 4].map((i) => request(i, T0 + i, "192.168.1.1")),
  ]);
  assert.equal(ofType(ev, "ARP_SCAN").length, 0);
});

Deno.test("ARP_SCAN: a window slides, so a late burst still counts; later reports merge per 10 s", async () => {
  const msgs: ChannelMessage[] = [
    request(50, T0), // stale by the time the burst comes
    ...Array.from({ length: 5 }, (_, i) => request(i, T0 + 100 + i)), // first report, immediate
    ...Array.from({ length: 10 }, (_, i) => request(10 + i, T0 + 106 + i * 0.1)), // two hits, merged
    request(99, T0 + 200), // traffic time moves on: the merged report is due
  ];
  const s = ofType(await run(msgs), "ARP_SCAN");
  assert.equal(s.length, 2);
  assert.equal(s[0].uids.length, 5);
  assert.equal(s[1].uids.length, 10);
  assert.match(s[1].description, /10 different/);
});

Deno.test("ARP_SCAN: a merged report still waiting is flushed when its window closes", async () => {
  const msgs: ChannelMessage[] = [
    ...Array.from({ length: 5 }, (_, i) => request(i, T0 + i)),
    ...Array.from({ length: 5 }, (_, i) => request(10 + i, T0 + 6 + i)),
    {
      channel: "tw_closed",
      data: {
        profileid: "profile_192.168.1.10",
        ip: "192.168.1.10",
        twid: 1,
        start: T0,
        end: T0 + 3600,
      },
    },
  ];
  assert.equal(ofType(await run(msgs), "ARP_SCAN").length, 2);
});

Deno.test("ARP_OUTSIDE_LOCALNET: request for a public address of another first octet", async () => {
  const ev = await run([
    A({ saddr: "192.168.1.15", daddr: "69.220.152.0", dstHw: "30:30:30:30:30:30" }),
    A({ saddr: "192.168.1.15", daddr: "69.220.152.0", dstHw: "30:30:30:30:30:30" }),
  ]);
  const o = ofType(ev, "ARP_OUTSIDE_LOCALNET");
  assert.equal(o.length, 1, "one per (profile, window, target)");
  assert.equal(o[0].threatLevel, "low");
  assert.equal(o[0].confidence, 0.6);
  assert.equal(o[0].attacker.value, "192.168.1.15");
  assert.equal(o[0].victim?.value, "69.220.152.0");
  assert.equal(o[0].profileIp, "192.168.1.15");
});

Deno.test("ARP_OUTSIDE_LOCALNET must not: private, multicast, link-local, same octet, 0.0.0.0, replies", async () => {
  const ev = await run([
    A({ saddr: "192.168.1.15", daddr: "10.0.0.1" }),
    A({ saddr: "192.168.1.15", daddr: "224.0.0.251" }),
    A({ saddr: "192.168.1.15", daddr: "169.254.3.3" }),
    A({ saddr: "147.32.83.10", daddr: "147.32.80.1" }),
    A({ saddr: "0.0.0.0", daddr: "8.8.8.8" }),
    A({ saddr: "192.168.1.15", daddr: "8.8.8.8", operation: "reply" }),
  ]);
  assert.equal(ofType(ev, "ARP_OUTSIDE_LOCALNET").length, 0);
  // Slips' text-prefix test would let 1.x → 10.x pass; whole octets differ.
  const ev2 = await run([A({ saddr: "1.2.3.4", daddr: "100.1.1.1" })]);
  assert.equal(ofType(ev2, "ARP_OUTSIDE_LOCALNET").length, 1);
});

Deno.test("UNSOLICITED_ARP: broadcast reply raises LOW 0.8; a unicast reply does not", async () => {
  const bcast = {
    operation: "reply",
    smac: "aa:bb:cc:00:00:01",
    srcHw: "aa:bb:cc:00:00:01",
    dmac: "ff:ff:ff:ff:ff:ff",
    dstHw: "ff:ff:ff:ff:ff:ff",
  };
  const ev = await run([
    A(bcast),
    A(bcast),
    A({ ...bcast, dmac: "aa:bb:cc:00:00:02", dstHw: "aa:bb:cc:00:00:02", saddr: "192.168.1.11" }),
    A({ ...bcast, smac: "00:00:00:00:00:00", saddr: "192.168.1.12" }),
  ]);
  const u = ofType(ev, "UNSOLICITED_ARP");
  assert.equal(u.length, 1);
  assert.equal(u[0].threatLevel, "low");
  assert.equal(u[0].confidence, 0.8);
  assert.equal(u[0].profileIp, "192.168.1.10");
});

Deno.test("MITM_ARP_ATTACK: gratuitous reply claiming a MAC first bound (DHCP) to another IP", async () => {
  const mac = "aa:bb:cc:00:00:09";
  const ev = await run([
    { channel: "new_dhcp", data: dhcp({ saddr: "192.168.1.20", clientAddr: "192.168.1.20", mac }) },
    A({ saddr: "192.168.1.66", operation: "reply", smac: mac, dstHw: "00:00:00:00:00:00" }),
  ]);
  const m = ofType(ev, "MITM_ARP_ATTACK");
  assert.equal(m.length, 1);
  assert.equal(m[0].threatLevel, "critical");
  assert.equal(m[0].confidence, 0.2);
  assert.equal(m[0].attacker.value, "192.168.1.66");
  assert.equal(m[0].victim?.value, "192.168.1.20");
  assert.equal(m[0].profileIp, "192.168.1.66");
  assert.match(m[0].description, /aa:bb:cc:00:00:09.*192\.168\.1\.20/);
});

Deno.test("MITM_ARP_ATTACK must not: same IP re-announcing, unknown MAC, non-gratuitous reply", async () => {
  const mac = "aa:bb:cc:00:00:09";
  const ev = await run([
    A({ saddr: "192.168.1.20", operation: "request", smac: mac }),
    A({ saddr: "192.168.1.20", operation: "reply", smac: mac, dstHw: "ff:ff:ff:ff:ff:ff" }),
    A({
      saddr: "192.168.1.30",
      operation: "reply",
      smac: "aa:bb:cc:00:00:10",
      dstHw: "ff:ff:ff:ff:ff:ff",
    }),
    A({ saddr: "192.168.1.66", operation: "reply", smac: mac, dstHw: "aa:bb:cc:00:00:01" }),
  ]);
  assert.equal(ofType(ev, "MITM_ARP_ATTACK").length, 0);
});

Deno.test("real data: test16 arp.log gives one ARP outside the local net and one unsolicited ARP", async () => {
  const recs = readZeekLog<ArpRecord>(`${SLIPS_DATA}/test16-malicious-zeek-dir/arp.log`, "arp");
  const ev = await run(recs.map((data) => ({ channel: "new_arp", data })));
  assert.deepEqual(ev.map((e) => e.evidenceType).sort(), [
    "ARP_OUTSIDE_LOCALNET",
    "UNSOLICITED_ARP",
  ]);
  assert.ok(ev.every((e) => e.profileIp === "192.168.1.15"));
});
