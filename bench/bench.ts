/**
 * `deno task bench`: generates realistic conn.logs and measures, in one run, the bare read-and-
 * split time, the full pipeline (all default modules) on the embedded and the Redis backends,
 * both flow-delivery modes, and peak memory. Prints a Markdown table.
 *
 * The input of each size is a Zeek directory: conn.log (normal clients, scanners, long
 * connections, at a steady 300 flows/s) with the matching dns.log, http.log and ssl.log.
 *
 * Flags: --sizes 100000,1000000,5000000 (default), --no-redis, --out FILE (also write the table
 * there). Redis and the structured-clone comparison run only up to 1M flows.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { generateConnLog } from "./gen_conn_log.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CACHE = join(ROOT, ".bench");

const { values } = parseArgs({
  args: Deno.args,
  options: {
    sizes: { type: "string", default: "100000,1000000,5000000" },
    "no-redis": { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const sizes = values.sizes!.split(",").map(Number);

interface Measure {
  seconds: number;
  peakRssMb: number;
  code: number;
}

/** Runs a command and samples its peak resident memory (VmHWM) until it exits. */
async function measure(cmd: string, args: string[]): Promise<Measure> {
  const t = performance.now();
  const child = new Deno.Command(cmd, { args, stdout: "null", stderr: "piped", stdin: "null" })
    .spawn();
  let peak = 0;
  const poll = setInterval(() => {
    try {
      const s = Deno.readTextFileSync(`/proc/${child.pid}/status`);
      const m = s.match(/VmHWM:\s+(\d+) kB/);
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      // The process has exited.
    }
  }, 20);
  const status = await child.status;
  const stderr = new TextDecoder().decode(
    (await child.stderr.getReader().read()).value ?? new Uint8Array(),
  );
  clearInterval(poll);
  if (status.code !== 0) console.error(stderr);
  return { seconds: (performance.now() - t) / 1000, peakRssMb: peak / 1024, code: status.code };
}

/** Reads every log in 1 MiB chunks, splits lines and tab-separated fields: the floor for any reader. */
async function bareReadAndSplit(dir: string): Promise<{ seconds: number; lines: number }> {
  const t = performance.now();
  let lines = 0;
  for (const e of Deno.readDirSync(dir)) lines += await readAndSplit(join(dir, e.name));
  return { seconds: (performance.now() - t) / 1000, lines };
}

async function readAndSplit(path: string): Promise<number> {
  const file = await Deno.open(path);
  const decoder = new TextDecoder();
  const buf = new Uint8Array(1 << 20);
  let rest = "";
  let lines = 0;
  let fields = 0;
  for (;;) {
    const n = await file.read(buf);
    if (n === null) break;
    const text = rest + decoder.decode(buf.subarray(0, n), { stream: true });
    let start = 0;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", start)) {
      const line = text.slice(start, i);
      start = i + 1;
      if (line.charCodeAt(0) === 35) continue;
      fields += line.split("\t").length;
      lines++;
    }
    rest = text.slice(start);
  }
  file.close();
  if (fields === 0) throw new Error(`The benchmark input ${path} has no fields.`);
  return lines;
}

async function startRedis(): Promise<{ port: number; stop: () => Promise<void> } | undefined> {
  try {
    const { startRedisServer } = await import("../tests/helpers/redis_server.ts");
    return await startRedisServer();
  } catch (err) {
    console.error(`Redis benchmark skipped: ${err instanceof Error ? err.message : err}`);
    return undefined;
  }
}

function rate(n: number, s: number): string {
  return Math.round(n / s).toLocaleString("en");
}

Deno.mkdirSync(CACHE, { recursive: true });
const rows: string[] = [];
const deno = Deno.execPath();
const main = join(ROOT, "main.ts");
const redis = values["no-redis"] ? undefined : await startRedis();

for (const size of sizes) {
  const dir = join(CACHE, `zeek_${size}`);
  try {
    Deno.statSync(join(dir, "ssl.log"));
  } catch {
    console.error(`Generating ${size.toLocaleString("en")} flows…`);
    Deno.mkdirSync(dir, { recursive: true });
    await generateConnLog(join(dir, "conn.log"), size, 42, dir);
  }
  const bare = await bareReadAndSplit(dir);
  rows.push(
    `| ${size.toLocaleString("en")} | bare read + split (${
      bare.lines.toLocaleString("en")
    } lines) | ${bare.seconds.toFixed(2)} | ${rate(size, bare.seconds)} | – |`,
  );
  const runs: [string, string[]][] = [["pipeline, embedded", []]];
  if (size <= 1_000_000) {
    runs.push(["pipeline, embedded, structured-clone delivery", ["--flow-delivery", "clone"]]);
    if (redis) runs.push(["pipeline, Redis", ["-P", String(redis.port)]]);
  }
  for (const [label, extra] of runs) {
    const out = Deno.makeTempDirSync({ prefix: "slips-bench-" });
    const m = await measure(deno, [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      main,
      "-f",
      dir,
      "-o",
      out,
      "-v",
      "0",
      "--no-progress",
      ...extra,
    ]);
    Deno.removeSync(out, { recursive: true });
    rows.push(
      `| ${size.toLocaleString("en")} | ${label}${m.code ? " (FAILED)" : ""} | ${
        m.seconds.toFixed(2)
      } | ${rate(size, m.seconds)} | ${m.peakRssMb.toFixed(0)} |`,
    );
    console.error(rows.at(-1));
  }
}
await redis?.stop();

const cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.*)/)?.[1] ?? "";
const table = [
  `Measured ${
    new Date().toISOString().slice(0, 10)
  } on ${navigator.hardwareConcurrency} cores (${cpu}), Deno ${Deno.version.deno}.`,
  "",
  "flows/s counts conn flows; the application records (dns, http and ssl: about 45 % more with this generator) come on top.",
  "",
  "| flows | what | seconds | flows/s | peak RSS (MB) |",
  "|---|---|---|---|---|",
  ...rows,
].join("\n");
console.log(table);
if (values.out) Deno.writeTextFileSync(values.out, table + "\n");
