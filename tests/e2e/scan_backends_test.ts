/**
 * The first path end to end on the real Slips datasets: horizontal and vertical scans, with the
 * same evidence on the embedded and the Redis backend.
 */
import assert from "node:assert/strict";
import { SLIPS_DATA } from "../helpers/datasets.ts";
import { disableAllBut, runSlips, type SlipsRun } from "../helpers/run_slips.ts";
import { redisMissingWarning, startRedisServer } from "../helpers/redis_server.ts";

const INPUTS = [
  { file: `${SLIPS_DATA}/port-scans/horizontal/conn.log`, type: "HORIZONTAL_PORT_SCAN" },
  { file: `${SLIPS_DATA}/port-scans/vertical/conn.log`, type: "VERTICAL_PORT_SCAN" },
];

function scanEvidence(r: SlipsRun): string[] {
  return r.alertsJson
    .filter((x) => x.Status === "Event")
    .map((x) => {
      const note = JSON.parse(String(x.Note));
      return `${note.evidence_type} ${note.attacker} ${note.victim} ${x.Description}`;
    })
    .sort();
}

for (const input of INPUTS) {
  Deno.test(`${input.type} on both backends`, async () => {
    const disable = disableAllBut(["network_discovery"]);
    const embedded = await runSlips(["-f", input.file, "--disable", disable]);
    assert.equal(embedded.code, 0, embedded.stderr);
    assert.equal(embedded.errorsLog, "");
    assert.match(embedded.stdout, /Total analyzed IPs: 1/);
    const ev = scanEvidence(embedded);
    assert.ok(ev.length >= 1 && ev.every((e) => e.startsWith(input.type)), ev.join("\n"));
    const note = JSON.parse(String(embedded.alertsJson[0].Note));
    for (
      const k of [
        "evidence_type",
        "attacker",
        "victim",
        "timewindow",
        "threat_level",
        "confidence",
        "uids",
      ]
    ) {
      assert.ok(k in note, `Note lacks ${k}`);
    }
    assert.ok(Deno.statSync(`${embedded.outDir}/metadata/info.txt`).isFile);
    assert.ok(Deno.statSync(`${embedded.outDir}/slips.log`).isFile);

    if (redisMissingWarning()) return;
    const server = await startRedisServer();
    try {
      const redis = await runSlips([
        "-f",
        input.file,
        "--disable",
        disable,
        "-P",
        String(server.port),
      ]);
      assert.equal(redis.code, 0, redis.stderr);
      assert.match(redis.stdout, /Database: redis/);
      assert.deepEqual(scanEvidence(redis), ev);
      Deno.removeSync(redis.outDir, { recursive: true });
    } finally {
      await server.stop();
    }
    Deno.removeSync(embedded.outDir, { recursive: true });
  });
}

Deno.test("Redis unreachable: one clear message, exit 1, no stack trace", async () => {
  const r = await runSlips(["-f", INPUTS[0].file, "-P", "1"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Cannot connect to Redis at 127\.0\.0\.1:1/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
