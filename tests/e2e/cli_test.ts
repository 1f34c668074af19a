import assert from "node:assert/strict";
import { parseCli, UsageError } from "../../core/cli/args.ts";
import { runSlips } from "../helpers/run_slips.ts";
import { SLIPS_DATA } from "../helpers/datasets.ts";

Deno.test("flags parse with Slips' names", () => {
  const a = parseCli(["-f", "x.log", "-o", "out", "-v", "2", "-e", "1", "-P", "6380"]);
  assert.equal(a.filepath, "x.log");
  assert.equal(a.verbose, 2);
  assert.equal(a.debug, 1);
  assert.equal(a.port, 6380);
  assert.equal(a.backend, "redis");
  assert.equal(parseCli(["-V"]).command, "version");
  assert.equal(parseCli(["--help"]).command, "help");
});

Deno.test("conflicting or bad flags are usage errors", () => {
  for (
    const argv of [
      ["-f", "a", "-i", "eth0"],
      ["-v", "7", "-f", "a"],
      ["--nope"],
      ["-p", "-f", "a"],
      ["-P", "99999", "-f", "a"],
      ["-P", "6380", "--backend", "embedded", "-f", "a"],
    ]
  ) {
    assert.throws(() => parseCli(argv), UsageError, argv.join(" "));
  }
});

Deno.test("an unknown flag prints the error and the usage and exits 2", async () => {
  const r = await runSlips(["--bogus"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Error: .*bogus/);
  assert.match(r.stderr, /Usage: slips/);
});

Deno.test("no input exits 255 with a message", async () => {
  const r = await runSlips([]);
  assert.equal(r.code, 255);
  assert.match(r.stderr, /No input given/);
});

Deno.test("a missing input file is a clear error, exit 1", async () => {
  const r = await runSlips(["-f", "/nonexistent/conn.log"]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nonexistent/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

Deno.test("a bad config value names file, section and key; exit 1", async () => {
  const dir = Deno.makeTempDirSync();
  const conf = `${dir}/my.conf`;
  Deno.writeTextFileSync(conf, "[parameters]\nanalysis_direction = sideways\n");
  const r = await runSlips(["-c", conf, "-f", `${SLIPS_DATA}/port-scans/vertical/conn.log`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /my\.conf, section \[parameters\], key analysis_direction/);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("-o refuses a non-empty directory that is not an earlier output", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/precious.txt`, "keep me");
  const r = await runSlips(["-f", `${SLIPS_DATA}/port-scans/vertical/conn.log`, "-o", dir], {
    outDir: dir,
  });
  assert.equal(r.code, 1);
  assert.equal(Deno.readTextFileSync(`${dir}/precious.txt`), "keep me");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("-V prints the version", async () => {
  const r = await runSlips(["-V"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Slips for Deno \d+\.\d+\.\d+/);
});

Deno.test("new-module scaffolds a module that the next run loads", async () => {
  const mods = Deno.makeTempDirSync({ prefix: "slips-mods-" });
  const cmd = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "main.ts",
      "new-module",
      "scan_detector",
      "--modules-dir",
      mods,
      "--author",
      "Ada",
    ],
    cwd: new URL("../../", import.meta.url).pathname,
  }).output();
  assert.equal(cmd.code, 0);
  const text = Deno.readTextFileSync(`${mods}/scan_detector/scan_detector.ts`);
  assert.match(text, /readonly name = "scan_detector"/);
  assert.match(text, /"Ada"/);
  const r = await runSlips(
    ["-f", `${SLIPS_DATA}/port-scans/vertical/conn.log`, "--modules-dir", mods, "-v", "2"],
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /scan_detector: .*shared sandboxed worker/);
  assert.match(r.stdout, /\[scan_detector\] Saw 50 flows\./);
  Deno.removeSync(mods, { recursive: true });
});
