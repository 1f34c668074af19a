/**
 * flow_alerts alone on the real Slips datasets, through the whole program: the detections each
 * capture is known to contain must come out (counts only where one channel decides them).
 */
import assert from "node:assert/strict";
import { SLIPS_DATA } from "../../helpers/datasets.ts";
import { disableAllBut, runSlips } from "../../helpers/run_slips.ts";

async function typesOf(rel: string): Promise<Map<string, number>> {
  const r = await runSlips([
    "-f",
    `${SLIPS_DATA}/${rel}`,
    "-v",
    "0",
    "--disable",
    disableAllBut(["flow_alerts"]),
  ]);
  assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
  assert.equal(r.errorsLog, "", r.errorsLog);
  const counts = new Map<string, number>();
  for (const rec of r.alertsJson) {
    if (rec.Status !== "Event") continue;
    const note = JSON.parse(String(rec.Note)) as { evidence_type: string };
    counts.set(note.evidence_type, (counts.get(note.evidence_type) ?? 0) + 1);
  }
  Deno.removeSync(r.outDir, { recursive: true });
  return counts;
}

Deno.test("dataset test14: GRE tunnel and scan, bad SMTP logins and their brute force", async () => {
  const c = await typesOf("test14-malicious-zeek-dir");
  assert.equal(c.get("GRE_TUNNEL"), 1);
  assert.equal(c.get("GRE_SCAN"), 1);
  assert.equal(c.get("BAD_SMTP_LOGIN"), 4);
  assert.equal(c.get("SMTP_LOGIN_BRUTEFORCE"), 1);
});

Deno.test("dataset test15: an SSH client upgrade and certificates naming Microsoft elsewhere", async () => {
  const c = await typesOf("test15-malicious-zeek-dir");
  assert.equal(c.get("MULTIPLE_SSH_VERSIONS"), 1);
  assert.ok((c.get("INCOMPATIBLE_CN") ?? 0) >= 1);
});

Deno.test("dataset test10: connections without DNS and a resolution without connection", async () => {
  const c = await typesOf("test10-mixed-zeek-dir");
  assert.ok((c.get("CONNECTION_WITHOUT_DNS") ?? 0) >= 1);
  assert.ok((c.get("DNS_WITHOUT_CONNECTION") ?? 0) >= 1);
  assert.ok((c.get("UNKNOWN_PORT") ?? 0) >= 1);
  // mDNS printer announcements have high-entropy TXT answers but are not a tunnel.
  assert.equal(c.get("HIGH_ENTROPY_DNS_ANSWER"), undefined);
});

Deno.test("dataset test18: an infected host retrying a refused C&C port", async () => {
  const c = await typesOf("test18-malicious-ctu-sme-11-win/zeek-labeled");
  assert.ok((c.get("MULTIPLE_RECONNECTION_ATTEMPTS") ?? 0) >= 100);
});
