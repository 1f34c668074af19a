/**
 * A minimal project for building the single executable in tests: the real core/ and import map,
 * with a main.ts of our own that reports what the launcher set up, instead of the full program.
 */
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

const MAIN = `import * as core from "@slips/core";
const home = Deno.env.get("SLIPS_HOME") ?? "";
const [cmd, arg] = Deno.args;
if (cmd === "exit") Deno.exit(Number(arg));
if (cmd === "sleep") await new Promise((r) => setTimeout(r, 120_000));
if (cmd === "report") {
  const mod = await import(\`file://\${home}/modules/probe/probe.ts\`);
  const worker = new Worker(\`file://\${home}/modules/probe/probe_worker.ts\`, { type: "module" });
  const fromWorker = await new Promise((resolve) => {
    worker.onmessage = (e) => resolve(e.data);
  });
  worker.terminate();
  console.log(JSON.stringify({
    home,
    bundle: Deno.env.get("SLIPS_BUNDLE"),
    mainUrl: import.meta.url,
    sameCore: mod.core === core,
    npmRange: mod.range("10.1.2.3"),
    fromWorker,
  }));
}
`;

/** A user module, as one would drop it beside the executable after the build. */
export const PROBE_MODULE = `import * as core from "@slips/core";
import ipaddr from "ipaddr.js";
export { core };
export const range = (ip) => ipaddr.parse(ip).range();
`;

export const PROBE_WORKER = `import { ipRange } from "@slips/core";
self.postMessage("worker sees " + ipRange("192.168.1.1"));
`;

/** Writes the fixture project into `dir` and returns it. */
export function writeFixtureProject(dir: string): string {
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, "core"), join(dir, "core"), { recursive: true });
  cpSync(join(REPO, "deno.json"), join(dir, "deno.json"));
  cpSync(join(REPO, "deno.lock"), join(dir, "deno.lock"));
  Deno.writeTextFileSync(join(dir, "main.ts"), MAIN);
  return dir;
}

/** A modules/ folder holding the probe, beside wherever the executable is copied. */
export function writeProbeModules(exeDir: string): void {
  mkdirSync(join(exeDir, "modules", "probe"), { recursive: true });
  Deno.writeTextFileSync(join(exeDir, "modules", "probe", "probe.ts"), PROBE_MODULE);
  Deno.writeTextFileSync(join(exeDir, "modules", "probe", "probe_worker.ts"), PROBE_WORKER);
}
