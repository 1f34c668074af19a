/**
 * The preferred route, `deno compile`, needs the denort runtime (downloaded, or named by
 * DENORT_BIN). Before trusting it with main.ts, a tiny probe is compiled the same way and must
 * load a module from beside the executable that imports "@slips/core" and gets the very same core
 * instance; only then is main.ts compiled.
 */
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const PROBE_MAIN = `import * as core from "@slips/core";
const beside = new URL("modules/probe/probe.ts", "file://" + Deno.execPath().replace(/[^/]*$/, ""));
const mod = await import(beside.href);
console.log(mod.core === core ? "probe-ok" : "probe-two-cores");
`;

const PROBE_MODULE = `import * as core from "@slips/core";
export { core };
`;

export type CompileOutcome = { ok: true } | { ok: false; why: string };

async function run(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  ms: number,
  exe = Deno.execPath(),
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(exe, {
      args,
      cwd,
      env,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(ms),
    }).output();
    const dec = new TextDecoder();
    return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (err) {
    return { ok: false, stdout: "", stderr: err instanceof Error ? err.message : String(err) };
  }
}

/** Deno's own "error:" line and the causes under it (its backtrace follows), else the last line. */
function errorLine(text: string): string {
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
  const lines = text.split("\n").map((l) => l.replace(ansi, "").trim());
  const start = lines.findIndex((l) => l.startsWith("error:"));
  if (start < 0) return lastLine(text);
  const end = lines.findIndex((l, i) => i > start && l.startsWith("Stack backtrace"));
  return lines.slice(start, end < 0 ? undefined : end).filter((l) => l !== "").join(" / ");
}

function lastLine(text: string): string {
  return text.trim().split("\n").filter((l) => l.trim() !== "").at(-1) ?? "(no output)";
}

/** Tries `deno compile` for the staged app; on any doubt reports why, and writes nothing to out. */
export async function tryDenoCompile(staged: string, out: string): Promise<CompileOutcome> {
  const app = join(staged, "app");
  const env = { DENO_DIR: join(staged, "deno_dir"), DENO_NO_UPDATE_CHECK: "1" };
  const flags = ["compile", "-A", "--unstable-worker-options", "--config", join(app, "deno.json")];
  const probeDir = Deno.makeTempDirSync({ prefix: "slips-compile-probe-" });
  try {
    Deno.writeTextFileSync(join(app, ".compile_probe.ts"), PROBE_MAIN);
    const probeExe = join(probeDir, "probe");
    const built = await run(
      [...flags, "-o", probeExe, join(app, ".compile_probe.ts")],
      app,
      env,
      180_000,
    );
    if (!built.ok) return { ok: false, why: `deno compile failed: ${errorLine(built.stderr)}` };
    mkdirSync(join(probeDir, "modules", "probe"), { recursive: true });
    Deno.writeTextFileSync(join(probeDir, "modules", "probe", "probe.ts"), PROBE_MODULE);
    const ran = await run([], probeDir, {}, 60_000, probeExe);
    if (!ran.ok || lastLine(ran.stdout) !== "probe-ok") {
      return {
        ok: false,
        why: `a compiled probe could not load a module beside it through "@slips/core" ` +
          `(${lastLine(ran.stdout + "\n" + ran.stderr)})`,
      };
    }
    const exe = join(probeDir, "slips");
    const main = await run(
      [...flags, "--include", join(app, "core"), "-o", exe, join(app, "main.ts")],
      app,
      env,
      600_000,
    );
    if (!main.ok) {
      return { ok: false, why: `deno compile of main.ts failed: ${errorLine(main.stderr)}` };
    }
    const version = await run(["--version"], probeDir, {}, 60_000, exe);
    if (!version.ok) {
      return {
        ok: false,
        why: `the compiled main.ts fails "--version": ${errorLine(version.stderr)}`,
      };
    }
    cpSync(exe, out);
    Deno.chmodSync(out, 0o755);
    return { ok: true };
  } finally {
    Deno.removeSync(join(app, ".compile_probe.ts"), { recursive: true });
    Deno.removeSync(probeDir, { recursive: true });
  }
}
