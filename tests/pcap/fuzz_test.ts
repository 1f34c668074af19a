/**
 * Seeded, bounded fuzzing: captures (synthetic and the shared datasets, mutated in memory) with
 * flipped bytes, cut lengths, spliced garbage and protocol-looking random payloads must be read
 * to the end without an exception or a hang, and give sane records.
 */
import assert from "node:assert/strict";
import type { FlowRecord } from "../../core/records/records.ts";
import { openPcapBytes } from "../../core/input/pcap/mod.ts";
import { memoryCapture } from "../../core/input/pcap/pcap_writer.ts";
import { SLIPS_DATA } from "../helpers/datasets.ts";
import { concat, ethernet, ipv4, tcp, text, udp } from "./packet_builder.ts";
import { prng, writeTrafficMix } from "./traffic_mix.ts";

function mix(format: "pcap" | "pcapng", seed: number): Uint8Array {
  const m = memoryCapture({ format });
  writeTrafficMix(m.writer, 60, seed);
  return m.bytes();
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = src.slice();
  const kind = Math.floor(rnd() * 5);
  const pos = () => Math.floor(rnd() * b.length);
  switch (kind) {
    case 0: {
      const n = 1 + Math.floor(rnd() * 40);
      for (let i = 0; i < n; i++) b[pos()] = Math.floor(rnd() * 256);
      return b;
    }
    case 1:
      return b.subarray(0, pos());
    case 2: {
      const at = pos();
      const junk = new Uint8Array(1 + Math.floor(rnd() * 64)).map(() => Math.floor(rnd() * 256));
      return concat(b.subarray(0, at), junk, b.subarray(at));
    }
    case 3: {
      // Bit flips confined to the first packets' headers, where parsers decide lengths.
      const n = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < n; i++) {
        const p = 24 + Math.floor(rnd() * Math.min(600, b.length - 24));
        b[p] ^= 1 << Math.floor(rnd() * 8);
      }
      return b;
    }
    default: {
      const a = pos();
      const len = Math.min(b.length - a, Math.floor(rnd() * 200));
      b.fill(rnd() < 0.5 ? 0 : 0xff, a, a + len);
      return b;
    }
  }
}

async function survive(name: string, bytes: Uint8Array): Promise<FlowRecord[]> {
  const reader = openPcapBytes(name, bytes, { onWarning: () => {}, onNotice: () => {} });
  const out: FlowRecord[] = [];
  for await (const batch of reader.batches()) out.push(...batch);
  for (const r of out) {
    assert.ok(Number.isFinite(r.ts), `${name}: finite timestamp`);
    if (r.kind === "conn") {
      assert.ok(r.spkts + r.dpkts >= 1);
      assert.ok(r.sbytes >= 0 && r.dbytes >= 0 && r.dur >= 0, `${name}: non-negative counters`);
    }
  }
  return out;
}

Deno.test("fuzz: mutated synthetic captures (pcap and pcapng)", async () => {
  const rnd = prng(20240611);
  for (const format of ["pcap", "pcapng"] as const) {
    const base = mix(format, 7);
    const clean = await survive(`clean.${format}`, base);
    assert.ok(clean.length > 100);
    for (let i = 0; i < 120; i++) await survive(`mutant-${format}-${i}`, mutate(base, rnd));
  }
});

Deno.test("fuzz: mutated shared dataset captures", async () => {
  const rnd = prng(99);
  const files = [
    "test12-icmp-portscan.pcap",
    "test8-malicious.pcap",
    "test-cc/test-cc-capture-2.pcap",
  ];
  for (const f of files) {
    const base = await Deno.readFile(`${SLIPS_DATA}/${f}`);
    for (let i = 0; i < 25; i++) await survive(`${f}#${i}`, mutate(base, rnd));
  }
});

Deno.test("fuzz: random payloads that start like HTTP, TLS, SSH, SMTP and DNS", async () => {
  const rnd = prng(4242);
  const m = memoryCapture();
  let t = 1_700_000_000;
  const prefixes: Array<[number, Uint8Array]> = [
    [
      80,
      text("GET / HTTP/1.1\r\nContent-Length: 99999999999\r\nTransfer-Encoding: chunked\r\n\r\n"),
    ],
    [80, text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzzzz\r\n")],
    [443, new Uint8Array([0x16, 3, 1, 0x40, 0, 1, 0xff, 0xff, 0xff])],
    [443, new Uint8Array([0x16, 3, 3, 0, 200, 11, 0, 0, 196, 0, 0, 193, 0x30, 0x82, 0xff, 0xff])],
    [22, text("SSH-2.0-x\r\n")],
    [25, text("220 x\r\n")],
    [53, new Uint8Array([0, 40, 0, 1, 0x81, 0x80, 0, 1, 0, 5])],
  ];
  for (let i = 0; i < 400; i++) {
    const [port, prefix] = prefixes[i % prefixes.length];
    const junk = new Uint8Array(Math.floor(rnd() * 1400)).map(() => Math.floor(rnd() * 256));
    const fromServer = prefix[0] === 0x48 || prefix[0] === 0x32; // "HTTP/…", "220 …"
    const payload = concat(prefix, junk);
    const seg = tcp({
      sport: fromServer ? port : 40000 + (i % 50),
      dport: fromServer ? 40000 + (i % 50) : port,
      seq: Math.floor(rnd() * 1e9),
      ack: 1,
      flags: "PA",
      payload,
    });
    t += 0.001;
    const src = fromServer ? "10.0.0.2" : "10.0.0.1";
    const dst = fromServer ? "10.0.0.1" : "10.0.0.2";
    m.writer.add(t, ethernet(0x0800, ipv4({ src, dst, proto: 6, payload: seg })));
    // And the same bytes as DNS over UDP.
    m.writer.add(
      t,
      ethernet(
        0x0800,
        ipv4({
          src,
          dst,
          proto: 17,
          payload: udp(5353, 53, concat(junk.subarray(0, 12), payload)),
        }),
      ),
    );
  }
  const out = await survive("protocol-junk", m.bytes());
  assert.ok(out.some((r) => r.kind === "conn"));
});

Deno.test("fuzz: the message parsers on random and truncated input", async () => {
  const { parseDns } = await import("../../core/input/pcap/app/dns_message.ts");
  const { parseCertificate } = await import("../../core/input/pcap/app/x509_cert.ts");
  const { parseClientHello, parseServerHello } = await import(
    "../../core/input/pcap/app/tls_hello.ts"
  );
  const { parseDhcp } = await import("../../core/input/pcap/app/dhcp_tracker.ts");
  const { derCertificate } = await import("./tls_builder.ts");
  const { dnsResponse, rdata } = await import("./dns_builder.ts");
  const rnd = prng(7);
  const cert = derCertificate({
    subject: [["CN", "a"]],
    issuer: [["CN", "b"]],
    notBefore: 0,
    notAfter: 1,
    san: ["a", "b"],
  });
  const dns = dnsResponse(1, "a.b.c", 1, [{ type: 1, ttl: 1, rdata: rdata.a("1.2.3.4") }]);
  let parsed = 0;
  for (let i = 0; i < 3000; i++) {
    const base = i % 2 === 0 ? cert : dns;
    const b = base.slice(0, Math.floor(rnd() * (base.length + 1)));
    for (let k = 0; k < 3 && b.length > 0; k++) {
      b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    }
    const random = new Uint8Array(Math.floor(rnd() * 300)).map(() => Math.floor(rnd() * 256));
    for (const x of [b, random]) {
      if (parseDns(x, 0, x.length) !== null) parsed++;
      if (parseCertificate(x) !== null) parsed++;
      parseClientHello(x, 0, x.length);
      parseServerHello(x, 0, x.length);
      parseDhcp(x, 0, x.length);
    }
  }
  assert.ok(parsed > 0, "some mutants still parse");
});
