/** DHCP transactions, ARP requests and replies, GRE tunnels. */
import assert from "node:assert/strict";
import { ofKind, runEngineBytes } from "./engine_run.ts";
import {
  arp,
  Capture,
  concat,
  ethernet,
  gre,
  ip4,
  ipv4,
  mac,
  tcp,
  text,
  u16,
  u32,
  udp,
} from "./packet_builder.ts";

const CLIENT_HW = "08:00:27:7f:09:e1";

function dhcp(
  op: number,
  xid: number,
  type: number,
  opts: Uint8Array[],
  yiaddr = "0.0.0.0",
): Uint8Array {
  const chaddr = concat(mac(CLIENT_HW), new Uint8Array(10));
  return concat(
    new Uint8Array([op, 1, 6, 0]),
    u32(xid),
    u16(0),
    u16(0x8000),
    ip4("0.0.0.0"),
    ip4(yiaddr),
    ip4("0.0.0.0"),
    ip4("0.0.0.0"),
    chaddr,
    new Uint8Array(192),
    new Uint8Array([99, 130, 83, 99]),
    new Uint8Array([53, 1, type]),
    ...opts,
    new Uint8Array([255]),
  );
}

const opt = (code: number, value: Uint8Array) =>
  concat(new Uint8Array([code, value.length]), value);

Deno.test("DHCP: one record per transaction, with host name, requested address, server", async () => {
  const cap = new Capture();
  const frame = (src: string, dst: string, sport: number, dport: number, msg: Uint8Array) =>
    ethernet(0x0800, ipv4({ src, dst, proto: 17, payload: udp(sport, dport, msg) }), {
      src: sport === 68 ? CLIENT_HW : "02:00:00:00:00:fe",
      dst: "ff:ff:ff:ff:ff:ff",
    });
  const xid = 0x3903f326;
  const name = opt(12, text("John-PC"));
  const server = opt(54, ip4("10.0.2.2"));
  cap.add(
    frame("0.0.0.0", "255.255.255.255", 68, 67, dhcp(1, xid, 1, [name, opt(50, ip4("10.0.2.15"))])),
  );
  cap.add(frame("10.0.2.2", "255.255.255.255", 67, 68, dhcp(2, xid, 2, [server], "10.0.2.15")));
  cap.add(
    frame(
      "0.0.0.0",
      "255.255.255.255",
      68,
      67,
      dhcp(1, xid, 3, [name, opt(50, ip4("10.0.2.15")), server]),
    ),
  );
  cap.add(frame("10.0.2.2", "255.255.255.255", 67, 68, dhcp(2, xid, 5, [server], "10.0.2.15")));
  // A second, unrelated transaction.
  cap.add(
    frame("0.0.0.0", "255.255.255.255", 68, 67, dhcp(1, 77, 1, [opt(50, ip4("10.0.2.99"))])),
    45,
  );
  const run = await runEngineBytes("dhcp", cap.bytes());
  const d = ofKind(run.records, "dhcp");
  assert.equal(d.length, 2);
  assert.deepEqual(
    [d[0].mac, d[0].hostName, d[0].requestedAddr, d[0].serverAddr, d[0].clientAddr],
    [CLIENT_HW, "John-PC", "10.0.2.15", "10.0.2.2", "10.0.2.15"],
  );
  assert.equal(d[0].uids.length, 2, "client and server messages travel on two flows");
  assert.equal(d[1].requestedAddr, "10.0.2.99");
  assert.ok(ofKind(run.records, "conn").every((c) => c.appproto === "dhcp"));
});

Deno.test("ARP: requests and replies, with both hardware address pairs", async () => {
  const cap = new Capture();
  const a = "52:54:00:12:34:56";
  const b = "52:54:00:ab:cd:ef";
  cap.add(
    ethernet(0x0806, arp(1, a, "192.168.1.10", "00:00:00:00:00:00", "192.168.1.1"), {
      src: a,
      dst: "ff:ff:ff:ff:ff:ff",
    }),
  );
  cap.add(ethernet(0x0806, arp(2, b, "192.168.1.1", a, "192.168.1.10"), { src: b, dst: a }));
  const run = await runEngineBytes("arp", cap.bytes());
  const r = ofKind(run.records, "arp");
  assert.deepEqual(
    r.map((x) => [x.operation, x.saddr, x.daddr, x.srcHw, x.dstHw, x.smac, x.dmac]),
    [
      ["request", "192.168.1.10", "192.168.1.1", a, "00:00:00:00:00:00", a, "ff:ff:ff:ff:ff:ff"],
      ["reply", "192.168.1.1", "192.168.1.10", b, a, b, a],
    ],
  );
  assert.equal(ofKind(run.records, "conn").length, 0);
});

Deno.test("GRE: the tunnel is reported and the inner connection analysed", async () => {
  const cap = new Capture();
  const inner = (src: string, dst: string, sport: number, dport: number, flags: string) =>
    ipv4({
      src,
      dst,
      proto: 6,
      payload: tcp({
        sport,
        dport,
        seq: flags === "SA" ? 900 : 100,
        ack: flags === "SA" ? 101 : 0,
        flags,
      }),
    });
  const outer = (payload: Uint8Array, fromA: boolean) =>
    ethernet(
      0x0800,
      ipv4({
        src: fromA ? "203.0.113.1" : "203.0.113.2",
        dst: fromA ? "203.0.113.2" : "203.0.113.1",
        proto: 47,
        payload: gre(0x0800, payload),
      }),
    );
  cap.add(outer(inner("192.168.50.1", "192.168.50.2", 40000, 22, "S"), true));
  cap.add(outer(inner("192.168.50.2", "192.168.50.1", 22, 40000, "SA"), false));
  const run = await runEngineBytes("gre", cap.bytes());
  const [t] = ofKind(run.records, "tunnel");
  assert.deepEqual([t.saddr, t.daddr, t.tunnelType, t.action], [
    "203.0.113.1",
    "203.0.113.2",
    "Tunnel::GRE",
    "Tunnel::DISCOVER",
  ]);
  const [c] = ofKind(run.records, "conn");
  assert.deepEqual([c.saddr, c.daddr, c.dport, c.history], [
    "192.168.50.1",
    "192.168.50.2",
    22,
    "Sh",
  ]);
  assert.equal(c.sipBytes, 40, "IP bytes of the inner packet");
});
