/**
 * Credentials as the kernel reports them in /proc/<pid>/task/<tid>/status. Reading them from
 * there, rather than asking libc, shows what each thread really holds.
 */

export interface Credentials {
  uid: number;
  euid: number;
  suid: number;
  gid: number;
  egid: number;
  sgid: number;
  groups: number[];
  /** Permitted and effective capability sets, hex as the kernel prints them. */
  capPrm: string;
  capEff: string;
}

function idsOf(line: string | undefined, field: string, source: string): number[] {
  if (line === undefined) {
    throw new Error(`${source} has no "${field}:" line; is /proc mounted from a Linux kernel?`);
  }
  const ids = line.trim().split(/\s+/).filter((s) => s !== "").map(Number);
  if (ids.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new Error(`${source}: the "${field}:" line holds something other than ids: "${line}".`);
  }
  return ids;
}

function capsOf(line: string | undefined, field: string, source: string): string {
  const hex = line?.trim() ?? "";
  if (!/^[0-9a-f]+$/.test(hex)) {
    throw new Error(`${source}: expected a hex "${field}:" line, found "${line ?? ""}".`);
  }
  return hex;
}

/** Parses the Uid/Gid/Groups/Cap* lines of a status file; `source` names it in error messages. */
export function parseProcStatus(text: string, source = "status"): Credentials {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const uids = idsOf(fields.get("Uid"), "Uid", source);
  const gids = idsOf(fields.get("Gid"), "Gid", source);
  if (uids.length < 3 || gids.length < 3) {
    throw new Error(`${source}: expected real, effective and saved ids on the Uid and Gid lines.`);
  }
  return {
    uid: uids[0],
    euid: uids[1],
    suid: uids[2],
    gid: gids[0],
    egid: gids[1],
    sgid: gids[2],
    groups: idsOf(fields.get("Groups") ?? "", "Groups", source),
    capPrm: capsOf(fields.get("CapPrm"), "CapPrm", source),
    capEff: capsOf(fields.get("CapEff"), "CapEff", source),
  };
}

/** The calling thread's credentials. */
export function currentIds(): Credentials {
  const path = "/proc/thread-self/status";
  return parseProcStatus(Deno.readTextFileSync(path), path);
}

/** Every thread of this process with its credentials, so a partial drop cannot go unnoticed. */
export function threadIds(): Map<number, Credentials> {
  const out = new Map<number, Credentials>();
  for (const entry of Deno.readDirSync("/proc/self/task")) {
    const path = `/proc/self/task/${entry.name}/status`;
    try {
      out.set(Number(entry.name), parseProcStatus(Deno.readTextFileSync(path), path));
    } catch (err) {
      // A thread may exit between listing and reading; only a vanished file is expected here.
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  return out;
}
