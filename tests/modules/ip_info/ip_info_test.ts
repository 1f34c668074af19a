import assert from "node:assert/strict";
import { join } from "node:path";
import { runModule } from "../../helpers/module_harness.ts";
import IpInfo from "../../../modules/ip_info/ip_info.ts";
import { asnText, countryCode, MmdbFile } from "../../../modules/ip_info/geoip.ts";
import { GatewayTracker } from "../../../modules/ip_info/gateway.ts";
import { parseGetentHosts, ReverseDns } from "../../../modules/ip_info/reverse_dns.ts";
import { buildMmdb } from "./mmdb_writer.ts";
import { EmbeddedDatabase, runOnDb } from "../threat_intelligence/run_on_db.ts";
import { arpReply, dhcp, dnsAnswer, flow, newIp, newMac, sslTo } from "./records.ts";

/** A temp home with config/geoip/asn.mmdb and country.mmdb written by our test writer. */
function homeWithGeoIp(): string {
  const home = Deno.makeTempDirSync({ prefix: "slips-ipinfo-" });
  const dir = join(home, "config", "geoip");
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeFileSync(
    join(dir, "asn.mmdb"),
    buildMmdb("GeoLite2-ASN", {
      "8.8.8.0/24": { autonomous_system_number: 15169, autonomous_system_organization: "GOOGLE" },
      "1.1.1.0/24": {
        autonomous_system_number: 13335,
        autonomous_system_organization: "CLOUDFLARENET",
      },
      "9.9.9.0/24": { autonomous_system_number: 19281, autonomous_system_organization: "QUAD9" },
    }),
  );
  Deno.writeFileSync(
    join(dir, "country.mmdb"),
    buildMmdb("GeoLite2-Country", {
      "8.8.8.0/24": { country: { iso_code: "US", names: { en: "United States" } } },
      "1.1.1.0/24": { registered_country: { iso_code: "au" } },
    }),
  );
  return home;
}

const GEO_CONFIG = {
  ip_info: { asn_mmdb: "config/geoip/asn.mmdb", country_mmdb: "config/geoip/country.mmdb" },
};

Deno.test("asnText and countryCode read MaxMind and other vendors' record shapes", () => {
  assert.equal(
    asnText({ autonomous_system_number: 15169, autonomous_system_organization: "Google LLC" }),
    "AS15169 Google LLC",
  );
  assert.equal(asnText({ asn: "AS64496", as_name: "Example" }), "AS64496 Example");
  assert.equal(asnText({ autonomous_system_number: 64500 }), "AS64500");
  assert.equal(asnText({ country: { iso_code: "US" } }), undefined);
  assert.equal(asnText(undefined), undefined);
  assert.equal(countryCode({ country: { iso_code: "cz" } }), "CZ");
  assert.equal(countryCode({ country_code: "DE" }), "DE");
  assert.equal(countryCode({ country: "Germany" }), undefined);
});

Deno.test("ASN and country of profile, destination and DNS-answer IPs go to the caches", async () => {
  const home = homeWithGeoIp();
  const { db } = await runModule(
    new IpInfo(),
    [newIp("8.8.8.8"), flow({ daddr: "1.1.1.1" }), dnsAnswer(["9.9.9.9", "cname.example"])],
    GEO_CONFIG,
    { homeDir: home },
  );
  assert.equal(await db.cacheGet("ip_asn", "8.8.8.8"), "AS15169 GOOGLE");
  assert.equal(await db.cacheGet("ip_country", "8.8.8.8"), "US");
  assert.equal(await db.cacheGet("ip_asn", "1.1.1.1"), "AS13335 CLOUDFLARENET");
  assert.equal(await db.cacheGet("ip_country", "1.1.1.1"), "AU");
  assert.equal(await db.cacheGet("ip_asn", "9.9.9.9"), "AS19281 QUAD9");
  assert.equal(await db.cacheGet("ip_country", "9.9.9.9"), undefined);
  // Not in the databases: nothing cached, nothing invented.
  assert.equal(await db.cacheGet("ip_asn", "192.168.1.10"), undefined);
});

Deno.test("each IP's AS (or none) is published once on the ip_asn channel, for threat_intelligence", async () => {
  const home = homeWithGeoIp();
  const db = new EmbeddedDatabase();
  // ip_info registers the channel itself in init; registering first lets the test listen from the start.
  db.registerChannel("ip_asn", "test");
  const told: unknown[] = [];
  await db.subscribe("ip_asn", "test", (batch) => void told.push(...batch));
  await runOnDb(
    db,
    new IpInfo(),
    [
      flow({ daddr: "1.1.1.1" }),
      flow({ daddr: "1.1.1.1" }),
      dnsAnswer(["9.9.9.9", "1.1.1.1", "cname.example"]),
      flow({ daddr: "192.168.1.20" }),
    ],
    GEO_CONFIG,
    home,
  );
  assert.deepEqual(told, [
    { ip: "1.1.1.1", asn: "AS13335 CLOUDFLARENET" },
    { ip: "9.9.9.9", asn: "AS19281 QUAD9" },
    // "No AS" is published too, so nobody waits for it forever.
    { ip: "192.168.1.20", asn: "" },
  ]);
  assert.ok(db.channels().includes("ip_asn"));
});

Deno.test("MmdbFile answers IPv6 in an IPv4-only database with nothing instead of throwing", async () => {
  const file = await MmdbFile.open(join(homeWithGeoIp(), "config/geoip/asn.mmdb"));
  assert.equal(file.databaseType, "GeoLite2-ASN");
  assert.equal(file.get("2001:4860:4860::8888"), undefined);
});

Deno.test("a missing, unreadable or unset .mmdb gives a clear notice and no enrichment", async () => {
  const home = homeWithGeoIp();
  Deno.writeTextFileSync(join(home, "config/geoip/broken.mmdb"), "this is not a database");
  const { printed, db } = await runModule(
    new IpInfo(),
    [newIp("8.8.8.8")],
    { ip_info: { asn_mmdb: "config/geoip/nope.mmdb", country_mmdb: "config/geoip/broken.mmdb" } },
    { homeDir: home },
  );
  assert.ok(printed.some((p) => /nope\.mmdb.*\[ip_info\] asn_mmdb.*does not exist/.test(p)));
  assert.ok(printed.some((p) => /broken\.mmdb.*is not a MaxMind DB/.test(p)));
  assert.equal(await db.cacheGet("ip_asn", "8.8.8.8"), undefined);
  const unset = await runModule(new IpInfo(), [newIp("8.8.8.8")], {}, { homeDir: home });
  assert.ok(unset.printed.some((p) => /No database for AS numbers \(\[ip_info\] asn_mmdb/.test(p)));
});

Deno.test("MACs go to the profile with their vendor; randomised MACs get no vendor", async () => {
  const { db } = await runModule(new IpInfo(), [
    newMac("192.168.1.10", "00:50:56:AA:BB:CC"),
    newMac("192.168.1.11", "02:50:56:aa:bb:cc"),
  ]);
  const p = await db.getProfile("192.168.1.10");
  assert.equal(p?.fields.mac, "00:50:56:aa:bb:cc");
  assert.equal(p?.fields.vendor, "VMware, Inc.");
  const r = await db.getProfile("192.168.1.11");
  assert.equal(r?.fields.mac, "02:50:56:aa:bb:cc");
  assert.equal(r?.fields.vendor, undefined);
});

Deno.test("DHCP gives the host name and MAC; its server stands in for the gateway", async () => {
  const { db } = await runModule(new IpInfo(), [
    dhcp({
      clientAddr: "192.168.1.23",
      mac: "3c:22:fb:00:00:01",
      hostName: "alices-laptop",
      serverAddr: "192.168.1.254",
    }),
  ]);
  const p = await db.getProfile("192.168.1.23");
  assert.equal(p?.fields.hostname, "alices-laptop");
  assert.equal(p?.fields.mac, "3c:22:fb:00:00:01");
  assert.equal(p?.fields.vendor, "Apple, Inc.");
  assert.equal(await db.cacheGet("gateway", "ip"), "192.168.1.254");
});

Deno.test("gateway: the dmac of private→public flows, its IP from the ARP binding", async () => {
  const { db } = await runModule(new IpInfo(), [
    dhcp({ serverAddr: "192.168.1.254" }),
    flow({ saddr: "192.168.1.10", daddr: "192.168.1.20", dmac: "11:11:11:11:11:11" }),
    flow({ saddr: "192.168.1.10", daddr: "8.8.8.8", dmac: "52:54:00:12:34:56" }),
    arpReply("192.168.1.1", "52:54:00:12:34:56"),
  ]);
  assert.equal(await db.cacheGet("gateway", "mac"), "52:54:00:12:34:56");
  assert.equal(await db.cacheGet("gateway", "ip"), "192.168.1.1");
});

Deno.test("gateway: no MAC is learned from private→private or public→public flows", () => {
  const g = new GatewayTracker();
  assert.equal(g.learnFromFlow("192.168.1.10", "192.168.1.20", "11:11:11:11:11:11"), false);
  assert.equal(g.learnFromFlow("8.8.4.4", "8.8.8.8", "11:11:11:11:11:11"), false);
  assert.equal(g.learnFromFlow("192.168.1.10", "8.8.8.8", "ff:ff:ff:ff:ff:ff"), false);
  assert.equal(g.mac, "");
  // A public IP seen with the gateway's MAC (inbound traffic) is not the gateway.
  assert.equal(g.learnFromFlow("192.168.1.10", "8.8.8.8", "52:54:00:12:34:56"), true);
  assert.equal(g.learnBinding("8.8.8.8", "52:54:00:12:34:56"), false);
  assert.equal(g.ip, "");
});

Deno.test("the TLS server name of an IP is cached for alerts", async () => {
  const { db } = await runModule(new IpInfo(), [sslTo("93.184.216.34", "www.example.com")]);
  assert.equal(await db.cacheGet("ip_sni", "93.184.216.34"), "www.example.com");
});

Deno.test("parseGetentHosts takes the first name", () => {
  assert.equal(parseGetentHosts("127.0.0.1       localhost\n"), "localhost");
  assert.equal(parseGetentHosts("8.8.8.8  dns.google. alias\n"), "dns.google");
  assert.equal(parseGetentHosts(""), undefined);
});

const HAS_GETENT = (() => {
  try {
    return new Deno.Command("getent", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "reverse DNS (on) names 127.0.0.1 from /etc/hosts, without the network",
  ignore: !HAS_GETENT || !/^127\.0\.0\.1\s+localhost\b/m.test(Deno.readTextFileSync("/etc/hosts")),
  async fn() {
    const { db } = await runModule(new IpInfo(), [newIp("127.0.0.1")], {
      ip_info: { reverse_dns: "yes" },
    });
    assert.equal(await db.cacheGet("ip_rdns", "127.0.0.1"), "localhost");
    const off = await runModule(new IpInfo(), [newIp("127.0.0.1")]);
    assert.equal(await off.db.cacheGet("ip_rdns", "127.0.0.1"), undefined);
  },
});

Deno.test("reverse DNS without its program says so once and looks nothing up", async () => {
  const why: string[] = [];
  const found: string[] = [];
  const r = new ReverseDns(
    (ip) => {
      found.push(ip);
    },
    (w) => why.push(w),
    { program: "slips-no-such-program" },
  );
  r.enqueue("127.0.0.1");
  r.enqueue("127.0.0.2");
  await r.drain();
  r.enqueue("127.0.0.3");
  await r.drain();
  assert.equal(why.length, 1);
  assert.match(why[0], /slips-no-such-program is not installed/);
  assert.deepEqual(found, []);
});
