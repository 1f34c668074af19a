import assert from "node:assert/strict";
import { conn, dns, dnsMsg, flowMsg, twClosed } from "./records.ts";
import { ofType, run } from "./run.ts";
import { runModule } from "../../helpers/module_harness.ts";
import FlowAlerts from "../../../modules/flow_alerts/flow_alerts.ts";
import type { ChannelMessage } from "../../../core/database/channels.ts";

const T = 1_700_000_000;
/** 64 distinct characters: 6 bits of entropy per character. */
const NOISE = "TXT ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

Deno.test("HIGH_ENTROPY_DNS_ANSWER: a random-looking TXT answer gives resolver MEDIUM + client LOW", async () => {
  const ev = ofType(
    await run([dnsMsg(dns({ qtype: "TXT", answers: [NOISE], daddr: "8.8.8.8" }))]),
    "HIGH_ENTROPY_DNS_ANSWER",
  );
  assert.equal(ev.length, 2);
  const [resolver, client] = ev;
  assert.equal(resolver.threatLevel, "medium");
  assert.equal(resolver.confidence, 0.6);
  assert.deepEqual(resolver.attacker, { direction: "DST", iocType: "IP", value: "8.8.8.8" });
  assert.equal(resolver.profileIp, "8.8.8.8");
  assert.equal(client.threatLevel, "low");
  assert.deepEqual(client.attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(client.profileIp, "192.168.1.10");
  assert.deepEqual(client.relIds, [resolver.id]);
  assert.match(client.description, /\d\.\d\d bits/);
});

Deno.test("HIGH_ENTROPY_DNS_ANSWER: ordinary TXT records and multicast queriers are fine", async () => {
  const ev = await run([
    dnsMsg(dns({ qtype: "TXT", answers: ["TXT v=spf1 include:_spf.example.com ~all"] })),
    dnsMsg(dns({ qtype: "TXT", answers: [NOISE], saddr: "224.0.0.251" })),
  ]);
  assert.equal(ofType(ev, "HIGH_ENTROPY_DNS_ANSWER").length, 0);
});

Deno.test("HIGH_ENTROPY_DNS_ANSWER: entropy_threshold is configurable", async () => {
  const ev = await run([dnsMsg(dns({ qtype: "TXT", answers: [NOISE] }))], {
    config: { entropy_threshold: "6.5" },
  });
  assert.equal(ofType(ev, "HIGH_ENTROPY_DNS_ANSWER").length, 0);
});

Deno.test("INVALID_DNS_RESOLUTION: a public name resolving to 127.0.0.1", async () => {
  const ev = ofType(
    await run([dnsMsg(dns({ query: "evil.example", answers: ["127.0.0.1"] }))]),
    "INVALID_DNS_RESOLUTION",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 0.8);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.deepEqual(ev[0].victim, { direction: "DST", iocType: "DOMAIN", value: "evil.example" });
  assert.match(ev[0].description, /127\.0\.0\.1/);
});

Deno.test("INVALID_DNS_RESOLUTION: localhost, .local and .arpa names may resolve privately", async () => {
  const ev = await run([
    // An mDNS announcement carries answers without a question.
    dnsMsg(dns({ query: "", answers: ["fe80::ba27:ebff:fec7:e9c9", "192.168.2.16"] })),
    dnsMsg(dns({ query: "localhost", answers: ["127.0.0.1"] })),
    dnsMsg(dns({ query: "printer.local", answers: ["192.168.1.5"] })),
    dnsMsg(dns({ query: "5.1.168.192.in-addr.arpa", qtype: "PTR", answers: ["192.168.1.5"] })),
    dnsMsg(dns({ query: "example.com", answers: ["93.184.216.34"] })),
  ]);
  assert.equal(ofType(ev, "INVALID_DNS_RESOLUTION").length, 0);
});

const nx = (name: string, i = 0, twid = 1): ChannelMessage =>
  dnsMsg(dns({ query: name, rcode: "NXDOMAIN", answers: [], ts: T + i, twid }));

Deno.test("DGA_NXDOMAINS: 10 distinct failed domains, then every further 5", async () => {
  const msgs = Array.from({ length: 16 }, (_, i) => nx(`x${i}.example`, i));
  const ev = ofType(await run(msgs), "DGA_NXDOMAINS");
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "high");
  assert.equal(ev[0].confidence, 0.1);
  assert.equal(ev[1].confidence, 0.15);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.match(ev[0].description, /10 different domains/);
});

Deno.test("DGA_NXDOMAINS: repeats of one name plus 8 others, .arpa/.local, or counts split by a window do not fire (B3)", async () => {
  const ev = await run([
    ...Array.from({ length: 12 }, (_, i) => nx("same.example", i)),
    ...Array.from({ length: 8 }, (_, i) => nx(`y${i}.example`, i)),
    ...Array.from({ length: 5 }, (_, i) => nx(`${i}.1.168.192.in-addr.arpa`, i)),
    ...Array.from({ length: 5 }, (_, i) => nx(`h${i}.local`, i)),
    twClosed("192.168.1.10", 1),
    nx("z.example", 100, 2),
  ]);
  assert.equal(ofType(ev, "DGA_NXDOMAINS").length, 0);
});

const arpa = (i: number, dt: number) =>
  dnsMsg(dns({ query: `${i}.2.0.10.in-addr.arpa`, qtype: "PTR", answers: [], ts: T + dt }));

Deno.test("DNS_ARPA_SCAN: 10 reverse lookups within 2 seconds", async () => {
  const ev = ofType(
    await run(Array.from({ length: 10 }, (_, i) => arpa(i, i * 0.2))),
    "DNS_ARPA_SCAN",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "medium");
  assert.equal(ev[0].confidence, 0.7);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
});

Deno.test("DNS_ARPA_SCAN: the 2-second window slides past a stray early lookup (Q5)", async () => {
  const ev = await run([arpa(100, -60), ...Array.from({ length: 10 }, (_, i) => arpa(i, i * 0.1))]);
  assert.equal(ofType(ev, "DNS_ARPA_SCAN").length, 1);
});

Deno.test("DNS_ARPA_SCAN: 10 lookups spread over 10 seconds, or 9 fast ones, are not a scan", async () => {
  const slow = await run(Array.from({ length: 10 }, (_, i) => arpa(i, i)));
  assert.equal(ofType(slow, "DNS_ARPA_SCAN").length, 0);
  const few = await run(Array.from({ length: 9 }, (_, i) => arpa(i, i * 0.1)));
  assert.equal(ofType(few, "DNS_ARPA_SCAN").length, 0);
});

Deno.test("DNS_WITHOUT_CONNECTION: nobody connected within 30 minutes of traffic time", async () => {
  const ev = ofType(
    await run([
      dnsMsg(dns({ query: "lonely.example", answers: ["185.199.108.50"] })),
      // Traffic goes on elsewhere; the re-checks at 10, 20 and 30 minutes find no connection.
      ...[300, 900, 1500, 1900].map((dt) => flowMsg(conn({ daddr: "151.101.1.1", ts: T + dt }))),
      // Too late: the verdict was given at 30 minutes.
      flowMsg(conn({ daddr: "185.199.108.50", ts: T + 2000 })),
    ]),
    "DNS_WITHOUT_CONNECTION",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 0.8);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.deepEqual(ev[0].victim, { direction: "DST", iocType: "DOMAIN", value: "lonely.example" });
});

Deno.test("DNS_WITHOUT_CONNECTION: at the end of input pending resolutions are checked", async () => {
  const ev = await run([dnsMsg(dns({ query: "lonely.example", answers: ["185.199.108.50"] }))]);
  assert.equal(ofType(ev, "DNS_WITHOUT_CONNECTION").length, 1);
});

Deno.test("DNS_WITHOUT_CONNECTION: a connection to an answer, to a CNAME's IP, or in the next window", async () => {
  const direct = await run([
    dnsMsg(dns({ query: "a.example", answers: ["185.199.108.50"] })),
    flowMsg(conn({ daddr: "185.199.108.50", ts: T + 1200 })),
  ]);
  assert.equal(ofType(direct, "DNS_WITHOUT_CONNECTION").length, 0);
  const cname = await run([
    dnsMsg(dns({ query: "cdn.example.net", answers: ["185.199.108.60"], ts: T - 10 })),
    dnsMsg(dns({ query: "www.example", answers: ["cdn.example.net"] })),
    flowMsg(conn({ daddr: "185.199.108.60", ts: T + 5 })),
  ]);
  assert.equal(ofType(cname, "DNS_WITHOUT_CONNECTION").length, 0);
  const nextWindow = await run([
    dnsMsg(dns({ query: "a.example", answers: ["185.199.108.50"], twid: 1 })),
    flowMsg(conn({ daddr: "185.199.108.50", ts: T + 5, twid: 2 })),
    twClosed("192.168.1.10", 1),
  ]);
  assert.equal(ofType(nextWindow, "DNS_WITHOUT_CONNECTION").length, 0);
});

Deno.test("DNS_WITHOUT_CONNECTION: only answered A/AAAA queries for real names are candidates", async () => {
  const ev = await run([
    dnsMsg(dns({ query: "mail.example", qtype: "MX", answers: ["MX 10 mx.example"] })),
    dnsMsg(dns({ query: "gone.example", rcode: "NXDOMAIN", answers: [] })),
    dnsMsg(dns({ query: "wpad", answers: ["192.168.1.2"] })),
    dnsMsg(dns({ query: "printer.local", answers: ["192.168.1.5"] })),
    dnsMsg(dns({ query: "1.1.1.1.origin.asn.cymru.com", qtype: "TXT", answers: ["TXT 13335"] })),
  ]);
  assert.equal(ofType(ev, "DNS_WITHOUT_CONNECTION").length, 0);
});

Deno.test("DIFFERENT_LOCALNET (DNS): a resolver outside the local network, until it proved itself (B8)", async () => {
  const q = (i: number, twid: number) =>
    dnsMsg(dns({ daddr: "10.0.0.53", ts: T + i, twid, query: `n${i}.example` }));
  const ev = ofType(
    await run([q(0, 1), q(1, 1), q(2, 1), q(3, 1), q(4, 1), q(5, 2)], {
      context: { clientIps: ["192.168.0.0/16"] },
    }),
    "DIFFERENT_LOCALNET",
  );
  // Reported once in window 1; by window 2 the resolver answered 5 queries and is trusted.
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "high");
  assert.equal(ev[0].profileIp, "10.0.0.53");
  assert.deepEqual(ev[0].attacker, { direction: "DST", iocType: "IP", value: "10.0.0.53" });
  assert.match(ev[0].description, /DNS query/);
});

Deno.test("DIFFERENT_LOCALNET (DNS): the local resolver and public resolvers are fine", async () => {
  const ev = await run([
    dnsMsg(dns({ daddr: "192.168.1.1" })),
    dnsMsg(dns({ daddr: "8.8.8.8" })),
  ], { context: { clientIps: ["192.168.0.0/16"] } });
  assert.equal(ofType(ev, "DIFFERENT_LOCALNET").length, 0);
});

/** flow_alerts with the shared cache pre-filled, as ip_info would leave it. */
class WithCache extends FlowAlerts {
  constructor(readonly entries: [string, string, string][]) {
    super();
  }
  override async init(): Promise<void> {
    for (const [ns, k, v] of this.entries) await this.db.cacheSet(ns, k, v);
    super.init();
  }
}

Deno.test("YOUNG_DOMAIN: a domain registered 12 days ago (age from the domain_age cache)", async () => {
  const { evidence } = await runModule(
    new WithCache([["domain_age", "fresh.example", "12"]]),
    [dnsMsg(
      dns({ query: "www.fresh.example", answers: ["185.199.108.70", "cname.fresh.example"] }),
    )],
    {},
    { inputType: "directory" },
  );
  const ev = ofType(evidence, "YOUNG_DOMAIN");
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 1);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(ev[0].profileIp, "192.168.1.10");
  assert.equal(ev[1].threatLevel, "low");
  assert.deepEqual(ev[1].attacker, { direction: "DST", iocType: "IP", value: "185.199.108.70" });
  assert.equal(ev[1].profileIp, "185.199.108.70");
  assert.deepEqual(ev[0].relIds, [ev[1].id]);
  assert.match(ev[0].description, /12 days/);
});

Deno.test("YOUNG_DOMAIN: old, unknown-age and .local domains are not reported", async () => {
  const { evidence } = await runModule(
    new WithCache([["domain_age", "old.example", "4000"], ["domain_age", "edge.example", "60"]]),
    [
      dnsMsg(dns({ query: "old.example" })),
      dnsMsg(dns({ query: "edge.example" })),
      dnsMsg(dns({ query: "unknown.example" })),
      dnsMsg(dns({ query: "nas.local", answers: ["192.168.1.4"] })),
    ],
    {},
    { inputType: "directory" },
  );
  assert.equal(ofType(evidence, "YOUNG_DOMAIN").length, 0);
});

export { WithCache };
