import assert from "node:assert/strict";
import { EmbeddedDatabase } from "../../core/database/embedded.ts";
import { alertConfidence, EvidenceHandler } from "../../core/evidence/evidence_handler.ts";
import type { Evidence } from "../../core/evidence/evidence.ts";
import type { Alert } from "../../core/database/storage_types.ts";

function ev(over: Partial<Evidence> = {}): Evidence {
  return {
    id: crypto.randomUUID(),
    module: "test",
    evidenceType: "VERTICAL_PORT_SCAN",
    attacker: { direction: "SRC", iocType: "IP", value: "10.0.0.1" },
    threatLevel: "high",
    confidence: 1,
    profileIp: "10.0.0.1",
    twid: 1,
    ts: 1000,
    description: "Something happened.",
    uids: ["u1"],
    ...over,
  };
}

async function setup(disabled: string[] = [], whitelisted = (_: Evidence) => false) {
  const db = new EmbeddedDatabase();
  const logged: string[] = [];
  const alerts: { a: Alert; evidence: Evidence[] }[] = [];
  const h = new EvidenceHandler({
    db,
    threshold: 0.25 * 3600 / 60,
    twWidth: 3600,
    firstTs: () => 0,
    disabled: new Set(disabled),
    isWhitelisted: whitelisted,
    sink: {
      evidence: (_e, d) => logged.push(d),
      alert: (a, evidence) => alerts.push({ a, evidence }),
    },
  });
  await h.start();
  return { db, h, logged, alerts };
}

Deno.test("an alert fires when level × confidence reaches 15, then the sum restarts", async () => {
  const { db, h, logged, alerts } = await setup();
  // 0.8 per HIGH evidence: 18 stay below 15 (14.4), the 19th reaches 15.2.
  for (let i = 0; i < 18; i++) await db.addEvidence(ev());
  await db.drain();
  assert.equal(alerts.length, 0);
  await db.addEvidence(ev({ ts: 2000 }));
  await db.drain();
  assert.equal(alerts.length, 1);
  const { a, evidence } = alerts[0];
  assert.equal(evidence.length, 19);
  assert.equal(a.correlIds.length, 19);
  assert.ok(Math.abs(a.accumulatedThreat - 15.2) < 1e-9);
  assert.ok(Math.abs(a.confidence - (15.2 - 4.8) / 21.2) < 1e-9);
  assert.equal(a.lastFlowTs, 2000);
  assert.equal(a.twStart, 0);
  assert.equal(a.twEnd, 3600);
  assert.equal(await db.getAccumulatedThreat("10.0.0.1", 1), 0);
  assert.equal(logged.length, 19);
  assert.ok(logged[0].endsWith("Threat level: high."));
  assert.equal(h.stats.alerts, 1);
});

Deno.test("INFO evidence and evidence whose attacker is the destination do not count", async () => {
  const { db, alerts } = await setup();
  for (let i = 0; i < 40; i++) {
    await db.addEvidence(ev({ threatLevel: "info" }));
    await db.addEvidence(ev({ attacker: { direction: "DST", iocType: "IP", value: "1.2.3.4" } }));
  }
  await db.drain();
  assert.equal(alerts.length, 0);
  assert.equal(await db.getAccumulatedThreat("10.0.0.1", 1), 0);
});

Deno.test("disabled types and whitelisted evidence are dropped before logging", async () => {
  const { db, h, logged } = await setup(
    ["VERTICAL_PORT_SCAN"],
    (e) => e.attacker.value === "10.9.9.9",
  );
  await db.addEvidence(ev());
  await db.addEvidence(
    ev({
      evidenceType: "LONG_CONNECTION",
      attacker: { direction: "SRC", iocType: "IP", value: "10.9.9.9" },
      profileIp: "10.9.9.9",
    }),
  );
  await db.addEvidence(ev({ evidenceType: "LONG_CONNECTION" }));
  await db.drain();
  assert.equal(h.stats.disabled, 1);
  assert.equal(h.stats.whitelisted, 1);
  assert.equal(logged.length, 1);
  assert.deepEqual(await db.getEvidence("10.9.9.9", 1), []);
});

Deno.test("alert confidence is (acc - 4.8) / 21.2, not clipped", () => {
  assert.ok(Math.abs(alertConfidence(15) - 0.4811320754716981) < 1e-12);
  assert.ok(alertConfidence(30) > 1);
});
