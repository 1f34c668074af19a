/**
 * The same input gives the same evidence, run after run. A generated Zeek directory large enough
 * for the module queues to back up (the case where `tw_closed` used to overtake flows and change
 * the outcome) goes through the whole program twice with the default modules except
 * network_discovery: its port-scanner hint to flow_alerts crosses between workers, and on a loaded
 * machine it can arrive after flow_alerts' 60-second hold, which is timing, not order.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { generateConnLog } from "../../bench/gen_conn_log.ts";
import { disableAllBut, runSlips } from "../helpers/run_slips.ts";

const MODULES = disableAllBut([
  "flow_alerts",
  "http_analyzer",
  "arp",
  "brute_force_detector",
  "threat_intelligence",
  "ip_info",
]);

/** Evidence as a sorted list of what it says, without ids and running sums. */
function evidenceOf(alerts: Record<string, unknown>[]): string[] {
  return alerts
    .filter((a) => a.Status === "Event")
    .map((a) => {
      const n = JSON.parse(String(a.Note));
      return JSON.stringify([
        n.evidence_type,
        n.attacker,
        n.victim,
        n.timewindow,
        n.threat_level,
        n.confidence,
        n.uids,
        a.Description,
      ]);
    })
    .sort();
}

Deno.test("two runs over the same 60,000-flow directory give the same evidence", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "slips-determinism-" });
  try {
    await generateConnLog(join(dir, "conn.log"), 60_000, 7, dir);
    const args = ["-f", dir, "-v", "0", "--no-progress", "--disable", MODULES];
    const first = await runSlips(args);
    const second = await runSlips(args);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const a = evidenceOf(first.alertsJson);
    const b = evidenceOf(second.alertsJson);
    assert.ok(a.length > 100, `the input raises evidence (${a.length})`);
    const onlyFirst = a.filter((x) => !b.includes(x)).slice(0, 3);
    const onlySecond = b.filter((x) => !a.includes(x)).slice(0, 3);
    assert.deepEqual(
      a,
      b,
      `runs differ: first only ${onlyFirst.join(" ")}; second only ${onlySecond.join(" ")}`,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
