/**
 * Started as root through sudo, the program gives root up: after start-up its real, effective
 * and saved ids are the invoking user's, with no supplementary groups, and its files are theirs.
 */
import assert from "node:assert/strict";
import { runSlips } from "../helpers/run_slips.ts";

const isRoot = Deno.uid() === 0;

Deno.test({
  name: "as root via sudo: ids and output files belong to the invoking user",
  ignore: !isRoot,
  fn: async () => {
    const outDir = Deno.makeTempDirSync({ prefix: "slips-priv-" });
    Deno.removeSync(outDir);
    const r = await runSlips(["-f", "samples/port_scans.conn.log", "-v", "0"], {
      outDir,
      env: { SUDO_UID: "65534", SUDO_GID: "65534", SUDO_USER: "nobody" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.errorsLog, "");
    const info = Deno.readTextFileSync(`${outDir}/metadata/info.txt`);
    assert.match(
      info,
      /running as: uid 65534\s+65534\s+65534\s+65534; gid 65534\s+65534\s+65534\s+65534; groups \(none\)/,
    );
    for (const f of ["alerts.json", "alerts.log", "slips.log", "errors.log", "metadata/info.txt"]) {
      const st = Deno.statSync(`${outDir}/${f}`);
      assert.equal(st.uid, 65534, f);
      assert.equal(st.gid, 65534, f);
    }
    assert.ok(r.alertsJson.length > 0);
    Deno.removeSync(outDir, { recursive: true });
  },
});

if (!isRoot) console.warn("privileges_run_test: not root, the privilege-drop run is skipped.");
