/** -D runs in the background writing only under -o; -S stops it and it finishes in order. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { MAIN, PROJECT } from "../helpers/run_slips.ts";
import { SLIPS_DATA } from "../helpers/datasets.ts";

async function slips(args: string[], env: Record<string, string>): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: PROJECT,
    env,
    stdin: "null",
  }).output();
}

Deno.test("-D starts a background run, -S stops it after it wrote its summary", async () => {
  const tmp = Deno.makeTempDirSync({ prefix: "slips-daemon-" });
  const watched = join(tmp, "zeek");
  const out = join(tmp, "out");
  Deno.mkdirSync(watched);
  Deno.copyFileSync(`${SLIPS_DATA}/port-scans/horizontal/conn.log`, join(watched, "conn.log"));
  const env = { TMPDIR: tmp };
  const started = await slips(["-D", "-f", watched, "-g", "-o", out], env);
  assert.equal(started.code, 0, new TextDecoder().decode(started.stderr));
  assert.match(new TextDecoder().decode(started.stdout), /runs in the background \(pid \d+\)/);
  // The background run follows the directory until stopped; wait until it has read the log.
  const deadline = Date.now() + 30_000;
  while (!/Horizontal port scan/.test(readOr(join(out, "alerts.log")))) {
    assert.ok(Date.now() < deadline, "the background run did not analyse the log in time");
    await new Promise((r) => setTimeout(r, 200));
  }
  const stopped = await slips(["-S"], env);
  assert.equal(stopped.code, 0, new TextDecoder().decode(stopped.stderr));
  while (!/Total analyzed IPs: 1/.test(readOr(join(out, "slips.log")))) {
    assert.ok(Date.now() < deadline + 30_000, "the background run did not finish after -S");
    await new Promise((r) => setTimeout(r, 200));
  }
  const again = await slips(["-S"], env);
  assert.equal(again.code, 1, "a second -S finds nothing to stop");
  Deno.removeSync(tmp, { recursive: true });
});

function readOr(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}
