/**
 * Every flow log of the Slips datasets (not the pcaps) through the whole program with every
 * module: exit 0, an empty errors.log, and a Total analyzed IPs count.
 */
import assert from "node:assert/strict";
import { SLIPS_DATA } from "../helpers/datasets.ts";
import { runSlips } from "../helpers/run_slips.ts";

const FLOW_LOGS = [
  "port-scans/horizontal/conn.log",
  "port-scans/vertical/conn.log",
  "test9-mixed-zeek-dir",
  "test10-mixed-zeek-dir",
  "test13-malicious-dhcpscan-zeek-dir",
  "test14-malicious-zeek-dir",
  "test15-malicious-zeek-dir",
  "test16-malicious-zeek-dir",
  "test18-malicious-ctu-sme-11-win/zeek-labeled",
  "test2-malicious.binetflow",
  "test3-mixed.binetflow",
  "test4-malicious.binetflow",
  "test5-mixed.binetflow",
  "test11-portscan.binetflow",
  "test6-malicious.suricata.json",
  "test1-malicious.nfdump",
];

const hasNfdump = (() => {
  try {
    return new Deno.Command("nfdump", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

for (const rel of FLOW_LOGS) {
  const needsNfdump = rel.endsWith(".nfdump");
  Deno.test({
    name: `dataset ${rel} runs cleanly end to end`,
    ignore: needsNfdump && !hasNfdump,
    fn: async () => {
      const r = await runSlips(["-f", `${SLIPS_DATA}/${rel}`, "-v", "0"]);
      assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
      assert.equal(r.errorsLog, "", r.errorsLog);
      const m = r.stdout.match(/Total analyzed IPs: (\d+)/);
      assert.ok(m, r.stdout);
      assert.ok(Number(m[1]) > 0);
      Deno.removeSync(r.outDir, { recursive: true });
    },
  });
}
if (!hasNfdump) {
  console.warn("datasets_test: nfdump is not installed; the nfdump dataset is skipped.");
}
