/**
 * ip_info and threat_intelligence on one database, wired the way the host wires them: ip_info
 * publishes each AS it finds on `ip_asn`, threat_intelligence receives it in onCustomMessage.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import ThreatIntelligence from "../../../modules/threat_intelligence/threat_intelligence.ts";
import IpInfo from "../../../modules/ip_info/ip_info.ts";
import { AsnTable, PendingAsn } from "../../../modules/threat_intelligence/asn_answers.ts";
import { EmbeddedDatabase } from "../../../core/database/embedded.ts";
import { type ConfigData, SectionConfig } from "../../../core/config/module_config.ts";
import type { Evidence } from "../../../core/evidence/evidence.ts";
import type { Module } from "../../../core/modules/module.ts";
import { buildMmdb } from "../ip_info/mmdb_writer.ts";
import { conn, msg } from "./records.ts";
import { tiEnv } from "./ti_env.ts";

const IOCS = "AS64496, medium, Example bad AS\n";

function attach(m: Module, db: EmbeddedDatabase, config: ConfigData, homeDir: string): void {
  m.attach(
    db,
    new SectionConfig(config, m.name),
    {
      outputDir: Deno.makeTempDirSync({ prefix: "slips-asn-" }),
      twWidth: 3600,
      clientIps: [],
      inputType: "file",
      homeDir,
    },
    { print: () => {} },
  );
}

Deno.test("BLACKLISTED_ASN end to end: ip_info's AS reaches threat_intelligence after the flow", async () => {
  const env = tiEnv({ "own_malicious_iocs.csv": IOCS });
  Deno.mkdirSync(join(env.home, "config", "geoip"), { recursive: true });
  Deno.writeFileSync(
    join(env.home, "config", "geoip", "asn.mmdb"),
    buildMmdb("GeoLite2-ASN", {
      "203.0.113.0/24": { autonomous_system_number: 64496, autonomous_system_organization: "BAD" },
      "198.51.100.0/24": { autonomous_system_number: 64500, autonomous_system_organization: "OK" },
    }),
  );
  const config = { ...env.config, ip_info: { asn_mmdb: "config/geoip/asn.mmdb" } };
  const db = new EmbeddedDatabase();
  const evidence: Evidence[] = [];
  await db.subscribe("evidence_added", "test", (b) => void evidence.push(...b));
  const ti = new ThreatIntelligence();
  const ipInfo = new IpInfo();
  attach(ti, db, config, env.home);
  attach(ipInfo, db, config, env.home);
  await ti.init();
  await ipInfo.init();
  assert.deepEqual([...ti.customChannels], ["ip_asn"]);
  await db.subscribe("ip_asn", "threat_intelligence", async (batch) => {
    for (const d of batch) await ti.onCustomMessage("ip_asn", d);
  });

  const bad = msg.flow(conn({ daddr: "203.0.113.9" }));
  const fine = msg.flow(conn({ daddr: "198.51.100.7" }));
  // threat_intelligence sees the flows before ip_info has looked the IPs up.
  await ti.main(bad);
  await ti.main(fine);
  assert.equal(evidence.length, 0);
  await ipInfo.main(bad);
  await ipInfo.main(fine);
  await db.drain();
  assert.equal(evidence.length, 2);
  for (const e of evidence) {
    assert.equal(e.evidenceType, "THREAT_INTELLIGENCE_BLACKLISTED_ASN");
    assert.equal(e.confidence, 0.8);
    assert.equal(e.threatLevel, "medium");
  }
  assert.deepEqual(evidence.map((e) => e.profileIp).sort(), ["10.0.0.5", "203.0.113.9"]);
  assert.match(evidence[0].description, /AS64496 BAD/);
  await ti.shutdownGracefully();
  await ipInfo.shutdownGracefully();
});

Deno.test("PendingAsn hands each waiting record out once, also after its window closed", () => {
  const p = new PendingAsn<string>(2, 3);
  p.add("profile_a", 1, "1.1.1.1", "a1");
  p.add("profile_a", 1, "1.1.1.1", "a1-again");
  p.add("profile_b", 1, "1.1.1.1", "b1");
  p.add("profile_a", 1, "2.2.2.2", "a2");
  // The window is full: a third IP is not kept.
  p.add("profile_a", 1, "3.3.3.3", "a3");
  assert.equal(p.size, 3);
  p.close("profile_b", 1);
  assert.deepEqual(
    p.takeIp("1.1.1.1").sort((x, y) => x.item.localeCompare(y.item)),
    [{ item: "a1", late: false }, { item: "b1", late: true }],
  );
  assert.deepEqual(p.takeIp("1.1.1.1"), []);
  p.close("profile_a", 1);
  assert.deepEqual(p.takeIp("2.2.2.2"), [{ item: "a2", late: true }]);
  assert.equal(p.size, 0);
});

Deno.test("PendingAsn forgets the oldest closed windows beyond its limit", () => {
  const p = new PendingAsn<string>(10, 2);
  for (const w of [1, 2, 3]) p.add("profile_a", w, "9.9.9.9", `w${w}`);
  p.add("profile_a", 3, "8.8.8.8", "w3-8");
  p.close("profile_a", 1);
  p.close("profile_a", 2);
  // Closing window 3 brings 4 late records: windows 1 and 2 go.
  p.close("profile_a", 3);
  assert.deepEqual(p.takeIp("9.9.9.9"), [{ item: "w3", late: true }]);
  assert.deepEqual(p.takeIp("8.8.8.8"), [{ item: "w3-8", late: true }]);
  assert.equal(p.size, 0);
});

Deno.test("AsnTable keeps the newest answers when it rolls over", () => {
  const t = new AsnTable(2);
  t.set("1.1.1.1", "AS1");
  t.set("2.2.2.2", "AS2");
  t.set("3.3.3.3", "AS3");
  assert.equal(t.get("1.1.1.1"), "AS1");
  t.set("4.4.4.4", "AS4");
  t.set("5.5.5.5", "AS5");
  assert.equal(t.get("1.1.1.1"), undefined);
  assert.equal(t.get("3.3.3.3"), "AS3");
  assert.equal(t.get("5.5.5.5"), "AS5");
});
