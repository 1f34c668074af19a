import assert from "node:assert/strict";
import { conn, dns, dnsMsg, flowMsg, ssl, sslMsg } from "./records.ts";
import { ofType, run } from "./run.ts";
import { runModule } from "../../helpers/module_harness.ts";
import { WithCache } from "./dns_test.ts";

const T = 1_700_000_000;

Deno.test("SELF_SIGNED_CERTIFICATE: paired LOW evidence for client and server", async () => {
  const ev = ofType(
    await run([sslMsg(ssl({ validationStatus: "self signed certificate" }))]),
    "SELF_SIGNED_CERTIFICATE",
  );
  assert.equal(ev.length, 2);
  const [client, server] = ev;
  assert.equal(client.threatLevel, "low");
  assert.equal(client.confidence, 0.5);
  assert.deepEqual(client.attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(client.profileIp, "192.168.1.10");
  assert.deepEqual(server.attacker, { direction: "DST", iocType: "IP", value: "93.184.216.34" });
  assert.equal(server.profileIp, "93.184.216.34");
  assert.match(server.description, /SNI example\.com/);
});

Deno.test("SELF_SIGNED_CERTIFICATE: valid certificates, and repeats to the same server, add nothing", async () => {
  const ev = await run([
    sslMsg(ssl()),
    sslMsg(ssl({ validationStatus: "self signed certificate in certificate chain" })),
    sslMsg(ssl({ validationStatus: "self signed certificate in certificate chain", ts: T + 9 })),
  ]);
  assert.equal(ofType(ev, "SELF_SIGNED_CERTIFICATE").length, 2);
});

Deno.test("INCOMPATIBLE_CN: a certificate claiming Google on a server that is not Google's", async () => {
  const ev = ofType(
    await run([
      sslMsg(
        ssl({ subject: "CN=*.google.com,O=Google LLC,C=US", serverName: "login.evil.example" }),
      ),
    ]),
    "INCOMPATIBLE_CN",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "medium");
  assert.equal(ev[0].confidence, 0.9);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
  assert.equal(ev[0].victim?.value, "93.184.216.34");
  assert.match(ev[0].description, /Google/);
});

Deno.test("INCOMPATIBLE_CN: Google's IP, Google's SNI, or a name resolved from Google's domain", async () => {
  const subject = "CN=*.google.com,O=Google LLC,C=US";
  const ev = await run([
    sslMsg(ssl({ subject, daddr: "142.250.74.46", serverName: "" })),
    sslMsg(ssl({ subject, serverName: "www.google.com" })),
    dnsMsg(dns({ query: "mail.google.com", answers: ["151.101.1.80"] })),
    sslMsg(ssl({ subject, daddr: "151.101.1.80", serverName: "" })),
    sslMsg(ssl({ subject: "CN=example.com,O=Example Inc" })),
  ]);
  assert.equal(ofType(ev, "INCOMPATIBLE_CN").length, 0);
});

Deno.test("CN_URL_MISMATCH: different registrable domains whose whois organisations differ", async () => {
  const { evidence } = await runModule(
    new WithCache([
      ["domain_org", "shop.example", "Shop Example LLC"],
      ["domain_org", "bank.test", "First Bank Corp"],
    ]),
    [sslMsg(ssl({ subject: "CN=www.shop.example", serverName: "secure.bank.test" }))],
    {},
    { inputType: "directory" },
  );
  const ev = ofType(evidence, "CN_URL_MISMATCH");
  assert.equal(ev.length, 2);
  const [client, server] = ev;
  assert.equal(client.threatLevel, "low");
  assert.equal(client.confidence, 0.8);
  assert.deepEqual(client.attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.deepEqual(client.victim, {
    direction: "DST",
    iocType: "DOMAIN",
    value: "secure.bank.test",
  });
  assert.equal(server.threatLevel, "medium");
  assert.deepEqual(server.attacker, {
    direction: "DST",
    iocType: "DOMAIN",
    value: "secure.bank.test",
  });
  assert.equal(server.profileIp, "93.184.216.34");
  assert.match(client.description, /www\.shop\.example/);
});

Deno.test("CN_URL_MISMATCH: wildcards, same registrable domain, related or unknown organisations", async () => {
  const { evidence } = await runModule(
    new WithCache([
      ["domain_org", "akamai.test", "Akamai Technologies Inc"],
      ["domain_org", "akamaized.test", "Akamai International Ltd"],
    ]),
    [
      sslMsg(ssl({ subject: "CN=*.example.com", serverName: "api.example.com" })),
      sslMsg(ssl({ subject: "CN=static.example.com", serverName: "www.example.com" })),
      sslMsg(ssl({ subject: "CN=a248.akamai.test", serverName: "img.akamaized.test" })),
      // No whois for either name offline: no evidence.
      sslMsg(ssl({ subject: "CN=www.unknown-one.example", serverName: "www.unknown-two.test" })),
    ],
    {},
    { inputType: "directory" },
  );
  assert.equal(ofType(evidence, "CN_URL_MISMATCH").length, 0);
});

Deno.test("DIFFERENT_LOCALNET (DoH): a DNS-over-HTTPS session is INFO, filed under the server", async () => {
  const ev = ofType(
    await run([sslMsg(ssl({ isDoH: true, daddr: "9.9.9.9", serverName: "dns.quad9.net" }))]),
    "DIFFERENT_LOCALNET",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 0.9);
  assert.deepEqual(ev[0].attacker, { direction: "DST", iocType: "IP", value: "9.9.9.9" });
  assert.equal(ev[0].profileIp, "9.9.9.9");
});

Deno.test("DIFFERENT_LOCALNET (DoH): ordinary TLS is not DoH, and a DoH server needs no DNS", async () => {
  const ev = await run([
    dnsMsg(dns({ query: "other.example", answers: ["151.101.1.9"], ts: T - 5 })),
    sslMsg(ssl()),
    sslMsg(ssl({ isDoH: true, daddr: "9.9.9.9", serverName: "dns.quad9.net" })),
    flowMsg(conn({ daddr: "9.9.9.9", ts: T + 1 })),
    flowMsg(conn({ daddr: "151.101.1.77", ts: T + 2 })),
  ]);
  // Only the unresolved non-DoH destination is reported.
  assert.deepEqual(
    ofType(ev, "CONNECTION_WITHOUT_DNS").map((e) =>
      e.uids[0] !== undefined && e.description.includes("151.101.1.77")
    ),
    [true],
  );
  assert.equal(ofType(ev, "DIFFERENT_LOCALNET").length, 1);
});

Deno.test("PASTEBIN_DOWNLOAD: the TLS record waits for its conn flow (threshold ≥ 700 bytes)", async () => {
  const s = ssl({ serverName: "pastebin.com", daddr: "104.20.67.143" });
  const ev = ofType(
    await run([
      sslMsg(s),
      flowMsg(conn({ uid: s.uid, daddr: "104.20.67.143", dbytes: 700, ts: T + 1 })),
    ]),
    "PASTEBIN_DOWNLOAD",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 1);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
  assert.match(ev[0].description, /0\.0007 MB/);
});

Deno.test("PASTEBIN_DOWNLOAD: the conn flow may come first when pastebin was resolved", async () => {
  const s = ssl({ serverName: "pastebin.com", daddr: "104.20.67.143", ts: T + 1 });
  const ev = await run([
    dnsMsg(dns({ query: "pastebin.com", answers: ["104.20.67.143"] })),
    flowMsg(conn({ uid: s.uid, daddr: "104.20.67.143", dbytes: 25_000, ts: T + 1 })),
    sslMsg(s),
  ]);
  assert.equal(ofType(ev, "PASTEBIN_DOWNLOAD").length, 1);
});

Deno.test("PASTEBIN_DOWNLOAD: small responses, other sites, or a conn that never came", async () => {
  const small = ssl({ serverName: "pastebin.com" });
  const other = ssl({ serverName: "example.com" });
  const ev = await run(
    [
      sslMsg(small),
      flowMsg(conn({ uid: small.uid, dbytes: 699, ts: T + 1 })),
      sslMsg(other),
      flowMsg(conn({ uid: other.uid, dbytes: 90_000, ts: T + 1 })),
      sslMsg(ssl({ serverName: "pastebin.com" })),
    ],
    { config: { pastebin_download_threshold: "700" } },
  );
  assert.equal(ofType(ev, "PASTEBIN_DOWNLOAD").length, 0);
});
