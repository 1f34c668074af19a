/**
 * Pipeline features through the real program: the whitelist on flows and on evidence, the
 * labelled-flow export, reading standard input, and analysis_direction = all.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { disableAllBut, MAIN, PROJECT, runSlips } from "../helpers/run_slips.ts";

const SAMPLE = join(PROJECT, "samples/port_scans.conn.log");

function configWith(dir: string, extra: string): string {
  const path = join(dir, "test.conf");
  Deno.writeTextFileSync(path, extra);
  return path;
}

function evidenceTypesBySource(alerts: Record<string, unknown>[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const a of alerts) {
    if (a.Status !== "Event") continue;
    const note = JSON.parse(String(a.Note));
    m.set(note.attacker, (m.get(note.attacker) ?? 0) + 1);
  }
  return m;
}

Deno.test("whitelisted flows never reach modules; whitelisted evidence never reaches alerts", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "slips-wl-" });
  const wl = join(dir, "whitelist.conf");
  Deno.writeTextFileSync(
    wl,
    [
      '"IoCType","IoCValue","Direction","IgnoreType"',
      "ip,10.0.0.5,src,flows",
      "ip,10.0.0.6,src,alerts",
    ].join("\n") + "\n",
  );
  const conf = configWith(dir, `[whitelists]\nlocal_whitelist_path = ${wl}\n`);
  const r = await runSlips([
    "-f",
    SAMPLE,
    "-c",
    conf,
    "-v",
    "0",
    "--disable",
    disableAllBut(["network_discovery"]),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const by = evidenceTypesBySource(r.alertsJson);
  assert.equal(by.get("10.0.0.5"), undefined, "flows of 10.0.0.5 were dropped");
  assert.equal(by.get("10.0.0.6"), undefined, "evidence of 10.0.0.6 was discarded");
  assert.ok((by.get("10.0.0.7") ?? 0) > 0, "others are still analysed");
  assert.match(r.stdout, /whitelisted: 12, /);
  assert.match(r.stdout, /Evidence: \d+ \(disabled: 0, whitelisted: 1\)/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("--export-labeled-flows writes each flow with its label, profile and window", async () => {
  const r = await runSlips([
    "-f",
    SAMPLE,
    "-v",
    "0",
    "--export-labeled-flows",
    "--disable",
    disableAllBut([]),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const lines = Deno.readTextFileSync(join(r.outDir, "labeled_flows.json")).trim().split("\n");
  assert.equal(lines.length, 222);
  const first = JSON.parse(lines[0]);
  assert.equal(first.profileid, "profile_10.0.0.2");
  assert.equal(first.twid, 1);
  assert.equal(first.user_label, "normal");
  assert.equal(first.kind, "conn");
});

Deno.test("-f zeek reads Zeek JSON conn lines from standard input", async () => {
  const lines: string[] = [];
  for (let p = 0; p < 12; p++) {
    lines.push(JSON.stringify({
      ts: 1_700_000_000 + p,
      uid: `Cstdin${p}`,
      "id.orig_h": "192.168.1.50",
      "id.orig_p": 40000 + p,
      "id.resp_h": "192.168.1.1",
      "id.resp_p": 20 + p,
      proto: "tcp",
      conn_state: "S0",
      orig_pkts: 1,
      resp_pkts: 0,
    }));
  }
  lines.push("done");
  const outDir = Deno.makeTempDirSync({ prefix: "slips-stdin-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN,
      "-f",
      "zeek",
      "-o",
      outDir,
      "-v",
      "0",
      "--disable",
      disableAllBut(["network_discovery"]),
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    cwd: PROJECT,
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  await w.close();
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const alerts = Deno.readTextFileSync(join(outDir, "alerts.log"));
  assert.match(
    alerts,
    /Vertical port scan to IP 192\.168\.1\.1 from 192\.168\.1\.50: 10 different TCP/,
  );
  Deno.removeSync(outDir, { recursive: true });
});

Deno.test("analysis_direction = all also profiles destinations", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "slips-dir-" });
  const out = await runSlips(["-f", SAMPLE, "-v", "0", "--disable", disableAllBut([])]);
  const all = await runSlips([
    "-f",
    SAMPLE,
    "-v",
    "0",
    "-c",
    configWith(dir, "[parameters]\nanalysis_direction = all\n"),
    "--disable",
    disableAllBut([]),
  ]);
  const count = (s: string) => Number(s.match(/Total analyzed IPs: (\d+)/)?.[1]);
  assert.equal(count(out.stdout), 4);
  assert.equal(count(all.stdout), 4 + 1 + 15 + 19 + 1);
  Deno.removeSync(dir, { recursive: true });
});
