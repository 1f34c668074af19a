/** What each kind of record and evidence contributes to a match. */
import assert from "node:assert/strict";
import { Whitelist } from "../../core/whitelist/mod.ts";
import { arp, conn, dhcp, dns, entity, evidence, http, ssl, x509 } from "./records.ts";

const LOCAL = "192.168.1.5";
const OTHER = "93.184.216.34";

Deno.test("flows: a DNS record is dropped for its query or for an answer address", () => {
  const wl = Whitelist.fromText("domain,example.com,dst,flows\nip,198.51.100.53,dst,flows\n");
  assert.equal(wl.matchFlow(dns(LOCAL, "1.1.1.1", "cdn.example.com", [])), true);
  assert.equal(wl.matchFlow(dns(LOCAL, "1.1.1.1", "other.org", ["198.51.100.53"])), true);
  assert.equal(wl.matchFlow(dns(LOCAL, "1.1.1.1", "other.org", ["198.51.100.54", "x.net"])), false);
});

Deno.test("flows: a connection to an address a whitelisted domain resolved to is dropped", () => {
  const wl = Whitelist.fromText("domain,example.com,both,flows\n");
  assert.equal(wl.matchFlow(conn(LOCAL, "198.51.100.80")), false, "nothing known yet");
  // The DNS record is dropped itself, but what it resolved is remembered.
  assert.equal(
    wl.matchFlow(dns(LOCAL, "1.1.1.1", "www.example.com", ["cname.cdn.net", "198.51.100.80"])),
    true,
  );
  assert.deepEqual(wl.domainsOf("198.51.100.80"), ["www.example.com"]);
  assert.equal(wl.matchFlow(conn(LOCAL, "198.51.100.80")), true);
  assert.equal(wl.matchFlow(conn(LOCAL, "198.51.100.81")), false);
});

Deno.test("flows: a TLS server name is remembered as the domain of the server address", () => {
  const wl = Whitelist.fromText("domain,example.com,dst,flows\n");
  assert.equal(wl.matchFlow(ssl(LOCAL, "198.51.100.90", "api.example.com")), true);
  assert.equal(wl.matchFlow(conn(LOCAL, "198.51.100.90")), true);
});

Deno.test("flows: HTTP host, with or without port, and a host that is an address", () => {
  const wl = Whitelist.fromText("domain,example.com,dst,flows\nip,198.51.100.7,dst,flows\n");
  assert.equal(wl.matchFlow(http(LOCAL, OTHER, "Example.COM:8080")), true);
  assert.equal(wl.matchFlow(http(LOCAL, OTHER, "198.51.100.7:80")), true);
  assert.equal(wl.matchFlow(http(LOCAL, OTHER, "example.com.evil.net")), false);
  assert.equal(wl.matchFlow(http(LOCAL, OTHER, "notexample.com")), false);
});

Deno.test("flows: certificate common name and alternative names", () => {
  const wl = Whitelist.fromText("domain,example.com,dst,flows\n");
  assert.equal(wl.matchFlow(ssl(LOCAL, OTHER, "", "CN=*.example.com,O=Example Inc,C=US")), true);
  assert.equal(
    wl.matchFlow(x509(LOCAL, OTHER, "CN=other.net,O=Other", ["other.net", "static.example.com"])),
    true,
  );
  assert.equal(wl.matchFlow(x509(LOCAL, OTHER, "/C=US/CN=www.example.com", [])), true);
  assert.equal(wl.matchFlow(x509(LOCAL, OTHER, "CN=other.net", ["other.net"])), false);
});

Deno.test("flows: DHCP client MAC counts as the source", () => {
  const wl = Whitelist.fromText("mac,aa:bb:cc:dd:ee:ff,src,flows\n");
  assert.equal(wl.matchFlow(dhcp("0.0.0.0", "255.255.255.255", "AA:BB:CC:DD:EE:FF")), true);
  assert.equal(wl.matchFlow(dhcp("0.0.0.0", "255.255.255.255", "aa:bb:cc:dd:ee:00")), false);
});

Deno.test("flows: ARP records are never dropped, but teach the sender's MAC", () => {
  const wl = Whitelist.fromText(
    "ip,192.168.1.9,both,flows\nmac,aa:bb:cc:dd:ee:ff,both,flows\n",
  );
  assert.equal(wl.matchFlow(arp("192.168.1.9", "192.168.1.1", "02:00:00:00:00:09")), false);
  assert.equal(wl.matchFlow(arp("192.168.1.20", "192.168.1.1", "aa:bb:cc:dd:ee:ff")), false);
  assert.equal(wl.matchFlow(conn("192.168.1.20", OTHER)), true, "MAC learned from ARP");
  assert.equal(wl.matchFlow(conn("192.168.1.9", OTHER)), true);
});

Deno.test("flows: a profile MAC from the macsOf source covers that address", () => {
  const wl = Whitelist.fromText("mac,aa:bb:cc:dd:ee:ff,src,flows\n", {
    macsOf: (ip) => (ip === "192.168.1.30" ? ["aa:bb:cc:dd:ee:ff"] : undefined),
  });
  assert.equal(wl.matchFlow(conn("192.168.1.30", OTHER)), true);
  assert.equal(wl.matchFlow(conn("192.168.1.31", OTHER)), false);
  assert.equal(wl.matchFlow(conn("192.168.1.31", "192.168.1.30")), false, "src entry, dst side");
});

Deno.test("flows: entries for alerts only never drop a flow", () => {
  const wl = Whitelist.fromText("ip,8.8.8.8,both,alerts\norganization,google,both,alerts\n");
  assert.equal(wl.hasFlowRules, false);
  assert.equal(wl.hasAlertRules, true);
  assert.equal(wl.matchFlow(conn(LOCAL, "8.8.8.8")), false);
  assert.equal(wl.matchFlow(ssl(LOCAL, "8.8.8.8", "www.google.com")), false);
});

Deno.test("flows: explainFlow names the entry and the value that matched", () => {
  const wl = Whitelist.fromText("; x\nip,10.0.0.0/8,dst,flows\n", { file: "wl.conf" });
  const m = wl.explainFlow(conn(LOCAL, "10.9.8.7"));
  assert.ok(m);
  assert.equal(m.entry.value, "10.0.0.0/8");
  assert.equal(m.entry.line, 2);
  assert.equal(m.entry.file, "wl.conf");
  assert.equal(m.observed, "10.9.8.7");
  assert.equal(m.side, "dst");
});

Deno.test("flows: IPv6 addresses in any spelling match their entries", () => {
  const wl = Whitelist.fromText("ip,2001:db8::1,both,flows\nip,2001:db8:ff::/48,both,flows\n");
  assert.equal(wl.matchFlow(conn("2001:0db8:0000::0001", "2001:db8::2")), true);
  assert.equal(wl.matchFlow(conn("2001:db8::3", "2001:db8:ff:1::9")), true);
  assert.equal(wl.matchFlow(conn("2001:db8::3", "2001:db8:fe::9")), false);
});

Deno.test("evidence: either the attacker or the victim can whitelist it", () => {
  const wl = Whitelist.fromText("ip,203.0.113.5,both,alerts\n");
  const a = entity("SRC", "IP", "203.0.113.5");
  const v = entity("DST", "IP", "203.0.113.5");
  assert.equal(wl.matchEvidence(evidence(a, entity("DST", "IP", OTHER))), true);
  assert.equal(wl.matchEvidence(evidence(entity("SRC", "IP", LOCAL), v)), true);
  assert.equal(wl.matchEvidence(evidence(entity("SRC", "IP", LOCAL))), false);
});

Deno.test("evidence: domains are checked as destinations", () => {
  const dst = Whitelist.fromText("domain,example.com,dst,alerts\n");
  const src = Whitelist.fromText("domain,example.com,src,alerts\n");
  const asAttacker = evidence(entity("SRC", "DOMAIN", "www.example.com"));
  const asVictim = evidence(entity("SRC", "IP", LOCAL), entity("DST", "DOMAIN", "example.com"));
  assert.equal(dst.matchEvidence(asAttacker), true);
  assert.equal(dst.matchEvidence(asVictim), true);
  assert.equal(src.matchEvidence(asAttacker), false);
  assert.equal(src.matchEvidence(asVictim), false);
});

Deno.test("evidence: a URL is judged by its host; an MD5 by nothing", () => {
  const wl = Whitelist.fromText("domain,example.com,both,alerts\nip,198.51.100.3,both,alerts\n");
  const url = (u: string) => evidence(entity("SRC", "IP", LOCAL), entity("DST", "URL", u));
  assert.equal(wl.matchEvidence(url("https://user@dl.example.com:8443/a?b=c")), true);
  assert.equal(wl.matchEvidence(url("http://198.51.100.3/x")), true);
  assert.equal(wl.matchEvidence(url("example.com/path")), true);
  assert.equal(wl.matchEvidence(url("http://example.com.evil.net/")), false);
  assert.equal(
    wl.matchEvidence(evidence(entity("SRC", "MD5", "d41d8cd98f00b204e9800998ecf8427e"))),
    false,
  );
});

Deno.test("evidence: resolutions from an external source count like remembered ones", () => {
  const wl = Whitelist.fromText("domain,example.com,both,alerts\n", {
    domainsOf: (ip) => (ip === "198.51.100.44" ? ["mail.example.com"] : []),
  });
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "198.51.100.44"))), true);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "198.51.100.45"))), false);
});

Deno.test("single-value checks: matchIp, matchDomain, matchMac", () => {
  const wl = Whitelist.fromText(
    "ip,203.0.113.0/24,src,both\ndomain,example.com,dst,alerts\nmac,aa:bb:cc:dd:ee:ff,both,flows\n",
  );
  assert.equal(wl.matchIp("203.0.113.9", "src", "flows"), true);
  assert.equal(wl.matchIp("203.0.113.9", "dst", "flows"), false);
  assert.equal(wl.matchDomain("a.example.com"), true);
  assert.equal(wl.matchDomain("a.example.com", "dst", "flows"), false);
  assert.equal(wl.matchMac("AA-BB-CC-DD-EE-FF", "dst", "flows"), true);
  assert.equal(wl.matchMac("aa:bb:cc:dd:ee:ff", "dst", "alerts"), false);
});

Deno.test("entries added in code: kept or replaced on request, removable", () => {
  const wl = Whitelist.fromText("domain,example.com,src,flows\n");
  const online = {
    type: "domain" as const,
    value: "example.com",
    direction: "dst" as const,
    ignore: "alerts" as const,
    file: "",
    line: 0,
  };
  wl.addEntry(online, { replace: false });
  assert.equal(wl.matchDomain("example.com", "dst", "alerts"), false, "the file's entry stays");
  wl.addEntry({ ...online, value: "tranco-top.example" }, { replace: false });
  assert.equal(wl.matchDomain("tranco-top.example", "dst", "alerts"), true);
  wl.addEntry(online);
  assert.equal(wl.matchDomain("example.com", "dst", "alerts"), true);
  assert.equal(wl.removeEntry("domain", "example.com"), true);
  assert.equal(wl.matchDomain("example.com", "dst", "alerts"), false);
  assert.equal(wl.removeEntry("domain", "example.com"), false);
});

Deno.test("an empty whitelist matches nothing", () => {
  const wl = Whitelist.empty();
  assert.equal(wl.hasFlowRules || wl.hasAlertRules, false);
  assert.equal(wl.matchFlow(conn(LOCAL, "8.8.8.8")), false);
  assert.equal(wl.matchEvidence(evidence(entity("SRC", "IP", "8.8.8.8"))), false);
});
