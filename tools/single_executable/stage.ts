/**
 * Lays out, in a scratch directory, everything the executable carries: the Deno runtime, the
 * program files and a DENO_DIR holding every npm package the import map names, so the result runs
 * with no network and no Deno installed.
 */
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** Directories copied whole: modules reach any core file through "@slips/core/". */
const WHOLE_DIRS = ["core", "config", "templates"];

export interface StageResult {
  /** The staged tree: deno, app/, deno_dir/. */
  dir: string;
  version: string;
}

async function deno(args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { ...env, DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `"deno ${args.join(" ")}" failed in ${cwd}:\n${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return text;
}

/** Local files main.ts reaches statically (outside the whole-copied dirs, e.g. deno.json). */
async function graphFiles(root: string): Promise<string[]> {
  const info = JSON.parse(await deno(["info", "--json", "main.ts"], root, {})) as {
    modules?: { specifier: string; error?: string }[];
  };
  const files: string[] = [];
  for (const m of info.modules ?? []) {
    // Unresolvable imports are main.ts's problem and surface when it runs; nothing to copy.
    if (!m.specifier.startsWith("file://") || m.error !== undefined) continue;
    const rel = relative(root, fileURLToPath(m.specifier));
    if (rel.startsWith("..")) {
      throw new Error(`main.ts imports ${m.specifier}, which lies outside the project ${root}.`);
    }
    if (!WHOLE_DIRS.some((d) => rel.startsWith(`${d}/`))) files.push(rel);
  }
  return files;
}

/** The real runtime binary, not a wrapper script: the payload must run where no Deno exists. */
export function denoBinary(): string {
  const path = Deno.realPathSync(Deno.execPath());
  const head = new Uint8Array(4);
  const f = Deno.openSync(path);
  try {
    f.readSync(head);
  } finally {
    f.close();
  }
  if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) {
    throw new Error(`${path} is not an ELF executable; run tools/compile.ts with the real deno.`);
  }
  return path;
}

/**
 * Drops the caches Deno wrote while staging: they are keyed by absolute paths of the scratch tree,
 * useless once moved, and would make the payload (and its hash) differ from build to build.
 */
export function pruneDenoDir(staged: string): void {
  const denoDir = join(staged, "deno_dir");
  for (const entry of readdirSync(denoDir)) {
    if (entry !== "npm" && entry !== "remote") rmSync(join(denoDir, entry), { recursive: true });
  }
}

export async function stage(root: string, into: string): Promise<StageResult> {
  for (const f of ["main.ts", "deno.json", "deno.lock"]) {
    if (!existsSync(join(root, f))) {
      throw new Error(`${join(root, f)} is missing; the executable cannot be built without it.`);
    }
  }
  const app = join(into, "app");
  const denoDir = join(into, "deno_dir");
  for (const d of WHOLE_DIRS) {
    if (existsSync(join(root, d))) cpSync(join(root, d), join(app, d), { recursive: true });
  }
  for (const f of ["main.ts", "deno.json", "deno.lock", ...await graphFiles(root)]) {
    cpSync(join(root, f), join(app, f), { recursive: true });
  }
  cpSync(denoBinary(), join(into, "deno"));
  Deno.chmodSync(join(into, "deno"), 0o755);

  // Every import-map package, not only main.ts's graph: modules added later may use any of them.
  await deno(["install"], app, { DENO_DIR: denoDir });
  await deno(["cache", "main.ts"], app, { DENO_DIR: denoDir });
  if (existsSync(join(app, "node_modules"))) {
    throw new Error(
      `deno install created ${join(app, "node_modules")}; keep "nodeModulesDir": "none" in ` +
        `deno.json so npm packages live in the vendored DENO_DIR.`,
    );
  }
  const cfg = JSON.parse(Deno.readTextFileSync(join(root, "deno.json"))) as { version?: string };
  return { dir: into, version: cfg.version ?? "0.0.0" };
}
