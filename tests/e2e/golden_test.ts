/**
 * Golden files: a small input and the exact alerts.json expected from it, beside it. Ids and
 * wall-clock times are replaced by placeholders. Set UPDATE_GOLDEN=1 to rewrite the expectation
 * after a deliberate change (and read the diff).
 */
import assert from "node:assert/strict";
import {
  disableAllBut,
  normalizeAlerts,
  orderIndependent,
  runSlips,
} from "../helpers/run_slips.ts";

/**
 * `input` is a file or directory inside the case's folder; `modules` undefined = the defaults.
 * With several modules (several workers) evidence order is not fixed: see orderIndependent.
 */
const CASES: { dir: string; input: string; modules?: string[] }[] = [
  { dir: "scan", input: "conn.log", modules: ["network_discovery"] },
  { dir: "mixed", input: "." },
];

for (const c of CASES) {
  Deno.test(`golden: ${c.dir}`, async () => {
    const base = new URL(`../fixtures/golden/${c.dir}/`, import.meta.url).pathname;
    const only = c.modules ? ["--disable", disableAllBut(c.modules)] : [];
    const r = await runSlips(["-f", `${base}${c.input}`, ...only]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.errorsLog, "");
    const records = c.modules?.length === 1 ? r.alertsJson : orderIndependent(r.alertsJson);
    const got = normalizeAlerts(records).map((x) => JSON.stringify(x)).join("\n") + "\n";
    const expectedPath = `${base}alerts.json`;
    if (Deno.env.get("UPDATE_GOLDEN") === "1") Deno.writeTextFileSync(expectedPath, got);
    assert.equal(got, Deno.readTextFileSync(expectedPath));
    Deno.removeSync(r.outDir, { recursive: true });
  });
}
