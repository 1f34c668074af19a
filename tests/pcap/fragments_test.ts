/** IP fragment reassembly: in order, out of order, overlapping, incomplete, IPv6. */
import assert from "node:assert/strict";
import { ofKind, runEngineBytes } from "./engine_run.ts";
import { dnsQuery, dnsResponse, rdata } from "./dns_builder.ts";
import {
  Capture,
  concat,
  ethernet,
  ipv4,
  ipv4Fragments,
  ipv6,
  text,
  u32,
  udp,
} from "./packet_builder.ts";

const C = "192.168.7.10";
const S = "192.168.7.53";

function bigResponse(): Uint8Array {
  const answers = [];
  for (let i = 0; i < 60; i++) {
    answers.push({ type: 16, ttl: 300, rdata: rdata.txt(`record-${i}-${"x".repeat(20)}`) });
  }
  return dnsResponse(0x1234, "big.example.org", 16, answers);
}

Deno.test("a fragmented UDP datagram is reassembled before analysis", async () => {
  const cap = new Capture();
  cap.add(
    ethernet(
      0x0800,
      ipv4({
        src: C,
        dst: S,
        proto: 17,
        payload: udp(5353, 53, dnsQuery(0x1234, "big.example.org", 16)),
      }),
    ),
  );
  const resp = bigResponse();
  const frags = ipv4Fragments(
    { src: S, dst: C, proto: 17, id: 77, payload: udp(53, 5353, resp) },
    512,
  );
  assert.ok(frags.length >= 4);
  // Out of order: last fragment first.
  for (const f of [frags[frags.length - 1], ...frags.slice(0, -1)]) cap.add(ethernet(0x0800, f));
  const run = await runEngineBytes("frag", cap.bytes());
  const [dns] = ofKind(run.records, "dns");
  assert.equal(dns.query, "big.example.org");
  assert.equal(dns.answers.length, 60);
  assert.equal(dns.answers[0], `TXT 29 record-0-${"x".repeat(20)}`);
  const [conn] = ofKind(run.records, "conn");
  // The datagram counts once, with its full IP length.
  assert.equal(conn.dpkts, 1);
  assert.equal(conn.dipBytes, 20 + 8 + resp.length);
  assert.equal(conn.dbytes, resp.length);
});

Deno.test("overlapping fragments: the later copy of a byte wins", async () => {
  const payload = udp(4000, 4001, text("AAAAAAAABBBBBBBBCCCCCCCC"));
  const cap = new Capture();
  const base = { src: C, dst: S, proto: 17, id: 9 };
  cap.add(ethernet(0x0800, ipv4({ ...base, payload: payload.subarray(0, 16), more: true })));
  cap.add(
    ethernet(
      0x0800,
      ipv4({ ...base, payload: payload.subarray(8, 24), fragOffset: 8, more: true }),
    ),
  );
  cap.add(ethernet(0x0800, ipv4({ ...base, payload: payload.subarray(24), fragOffset: 24 })));
  const run = await runEngineBytes("overlap", cap.bytes());
  const [conn] = ofKind(run.records, "conn");
  assert.equal(conn.sport, 4000);
  assert.equal(conn.spkts, 1);
  assert.equal(conn.sipBytes, 20 + 32);
});

Deno.test("an incomplete datagram produces nothing and no warning", async () => {
  const cap = new Capture();
  const frags = ipv4Fragments({
    src: C,
    dst: S,
    proto: 17,
    id: 5,
    payload: udp(1, 2, new Uint8Array(3000)),
  }, 1000);
  cap.add(ethernet(0x0800, frags[0]));
  cap.add(ethernet(0x0800, frags[2]));
  const run = await runEngineBytes("incomplete", cap.bytes());
  assert.deepEqual(run.warnings, []);
  assert.equal(ofKind(run.records, "conn").length, 0);
});

Deno.test("IPv6 fragments are reassembled", async () => {
  const seg = udp(6000, 6001, new Uint8Array(2000).fill(1));
  const cap = new Capture();
  const id = u32(0xabcd);
  const first = seg.subarray(0, 1232);
  const second = seg.subarray(1232);
  cap.add(
    ethernet(
      0x86dd,
      ipv6("2001:db8::a", "2001:db8::b", 17, first, [{
        type: 44,
        body: concat(new Uint8Array([0, 1]), id),
      }]),
    ),
  );
  const off = 1232 / 8;
  cap.add(
    ethernet(
      0x86dd,
      ipv6("2001:db8::a", "2001:db8::b", 17, second, [{
        type: 44,
        body: concat(new Uint8Array([off >> 5, (off << 3) & 0xf8]), id),
      }]),
    ),
  );
  const run = await runEngineBytes("v6frag", cap.bytes());
  const [conn] = ofKind(run.records, "conn");
  assert.equal(conn.sport, 6000);
  assert.equal(conn.dport, 6001);
  assert.equal(conn.spkts, 1);
  assert.equal(conn.sbytes, 0, "a single-packet flow has no duration, so Zeek reports no bytes");
  assert.equal(conn.sipBytes, 40 + 8 + 2008);
});
