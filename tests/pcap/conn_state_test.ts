/**
 * Connection semantics as Zeek reports them: conn_state, history, payload and IP bytes, role
 * flipping, UDP/ICMP flows, timeouts and port reuse.
 */
import assert from "node:assert/strict";
import type { ConnRecord } from "../../core/records/records.ts";
import { openPcapBytes } from "../../core/input/pcap/mod.ts";
import { ofKind, runEngineBytes } from "./engine_run.ts";
import {
  Capture,
  ethernet,
  icmp,
  ipv4,
  ipv6,
  TcpSession,
  text,
  udpFrame,
} from "./packet_builder.ts";

const C = "10.0.0.1";
const S = "10.0.0.2";

function session(cap: Capture, cport = 40000, sport = 8080): TcpSession {
  return new TcpSession(cap, { client: C, server: S, cport, sport });
}

async function conns(cap: Capture, name = "t"): Promise<ConnRecord[]> {
  const run = await runEngineBytes(name, cap.bytes());
  assert.deepEqual(run.warnings, []);
  return ofKind(run.records, "conn");
}

async function only(cap: Capture): Promise<ConnRecord> {
  const cs = await conns(cap);
  assert.equal(cs.length, 1, `one connection, got ${JSON.stringify(cs)}`);
  return cs[0];
}

Deno.test("S0: a SYN nobody answers", async () => {
  const cap = new Capture();
  session(cap).frame(true, "S");
  const c = await only(cap);
  assert.equal(c.state, "S0");
  assert.equal(c.history, "S");
  assert.equal(c.interpreted, "Not Established");
  assert.equal(c.spkts, 1);
  assert.equal(c.dpkts, 0);
  assert.equal(c.sipBytes, 40);
});

Deno.test("REJ: the SYN is answered with a RST", async () => {
  const cap = new Capture();
  const s = session(cap);
  s.frame(true, "S");
  s.frame(false, "RA");
  const c = await only(cap);
  assert.equal(c.state, "REJ");
  assert.equal(c.history, "Sr");
});

Deno.test("SF: handshake, data both ways, orderly close; bytes from sequence numbers", async () => {
  const cap = new Capture();
  session(cap).handshake().send(true, new Uint8Array(100)).send(false, new Uint8Array(3000))
    .close();
  const c = await only(cap);
  assert.equal(c.state, "SF");
  assert.equal(c.history, "ShADadFf");
  assert.equal(c.sbytes, 100);
  assert.equal(c.dbytes, 3000);
  assert.equal(c.interpreted, "Established");
  // Client: SYN, ACK, data, 3 ACKs of server data, FIN, last ACK.
  assert.equal(c.spkts, 8);
  assert.equal(c.dpkts, 6);
  assert.equal(c.sipBytes, 8 * 40 + 100);
  assert.equal(c.dipBytes, 6 * 40 + 3000);
  assert.ok(c.dur > 0);
  assert.equal(c.smac, "02:00:00:00:00:01");
});

Deno.test("S1: established and never closed", async () => {
  const cap = new Capture();
  session(cap).handshake().send(true, text("hello"));
  const c = await only(cap);
  assert.equal(c.state, "S1");
  assert.equal(c.sbytes, 5);
});

Deno.test("S2 and S3: only one side closes", async () => {
  const cap = new Capture();
  const a = session(cap, 40001);
  a.handshake();
  a.frame(true, "FA");
  const b = session(cap, 40002);
  b.handshake();
  b.frame(false, "FA");
  const cs = await conns(cap);
  assert.deepEqual(cs.map((c) => c.state), ["S2", "S3"]);
});

Deno.test("RSTO and RSTR: an established connection aborted by either side", async () => {
  const cap = new Capture();
  const a = session(cap, 40001);
  a.handshake().send(true, text("x"));
  a.frame(true, "RA");
  const b = session(cap, 40002);
  b.handshake().send(true, text("y"));
  b.frame(false, "RA");
  const cs = await conns(cap);
  assert.deepEqual(cs.map((c) => c.state), ["RSTO", "RSTR"]);
  assert.deepEqual(cs.map((c) => c.history), ["ShADaR", "ShADar"]);
});

Deno.test("RSTOS0: SYN then RST from the originator, no SYN-ACK", async () => {
  const cap = new Capture();
  const s = session(cap);
  s.frame(true, "S");
  s.frame(true, "R");
  const c = await only(cap);
  assert.equal(c.state, "RSTOS0");
  assert.equal(c.history, "SR");
});

Deno.test("RSTRH and SHR: only the responder's SYN-ACK is seen (roles flipped)", async () => {
  const cap = new Capture();
  const a = session(cap, 40001, 80);
  a.frame(false, "SA");
  a.frame(false, "R");
  const b = session(cap, 40002, 80);
  b.frame(false, "SA");
  b.frame(false, "FA");
  const cs = await conns(cap);
  // Zeek's port heuristic turns the connection around: the client is the originator.
  assert.deepEqual(cs.map((c) => [c.saddr, c.sport, c.daddr, c.dport]), [
    [C, 40001, S, 80],
    [C, 40002, S, 80],
  ]);
  assert.deepEqual(cs.map((c) => c.state), ["RSTRH", "SHR"]);
  assert.deepEqual(cs.map((c) => c.history), ["^hr", "^hf"]);
});

Deno.test("SH: SYN then FIN from the originator", async () => {
  const cap = new Capture();
  const s = session(cap);
  s.frame(true, "S");
  s.frame(true, "F");
  const c = await only(cap);
  assert.equal(c.state, "SH");
});

Deno.test("OTH: midstream traffic without any SYN", async () => {
  const cap = new Capture();
  const s = session(cap);
  s.frame(true, "PA", text("midstream"));
  s.frame(false, "A");
  const c = await only(cap);
  assert.equal(c.state, "OTH");
  assert.equal(c.history, "Da");
  assert.equal(c.sbytes, 9);
});

Deno.test("retransmitted data is counted once and marked T", async () => {
  const cap = new Capture();
  const s = session(cap);
  s.handshake();
  const seq = s.cseq;
  s.frame(true, "PA", text("abcdef"));
  s.cseq = seq;
  s.frame(true, "PA", text("abcdef"));
  s.frame(false, "A");
  s.close();
  const c = await only(cap);
  assert.equal(c.sbytes, 6);
  assert.equal(c.history, "ShADTaFf");
});

Deno.test("UDP: SF with replies, S0 without, SHR when only the server speaks", async () => {
  const cap = new Capture();
  cap.add(udpFrame(C, S, 5000, 7000, text("q")));
  cap.add(udpFrame(S, C, 7000, 5000, text("answer")));
  cap.add(udpFrame(C, S, 5001, 7000, text("lonely")));
  // From a DNS server port first: the roles are flipped and the client never spoke.
  cap.add(udpFrame(S, C, 53, 5002, text("unsolicited")));
  const cs = await conns(cap);
  assert.deepEqual(cs.map((c) => [c.sport, c.dport, c.state, c.history]), [
    [5000, 7000, "SF", "Dd"],
    [5001, 7000, "S0", "D"],
    [5002, 53, "SHR", "^d"],
  ]);
});

Deno.test("ICMP: echo request and reply form one flow; type/code in the ports", async () => {
  const cap = new Capture();
  const echo = (src: string, dst: string, type: number) =>
    ethernet(
      0x0800,
      ipv4({ src, dst, proto: 1, payload: icmp(type, 0, new Uint8Array(4), new Uint8Array(56)) }),
    );
  cap.add(echo(C, S, 8));
  cap.add(echo(S, C, 0), 0.01);
  cap.add(echo(C, S, 8), 1);
  cap.add(echo(S, C, 0), 0.01);
  // Port unreachable: one-way, code in the responder port.
  cap.add(
    ethernet(
      0x0800,
      ipv4({
        src: S,
        dst: C,
        proto: 1,
        payload: icmp(3, 3, new Uint8Array(4), new Uint8Array(28)),
      }),
    ),
  );
  const cs = await conns(cap);
  assert.equal(cs.length, 2);
  const [ping, unreach] = cs;
  assert.deepEqual([ping.proto, ping.sport, ping.dport, ping.spkts, ping.dpkts], [
    "icmp",
    8,
    0,
    2,
    2,
  ]);
  assert.equal(ping.sbytes, 112);
  assert.equal(ping.icmpType, 8);
  assert.equal(ping.icmpCode, 0);
  assert.equal(ping.state, "OTH");
  assert.deepEqual([
    unreach.saddr,
    unreach.sport,
    unreach.dport,
    unreach.icmpType,
    unreach.icmpCode,
  ], [S, 3, 3, 3, 3]);
});

Deno.test("ICMPv6: echo and neighbour discovery pair up; Zeek calls the protocol icmp", async () => {
  const cap = new Capture();
  const a = "fe80::1";
  const b = "fe80::2";
  const msg = (src: string, dst: string, type: number) =>
    ethernet(0x86dd, ipv6(src, dst, 58, icmp(type, 0, new Uint8Array(4), new Uint8Array(16))));
  cap.add(msg(a, b, 128));
  cap.add(msg(b, a, 129));
  cap.add(msg(a, "ff02::1:ff00:2", 135));
  cap.add(msg(b, a, 136));
  const cs = await conns(cap);
  assert.deepEqual(cs.map((c) => [c.proto, c.saddr, c.daddr, c.sport, c.dport, c.spkts, c.dpkts]), [
    ["icmp", a, b, 128, 129, 1, 1],
    ["icmp", a, "ff02::1:ff00:2", 135, 136, 1, 0],
    ["icmp", b, a, 136, 135, 1, 0],
  ]);
});

Deno.test("timeouts: UDP flows split after 60 s idle, unanswered SYNs after 5 s", async () => {
  const cap = new Capture();
  cap.add(udpFrame(C, S, 5000, 7000, text("a")));
  cap.add(udpFrame(C, S, 5000, 7000, text("b")), 30);
  cap.add(udpFrame(C, S, 5000, 7000, text("c")), 61);
  const s = session(cap, 41000);
  s.frame(true, "S");
  s.cseq = 1000;
  s.frame(true, "S", undefined, 3);
  s.cseq = 1000;
  s.frame(true, "S", undefined, 6);
  const cs = await conns(cap);
  const udps = cs.filter((c) => c.proto === "udp");
  assert.deepEqual(udps.map((c) => c.spkts), [2, 1]);
  const syns = cs.filter((c) => c.proto === "tcp");
  assert.deepEqual(syns.map((c) => [c.state, c.spkts]), [["S0", 2], ["S0", 1]]);
});

Deno.test("the TCP inactivity timeout is configurable", async () => {
  const cap = new Capture();
  const s = session(cap);
  s.handshake().send(true, text("one"));
  s.send(true, text("two"));
  cap.t += 120;
  s.send(true, text("three"));
  const bytes = cap.bytes();
  const count = async (timeout?: number) => {
    const reader = openPcapBytes("idle", bytes, {
      onWarning: () => {},
      tcpInactivityTimeout: timeout,
    });
    let n = 0;
    for await (const b of reader.batches()) n += b.filter((r) => r.kind === "conn").length;
    return n;
  };
  assert.equal(await count(), 1, "60 minutes by default");
  assert.equal(await count(60), 2, "split after 60 s");
});

Deno.test("a new SYN on a closed connection's ports starts a new connection", async () => {
  const cap = new Capture();
  session(cap).handshake().send(true, text("first")).close();
  session(cap, 40000, 8080).handshake().send(true, text("second!")).close();
  const cs = await conns(cap);
  assert.deepEqual(cs.map((c) => [c.state, c.sbytes]), [["SF", 5], ["SF", 7]]);
  assert.notEqual(cs[0].uid, cs[1].uid);
});

Deno.test("stray packets shortly after a close stay with it; later ones open a new flow", async () => {
  const cap = new Capture();
  const s = session(cap);
  s.handshake().close();
  s.frame(true, "A", undefined, 2);
  s.frame(true, "A", undefined, 10);
  const cs = await conns(cap);
  assert.equal(cs.length, 2);
  assert.equal(cs[0].state, "SF");
  assert.equal(cs[0].spkts, 5, "S, A, FIN, ACK and the stray ACK");
  assert.equal(cs[1].state, "OTH");
});

Deno.test("records come out in time order", async () => {
  const cap = new Capture();
  // A long connection that starts first and ends last, with short ones in between.
  const long = session(cap, 45000);
  long.handshake();
  for (let i = 0; i < 20; i++) {
    cap.add(udpFrame(C, S, 6000 + i, 53, text("q")), 0.5);
    cap.add(udpFrame(S, C, 53, 6000 + i, text("r")), 0.01);
  }
  long.send(true, text("late")).close();
  const run = await runEngineBytes("order", cap.bytes());
  const ts = run.records.map((r) => r.ts);
  assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
  assert.equal(ofKind(run.records, "conn").length, 21);
});

Deno.test("the connection table has a cap; the oldest connections are flushed", async () => {
  const cap = new Capture();
  for (let i = 0; i < 5; i++) cap.add(udpFrame(C, S, 7000 + i, 9000, text("x")));
  const reader = openPcapBytes("cap", cap.bytes(), { onWarning: () => {}, maxConnections: 2 });
  const notices: string[] = [];
  const reader2 = openPcapBytes("cap", cap.bytes(), {
    onWarning: () => {},
    onNotice: (n) => notices.push(n),
    maxConnections: 2,
  });
  let n = 0;
  for await (const b of reader.batches()) n += b.length;
  for await (const _ of reader2.batches()) { /* drain */ }
  assert.equal(n, 5);
  assert.ok(
    notices.some((t) => t.includes("connection table was full 3 times")),
    notices.join("\n"),
  );
});
