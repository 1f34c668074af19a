import assert from "node:assert/strict";
import { runModule } from "../../helpers/module_harness.ts";
import ThreatIntelligence from "../../../modules/threat_intelligence/threat_intelligence.ts";
import type { ChannelMessage } from "../../../core/database/channels.ts";
import type { Evidence } from "../../../core/evidence/evidence.ts";
import { conn, dns, files, http, msg, ssl } from "./records.ts";
import { tiEnv } from "./ti_env.ts";
import { EmbeddedDatabase, runOnDb } from "./run_on_db.ts";

const IOCS = [
  "# test indicators",
  "192.0.2.66, high, Example C2, c2",
  "198.51.100.0/24, medium, Example range",
  "malicious.example, high, Example phishing domain",
  "printer.local, high, A local name that must never be looked up",
  "AS64496, medium, Example bad AS",
  "http://downloads.example/payload.exe, high, Example malware URL",
  "44d88612fea8a8f36de82e1278abb02f, high, EICAR test file",
  "d41d8cd98f00b204e9800998ecf8427e, high, Empty file listed by mistake",
  "c23a68330be52b6c0c857e68b48f7aeae5e2f39b, critical, Example C2 certificate",
].join("\n");
const JA3 = '"d97d32dbab433880636e2d5058136a05","medium","Example JA3"\n';
const FP = "Empty file, d41d8cd98f00b204e9800998ecf8427e\n";

async function run(messages: ChannelMessage[]): Promise<Evidence[]> {
  const env = tiEnv({
    "own_malicious_iocs.csv": IOCS,
    "own_malicious_JA3.csv": JA3,
    "known_fp_md5_hashes.csv": FP,
  });
  const { evidence } = await runModule(new ThreatIntelligence(), messages, env.config, {
    homeDir: env.home,
  });
  return evidence;
}

function only(evidence: Evidence[], profileIp: string): Evidence {
  const found = evidence.filter((e) => e.profileIp === profileIp);
  assert.equal(found.length, 1, `one evidence under ${profileIp}, got ${found.length}`);
  return found[0];
}

Deno.test("TO_BLACKLISTED_IP: a flow to a listed IP blames the IP and, LOW, the client", async () => {
  const ev = await run([msg.flow(conn({ daddr: "192.0.2.66" }))]);
  assert.equal(ev.length, 2);
  const server = only(ev, "192.0.2.66");
  const client = only(ev, "10.0.0.5");
  for (const e of ev) assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP");
  assert.equal(server.threatLevel, "high");
  assert.equal(server.confidence, 1);
  assert.deepEqual([server.attacker.direction, server.attacker.value], ["DST", "192.0.2.66"]);
  assert.equal(server.attacker.enrichment?.TI, "own_malicious_iocs.csv");
  assert.equal(server.victim?.value, "10.0.0.5");
  assert.equal(client.threatLevel, "low");
  assert.deepEqual([client.attacker.direction, client.attacker.value], ["SRC", "10.0.0.5"]);
  assert.deepEqual(client.relIds, [server.id]);
  assert.deepEqual(server.relIds, [client.id]);
  assert.match(client.description, /192\.0\.2\.66.*own_malicious_iocs\.csv \(Example C2\)/);
});

Deno.test("TO_BLACKLISTED_IP: a range match carries the range's level; unlisted IPs raise nothing", async () => {
  const ev = await run([
    msg.flow(conn({ daddr: "198.51.100.7" })),
    msg.flow(conn({ daddr: "192.0.2.67" })),
  ]);
  assert.equal(ev.length, 2);
  assert.equal(only(ev, "198.51.100.7").threatLevel, "medium");
  assert.match(only(ev, "198.51.100.7").description, /198\.51\.100\.0\/24/);
});

Deno.test("TO_BLACKLISTED_IP: ICMP to a listed IP raises nothing", async () => {
  const ev = await run([msg.flow(conn({ daddr: "192.0.2.66", proto: "icmp", dport: 0 }))]);
  assert.equal(ev.length, 0);
});

Deno.test("TO_BLACKLISTED_IP must not: listed broadcast, multicast or unspecified addresses", async () => {
  const env = tiEnv({
    "own_malicious_iocs.csv": "255.255.255.255, high, x\n224.0.0.0/4, high, y\n0.0.0.0, high, z\n",
  });
  const { evidence } = await runModule(
    new ThreatIntelligence(),
    [
      msg.flow(conn({ daddr: "255.255.255.255", proto: "udp" })),
      msg.flow(conn({ daddr: "224.0.0.251", proto: "udp" })),
      msg.flow(conn({ saddr: "0.0.0.0", daddr: "255.255.255.255", proto: "udp" })),
    ],
    env.config,
    { homeDir: env.home },
  );
  assert.equal(evidence.length, 0);
});

Deno.test("TO_BLACKLISTED_IP (from): a listed source is blamed with the feed level", async () => {
  const ev = await run([msg.flow(conn({ saddr: "192.0.2.66", daddr: "10.0.0.5", dport: 22 }))]);
  assert.equal(ev.length, 1);
  const e = ev[0];
  assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_TO_BLACKLISTED_IP");
  assert.equal(e.threatLevel, "high");
  assert.equal(e.confidence, 1);
  assert.deepEqual([e.attacker.direction, e.attacker.value, e.profileIp], [
    "SRC",
    "192.0.2.66",
    "192.0.2.66",
  ]);
  assert.equal(e.victim?.value, "10.0.0.5");
});

Deno.test("dedupe: one listed IP is reported once per profile and window, again after it closes", async () => {
  const ev = await run([
    msg.flow(conn({ daddr: "192.0.2.66", uid: "a" })),
    msg.flow(conn({ daddr: "192.0.2.66", uid: "b" })),
    msg.twClosed("10.0.0.5", 1),
    msg.flow({ ...conn({ daddr: "192.0.2.66", uid: "c" }), twid: 2 }),
  ]);
  assert.equal(ev.length, 4);
  assert.deepEqual(ev.map((e) => e.uids[0]), ["a", "a", "c", "c"]);
});

/** ip_info's announcement of an IP's AS, delivered the way the host delivers custom channels. */
function asnAnswer(ti: ThreatIntelligence, ip: string, asn: string): () => Promise<void> {
  return () => Promise.resolve(ti.onCustomMessage("ip_asn", { ip, asn }));
}

/** ASN matching needs an AS database configured for ip_info. */
const WITH_ASN_DB = { ip_info: { asn_mmdb: "config/geoip/asn.mmdb" } };

Deno.test("BLACKLISTED_ASN: an IP of a listed AS (told by ip_info) raises a pair at 0.8", async () => {
  const env = tiEnv({ "own_malicious_iocs.csv": IOCS });
  const ti = new ThreatIntelligence();
  const { evidence } = await runOnDb(
    new EmbeddedDatabase(),
    ti,
    [
      asnAnswer(ti, "203.0.113.9", "AS64496 Example Hosting"),
      asnAnswer(ti, "203.0.113.10", "AS64500 Fine Hosting"),
      msg.flow(conn({ daddr: "203.0.113.9" })),
      msg.flow(conn({ daddr: "203.0.113.10" })),
      msg.flow(conn({ daddr: "203.0.113.11" })),
    ],
    { ...env.config, ...WITH_ASN_DB },
    env.home,
  );
  assert.equal(evidence.length, 2);
  const client = only(evidence, "10.0.0.5");
  const server = only(evidence, "203.0.113.9");
  for (const e of evidence) {
    assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_BLACKLISTED_ASN");
    assert.equal(e.threatLevel, "medium");
    assert.equal(e.confidence, 0.8);
  }
  assert.equal(client.attacker.direction, "SRC");
  assert.equal(server.attacker.direction, "DST");
  assert.match(client.description, /AS64496 Example Hosting/);
});

Deno.test("BLACKLISTED_ASN: an AS told after the flow is matched when it arrives, once per window", async () => {
  const env = tiEnv({ "own_malicious_iocs.csv": IOCS });
  const ti = new ThreatIntelligence();
  const seen: number[] = [];
  const { evidence } = await runOnDb(
    new EmbeddedDatabase(),
    ti,
    [
      msg.flow(conn({ daddr: "203.0.113.9", uid: "a" })),
      msg.flow(conn({ daddr: "203.0.113.9", uid: "b" })),
      msg.dns(dns({ query: "late.example.org", answers: ["203.0.113.12"] })),
      asnAnswer(ti, "203.0.113.9", "AS64496 Example Hosting"),
      () => Promise.resolve(void seen.push(ti.evidenceCount)),
      asnAnswer(ti, "203.0.113.12", "AS64496 Example Hosting"),
      msg.flow(conn({ daddr: "203.0.113.9", uid: "c" })),
      msg.twClosed("10.0.0.5", 1),
    ],
    { ...env.config, ...WITH_ASN_DB },
    env.home,
  );
  // The first answer alone settles the waiting flow: a pair, before the window closes.
  assert.deepEqual(seen, [2]);
  assert.equal(evidence.length, 4);
  assert.equal(evidence.filter((e) => e.profileIp === "10.0.0.5").length, 2);
  assert.deepEqual(only(evidence, "203.0.113.9").uids, ["a"]);
  assert.match(only(evidence, "203.0.113.12").description, /DNS answer for late\.example\.org/);
});

Deno.test("BLACKLISTED_ASN: an AS told after its window closed is still matched to it, once", async () => {
  const env = tiEnv({ "own_malicious_iocs.csv": IOCS });
  const ti = new ThreatIntelligence();
  const { evidence } = await runOnDb(
    new EmbeddedDatabase(),
    ti,
    [
      msg.flow(conn({ daddr: "203.0.113.9", uid: "a" })),
      msg.flow(conn({ daddr: "203.0.113.9", uid: "b" })),
      msg.twClosed("10.0.0.5", 1),
      // ip_info's answer comes through another worker, after the end of input closed the window.
      asnAnswer(ti, "203.0.113.9", "AS64496 Example Hosting"),
      asnAnswer(ti, "203.0.113.9", "AS64496 Example Hosting"),
    ],
    { ...env.config, ...WITH_ASN_DB },
    env.home,
  );
  assert.equal(evidence.length, 2);
  for (const e of evidence) {
    assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_BLACKLISTED_ASN");
    assert.equal(e.twid, 1);
    assert.deepEqual(e.uids, ["a"]);
  }
});

Deno.test("BLACKLISTED_ASN must not: an IP of another AS, or with no AS at all", async () => {
  const env = tiEnv({ "own_malicious_iocs.csv": IOCS });
  const ti = new ThreatIntelligence();
  const { evidence } = await runOnDb(
    new EmbeddedDatabase(),
    ti,
    [
      msg.flow(conn({ daddr: "203.0.113.10" })),
      msg.flow(conn({ daddr: "203.0.113.11" })),
      asnAnswer(ti, "203.0.113.10", "AS64500 Fine Hosting"),
      asnAnswer(ti, "203.0.113.11", ""),
      msg.flow(conn({ daddr: "203.0.113.11" })),
      msg.twClosed("10.0.0.5", 1),
    ],
    { ...env.config, ...WITH_ASN_DB },
    env.home,
  );
  assert.equal(evidence.length, 0);
});

Deno.test("BLACKLISTED_ASN: without [ip_info] asn_mmdb no AS is matched (and none waited for)", async () => {
  const env = tiEnv({ "own_malicious_iocs.csv": IOCS });
  const ti = new ThreatIntelligence();
  const { evidence, printed } = await runOnDb(
    new EmbeddedDatabase(),
    ti,
    [
      asnAnswer(ti, "203.0.113.9", "AS64496 Example Hosting"),
      msg.flow(conn({ daddr: "203.0.113.9" })),
    ],
    env.config,
    env.home,
  );
  assert.equal(evidence.length, 0);
  assert.ok(printed.some((p) => /AS numbers are listed, but without an AS database/.test(p)));
});

Deno.test("BLACKLISTED_DNS_ANSWER: a listed answer IP blames it and the asking host", async () => {
  const ev = await run([msg.dns(dns({ query: "cdn.example.org", answers: ["192.0.2.66"] }))]);
  assert.equal(ev.length, 2);
  const ip = only(ev, "192.0.2.66");
  const asker = only(ev, "10.0.0.5");
  for (const e of ev) {
    assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_BLACKLISTED_DNS_ANSWER");
    assert.equal(e.threatLevel, "high");
    assert.equal(e.confidence, 1);
  }
  assert.equal(ip.attacker.direction, "DST");
  assert.equal(asker.attacker.direction, "SRC");
  assert.match(asker.description, /cdn\.example\.org/);
});

Deno.test("BLACKLISTED_DNS_ANSWER (CNAME): a subdomain CNAME match has confidence 0.7", async () => {
  const ev = await run([
    msg.dns(dns({ query: "good.example.org", answers: ["x.malicious.example", "8.8.8.8"] })),
    msg.dns(dns({ query: "other.example.org", answers: ["malicious.example.org"] })),
  ]);
  assert.equal(ev.length, 1);
  const e = ev[0];
  assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_BLACKLISTED_DNS_ANSWER");
  assert.equal(e.threatLevel, "high");
  assert.equal(e.confidence, 0.7);
  assert.deepEqual([e.attacker.direction, e.attacker.value, e.profileIp], [
    "SRC",
    "10.0.0.5",
    "10.0.0.5",
  ]);
  assert.deepEqual([e.victim?.iocType, e.victim?.value], ["DOMAIN", "x.malicious.example"]);
});

Deno.test("BLACKLISTED_DOMAIN + ANSWER_OF_BLACKLISTED_QUERY from a listed DNS query", async () => {
  const ev = await run([
    msg.dns(dns({ query: "malicious.example", answers: ["203.0.113.10", "127.0.0.1"] })),
  ]);
  const domain = ev.filter((e) => e.evidenceType === "THREAT_INTELLIGENCE_BLACKLISTED_DOMAIN");
  const answer = ev.filter((e) =>
    e.evidenceType === "THREAT_INTELLIGENCE_ANSWER_OF_BLACKLISTED_QUERY"
  );
  assert.equal(domain.length, 2);
  const asker = only(domain, "10.0.0.5");
  assert.equal(asker.confidence, 1);
  assert.equal(asker.threatLevel, "high");
  assert.deepEqual([asker.victim?.iocType, asker.victim?.value], ["DOMAIN", "malicious.example"]);
  const resolved = only(domain, "203.0.113.10");
  assert.deepEqual([resolved.attacker.direction, resolved.attacker.iocType], ["DST", "DOMAIN"]);
  // The sinkhole answer 127.0.0.1 blames nobody.
  assert.equal(answer.length, 2);
  assert.equal(only(answer, "203.0.113.10").attacker.value, "203.0.113.10");
  assert.equal(only(answer, "10.0.0.5").attacker.direction, "SRC");
  for (const e of answer) assert.equal(e.threatLevel, "high");
});

Deno.test("BLACKLISTED_DOMAIN: a subdomain query has confidence 0.7; unlisted and .local names raise nothing", async () => {
  const ev = await run([
    msg.dns(dns({ query: "www.malicious.example" })),
    msg.dns(dns({ query: "notmalicious.example" })),
    msg.dns(dns({ query: "printer.local" })),
    msg.dns(dns({ query: "66.2.0.192.in-addr.arpa", qtype: "PTR" })),
  ]);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].evidenceType, "THREAT_INTELLIGENCE_BLACKLISTED_DOMAIN");
  assert.equal(ev[0].confidence, 0.7);
  assert.match(ev[0].description, /subdomain of the listed malicious\.example/);
});

Deno.test("BLACKLISTED_DOMAIN from an HTTP host and a TLS SNI, blamed also on the server IP", async () => {
  const ev = await run([
    msg.http(http({ host: "malicious.example", daddr: "203.0.113.20" })),
    msg.ssl(ssl({ serverName: "login.malicious.example", daddr: "203.0.113.21", uid: "S1" })),
  ]);
  assert.equal(ev.length, 4);
  const httpServer = only(ev, "203.0.113.20");
  assert.equal(httpServer.confidence, 1);
  assert.match(httpServer.description, /HTTP host/);
  const sniServer = only(ev, "203.0.113.21");
  assert.equal(sniServer.confidence, 0.7);
  assert.match(sniServer.description, /TLS SNI/);
  assert.equal(ev.filter((e) => e.profileIp === "10.0.0.5").length, 2);
});

Deno.test("MALICIOUS_URL: a requested URL listed in a feed; other URLs of the host are not", async () => {
  const ev = await run([
    msg.http(http({ host: "downloads.example", uri: "/payload.exe" })),
    msg.http(http({ host: "downloads.example", uri: "/other.exe", uid: "H2" })),
  ]);
  assert.equal(ev.length, 1);
  const e = ev[0];
  assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_MALICIOUS_URL");
  assert.equal(e.threatLevel, "high");
  assert.equal(e.confidence, 0.7);
  assert.deepEqual([e.attacker.direction, e.attacker.value], ["SRC", "10.0.0.5"]);
  assert.deepEqual([e.victim?.iocType, e.victim?.value], [
    "URL",
    "http://downloads.example/payload.exe",
  ]);
});

Deno.test("MALICIOUS_JA3 and MALICIOUS_JA3S; an unlisted fingerprint raises nothing", async () => {
  const ev = await run([
    msg.ssl(ssl({ ja3: "d97d32dbab433880636e2d5058136a05", uid: "A" })),
    msg.ssl(ssl({ ja3s: "D97D32DBAB433880636E2D5058136A05", uid: "B" })),
    msg.ssl(ssl({ ja3: "00000000000000000000000000000000", uid: "C" })),
  ]);
  const ja3 = ev.filter((e) => e.evidenceType === "MALICIOUS_JA3");
  const ja3s = ev.filter((e) => e.evidenceType === "MALICIOUS_JA3S");
  assert.equal(ev.length, 3);
  assert.equal(ja3.length, 1);
  assert.deepEqual(
    [ja3[0].threatLevel, ja3[0].confidence, ja3[0].attacker.direction, ja3[0].profileIp],
    ["medium", 1, "SRC", "10.0.0.5"],
  );
  const server = only(ja3s, "93.184.216.34");
  assert.deepEqual([server.threatLevel, server.attacker.direction], ["medium", "DST"]);
  const client = only(ja3s, "10.0.0.5");
  assert.deepEqual([client.threatLevel, client.attacker.direction], ["low", "SRC"]);
  assert.match(server.description, /C&C/);
});

Deno.test("MALICIOUS_SSL_CERT from an ssl cert chain and from files.log: server at feed level, client LOW", async () => {
  const sha1 = "c23a68330be52b6c0c857e68b48f7aeae5e2f39b";
  for (
    const m of [
      msg.ssl(ssl({ certChainFps: [sha1] })),
      msg.file(files({ fileSource: "SSL", analyzers: ["MD5", "SHA1"], sha1, mimeType: "" })),
    ]
  ) {
    const ev = await run([m]);
    assert.equal(ev.length, 2);
    const server = only(ev, "93.184.216.34");
    const client = only(ev, "10.0.0.5");
    for (const e of ev) assert.equal(e.evidenceType, "MALICIOUS_SSL_CERT");
    assert.deepEqual([server.threatLevel, server.attacker.direction], ["critical", "DST"]);
    assert.deepEqual([client.threatLevel, client.attacker.direction], ["low", "SRC"]);
  }
});

Deno.test("MALICIOUS_SSL_CERT: an SSL file without a SHA1 analyzer raises nothing", async () => {
  const ev = await run([
    msg.file(
      files({
        fileSource: "SSL",
        analyzers: ["MD5"],
        sha1: "",
        md5: "0123456789abcdef0123456789abcdef",
      }),
    ),
  ]);
  assert.equal(ev.length, 0);
});

Deno.test("MALICIOUS_DOWNLOADED_FILE: a listed md5 blames the sender; known false positives are skipped", async () => {
  const ev = await run([
    msg.file(files({ md5: "44d88612fea8a8f36de82e1278abb02f" })),
    msg.file(files({ md5: "d41d8cd98f00b204e9800998ecf8427e", uid: "F2" })),
  ]);
  assert.equal(ev.length, 2);
  const sender = only(ev, "93.184.216.34");
  const receiver = only(ev, "10.0.0.5");
  for (const e of ev) {
    assert.equal(e.evidenceType, "MALICIOUS_DOWNLOADED_FILE");
    assert.equal(e.threatLevel, "high");
    assert.equal(e.confidence, 1);
  }
  assert.deepEqual([sender.attacker.direction, sender.attacker.value], ["SRC", "93.184.216.34"]);
  assert.deepEqual([receiver.attacker.direction, receiver.victim?.value], ["DST", "10.0.0.5"]);
  assert.match(sender.description, /68 bytes/);
});
