/**
 * Capture formats and link layers: the same small exchange (a UDP request and reply) wrapped in
 * every container variant and link type must come out as the same connection.
 */
import assert from "node:assert/strict";
import type { PcapWriterOptions } from "../../core/input/pcap/pcap_writer.ts";
import { ofKind, runEngineBytes } from "./engine_run.ts";
import {
  Capture,
  concat,
  ethernet,
  ipv4,
  ipv6,
  loopback,
  sll,
  sll2,
  text,
  u16,
  udp,
} from "./packet_builder.ts";

const V4 = { src: "10.1.0.1", dst: "10.1.0.2" };
const V6 = { src: "2001:db8::1", dst: "2001:db8::2" };

function exchange(
  wrap: (l3: Uint8Array, v6: boolean) => Uint8Array,
  v6 = false,
  opts: PcapWriterOptions = {},
) {
  const cap = new Capture({ ...opts, start: 1_700_000_000.25 });
  const a = v6 ? V6 : V4;
  const req = udp(40000, 9999, text("ping"));
  const rep = udp(9999, 40000, text("pong!"));
  const l3 = (src: string, dst: string, seg: Uint8Array) =>
    v6 ? ipv6(src, dst, 17, seg) : ipv4({ src, dst, proto: 17, payload: seg });
  cap.add(wrap(l3(a.src, a.dst, req), v6), 0);
  cap.add(wrap(l3(a.dst, a.src, rep), v6), 0.5);
  return cap.bytes();
}

async function oneConn(name: string, bytes: Uint8Array, v6 = false) {
  const run = await runEngineBytes(name, bytes);
  assert.deepEqual(run.warnings, []);
  const conns = ofKind(run.records, "conn");
  assert.equal(conns.length, 1, `${name}: one connection`);
  const c = conns[0];
  const a = v6 ? V6 : V4;
  assert.equal(c.saddr, a.src);
  assert.equal(c.daddr, a.dst);
  assert.equal(c.sport, 40000);
  assert.equal(c.dport, 9999);
  assert.equal(c.proto, "udp");
  assert.equal(c.spkts, 1);
  assert.equal(c.dpkts, 1);
  assert.equal(c.sbytes, 4);
  assert.equal(c.dbytes, 5);
  assert.equal(c.sipBytes, (v6 ? 40 : 20) + 8 + 4);
  assert.equal(c.state, "SF");
  assert.equal(c.history, "Dd");
  assert.ok(Math.abs(c.ts - 1_700_000_000.25) < 1e-6, `${name}: timestamp ${c.ts}`);
  assert.ok(Math.abs(c.dur - 0.5) < 1e-6, `${name}: duration ${c.dur}`);
  return c;
}

const eth = (l3: Uint8Array, v6: boolean) => ethernet(v6 ? 0x86dd : 0x0800, l3);

Deno.test("pcap, little-endian, microseconds", async () => {
  const c = await oneConn("le-us", exchange(eth));
  assert.equal(c.smac, "02:00:00:00:00:01");
  assert.equal(c.dmac, "02:00:00:00:00:02");
});

Deno.test("pcap, big-endian, microseconds", async () => {
  await oneConn("be-us", exchange(eth, false, { bigEndian: true }));
});

Deno.test("pcap, nanosecond timestamps, both byte orders", async () => {
  await oneConn("le-ns", exchange(eth, false, { nanosecond: true }));
  await oneConn("be-ns", exchange(eth, false, { nanosecond: true, bigEndian: true }));
});

Deno.test("pcapng, micro- and nanosecond resolution, both byte orders", async () => {
  await oneConn("ng-us", exchange(eth, false, { format: "pcapng" }));
  await oneConn("ng-ns", exchange(eth, false, { format: "pcapng", nanosecond: true }));
  await oneConn("ng-be", exchange(eth, false, { format: "pcapng", bigEndian: true }));
});

Deno.test("Ethernet with 802.1Q and QinQ tags", async () => {
  await oneConn("vlan", exchange((l3, v6) => ethernet(v6 ? 0x86dd : 0x0800, l3, { vlans: [100] })));
  await oneConn(
    "qinq",
    exchange((l3, v6) => ethernet(v6 ? 0x86dd : 0x0800, l3, { vlans: [10, 20] })),
  );
});

Deno.test("Linux cooked captures SLL and SLL2", async () => {
  const a = await oneConn(
    "sll",
    exchange((l3, v6) => sll(v6 ? 0x86dd : 0x0800, l3), false, { linkType: 113 }),
  );
  assert.equal(a.smac, "02:00:00:00:00:01");
  await oneConn(
    "sll2",
    exchange((l3, v6) => sll2(v6 ? 0x86dd : 0x0800, l3), false, { linkType: 276 }),
  );
  await oneConn(
    "sll-v6",
    exchange((l3, v6) => sll(v6 ? 0x86dd : 0x0800, l3), true, { linkType: 113 }),
    true,
  );
});

Deno.test("raw IP link types (101, 228, 229)", async () => {
  await oneConn("raw", exchange((l3) => l3, false, { linkType: 101 }));
  await oneConn("raw6", exchange((l3) => l3, true, { linkType: 101 }), true);
  await oneConn("ipv4", exchange((l3) => l3, false, { linkType: 228 }));
  await oneConn("ipv6", exchange((l3) => l3, true, { linkType: 229 }), true);
});

Deno.test("BSD loopback (null) in either byte order, and LOOP", async () => {
  await oneConn(
    "null-le",
    exchange((l3, v6) => loopback(v6 ? 30 : 2, l3, true), false, { linkType: 0 }),
  );
  await oneConn(
    "null-be",
    exchange((l3, v6) => loopback(v6 ? 24 : 2, l3, false), true, { linkType: 0 }),
    true,
  );
  await oneConn(
    "loop",
    exchange((l3, v6) => loopback(v6 ? 28 : 2, l3, false), false, { linkType: 108 }),
  );
});

Deno.test("IPv6 with hop-by-hop, routing and destination-options headers", async () => {
  const cap = new Capture();
  const ext = [
    { type: 0, body: new Uint8Array(6) },
    { type: 43, body: new Uint8Array(14) },
    { type: 60, body: new Uint8Array(6) },
  ];
  cap.add(ethernet(0x86dd, ipv6(V6.src, V6.dst, 17, udp(40000, 9999, text("ping")), ext)));
  cap.add(ethernet(0x86dd, ipv6(V6.dst, V6.src, 17, udp(9999, 40000, text("pong!")))), 0.5);
  const run = await runEngineBytes("ext", cap.bytes());
  const [c] = ofKind(run.records, "conn");
  assert.equal(c.saddr, "2001:db8::1");
  assert.equal(c.sport, 40000);
  assert.equal(c.dport, 9999);
  // 40 fixed + 8 + 16 + 8 extension bytes + 12 UDP.
  assert.equal(c.sipBytes, 40 + 32 + 12);
  assert.equal(c.spkts, 1);
  assert.equal(c.dpkts, 1);
});

Deno.test("IPv6 addresses are written in canonical compressed form", async () => {
  const cap = new Capture();
  const src = "fe80::a4d1:8cff:fe1f:ce64";
  const dst = "2001:db8:0:0:1:0:0:1";
  cap.add(ethernet(0x86dd, ipv6(src, dst, 17, udp(5000, 6000, text("x")))));
  const run = await runEngineBytes("canon", cap.bytes());
  const [c] = ofKind(run.records, "conn");
  assert.equal(c.saddr, "fe80::a4d1:8cff:fe1f:ce64");
  assert.equal(c.daddr, "2001:db8::1:0:0:1");
});

Deno.test("frames of unknown link or ether types are skipped quietly", async () => {
  const cap = new Capture();
  // An LLDP frame and an 802.3 frame without SNAP.
  cap.add(ethernet(0x88cc, new Uint8Array(40)));
  cap.add(concat(new Uint8Array(12), u16(40), new Uint8Array([0x42, 0x42, 3]), new Uint8Array(43)));
  cap.add(ethernet(0x0800, ipv4({ ...V4, proto: 17, payload: udp(1, 2, text("a")) })));
  const run = await runEngineBytes("other", cap.bytes());
  assert.deepEqual(run.warnings, []);
  assert.equal(ofKind(run.records, "conn").length, 1);
});

Deno.test("a capture read in tiny chunks gives the same records", async () => {
  const bytes = exchange(eth, false, { format: "pcapng" });
  const whole = await runEngineBytes("whole", bytes);
  const tiny = await runEngineBytes("tiny", bytes, 7);
  assert.deepEqual(tiny.records.map((r) => r.kind), whole.records.map((r) => r.kind));
  assert.equal(ofKind(tiny.records, "conn")[0].sbytes, 4);
});
