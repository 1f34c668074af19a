/** Runs the program as a user would (a real subprocess) and reads its outputs. */
import { join } from "node:path";

export const PROJECT = new URL("../../", import.meta.url).pathname;
export const MAIN = join(PROJECT, "main.ts");

export interface SlipsRun {
  code: number;
  stdout: string;
  stderr: string;
  outDir: string;
  alertsJson: Record<string, unknown>[];
  alertsLog: string;
  errorsLog: string;
}

/** Every module in modules/ except `keep`: lets a test look at one module's output alone. */
export function disableAllBut(keep: string[]): string {
  const names = [...Deno.readDirSync(join(PROJECT, "modules"))]
    .filter((e) => e.isDirectory)
    .map((e) => e.name);
  return names.filter((n) => !keep.includes(n)).join(",") || "none";
}

export async function runSlips(
  args: string[],
  opts: { outDir?: string; env?: Record<string, string>; exe?: string; cwd?: string } = {},
): Promise<SlipsRun> {
  const outDir = opts.outDir ?? Deno.makeTempDirSync({ prefix: "slips-run-" });
  const full = args.includes("-o") ? args : [...args, "-o", outDir];
  const cmd = opts.exe
    ? new Deno.Command(opts.exe, { args: full, env: opts.env, cwd: opts.cwd, stdin: "null" })
    : new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, ...full],
      env: opts.env,
      cwd: opts.cwd ?? PROJECT,
      stdin: "null",
    });
  const r = await cmd.output();
  const read = (name: string) => {
    try {
      return Deno.readTextFileSync(join(outDir, name));
    } catch {
      return "";
    }
  };
  const json = read("alerts.json");
  return {
    code: r.code,
    stdout: new TextDecoder().decode(r.stdout),
    stderr: new TextDecoder().decode(r.stderr),
    outDir,
    alertsJson: json.trim() ? json.trim().split("\n").map((l) => JSON.parse(l)) : [],
    alertsLog: read("alerts.log"),
    errorsLog: read("errors.log"),
  };
}

/**
 * Modules in different workers raise evidence concurrently, so the order of their evidence in
 * alerts.json, and the running accumulated threat written into each, depend on scheduling. For a
 * comparison across several workers: evidence sorted by flow time and content, without the
 * running sum. (Alerts stay in order: they come from the single evidence handler.)
 */
export function orderIndependent(records: Record<string, unknown>[]): Record<string, unknown>[] {
  const events = records.filter((r) => r.Status === "Event").map((r) => {
    const note = JSON.parse(String(r.Note));
    delete note.accumulated_threat_level;
    return { ...r, Note: JSON.stringify(note) };
  });
  const key = (r: Record<string, unknown>) =>
    `${r.StartTime}|${r.Note}|${r.Description}|${JSON.stringify(r.Source)}`;
  events.sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return [...events, ...records.filter((r) => r.Status !== "Event")];
}

/** Replaces run-dependent values (ids, wall-clock times) with stable placeholders. */
export function normalizeAlerts(records: Record<string, unknown>[]): Record<string, unknown>[] {
  const ids = new Map<string, string>();
  const id = (v: string) => {
    if (!ids.has(v)) ids.set(v, `id-${ids.size + 1}`);
    return ids.get(v)!;
  };
  return records.map((r) => {
    const out: Record<string, unknown> = { ...r };
    if (typeof out.ID === "string") out.ID = id(out.ID);
    if (out.CreateTime) out.CreateTime = "<now>";
    if (Array.isArray(out.CorrelID)) out.CorrelID = (out.CorrelID as string[]).map(id);
    if (Array.isArray(out.RelID)) out.RelID = (out.RelID as string[]).map(id);
    if (out.Analyzer && typeof out.Analyzer === "object") {
      out.Analyzer = { ...(out.Analyzer as Record<string, unknown>), Model: "<version>" };
    }
    return out;
  });
}
