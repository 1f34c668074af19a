/**
 * Giving up root in a run: the output directory is handed to the target user first (so files
 * created after the drop can be written), then the ids are switched.
 */
import type { CliArgs } from "./args.ts";
import type { Printer } from "../output/printer.ts";

export interface PrivilegeOutcome {
  /** One line for the banner and metadata, empty when not root. */
  note: string;
  uid: number;
  gid: number;
}

function chownTree(path: string, uid: number, gid: number): void {
  Deno.chownSync(path, uid, gid);
  if (!Deno.statSync(path).isDirectory) return;
  for (const e of Deno.readDirSync(path)) chownTree(`${path}/${e.name}`, uid, gid);
}

export async function dropRoot(
  args: CliArgs,
  printer: Printer,
  outDir: string,
): Promise<PrivilegeOutcome> {
  if (Deno.uid() !== 0) return { note: "", uid: Deno.uid() ?? -1, gid: Deno.gid() ?? -1 };
  const p = await import("../privileges/mod.ts");
  const { getpwnam } = await import("../privileges/libc.ts");
  const target = p.chooseTarget({ user: args.user }, Deno.env.toObject(), (name) => {
    const viaLibc = getpwnam(name);
    if (viaLibc) return viaLibc;
    try {
      return p.findInPasswd(Deno.readTextFileSync("/etc/passwd"), name);
    } catch {
      return undefined;
    }
  });
  if ("uid" in target && target.uid !== 0) chownTree(outDir, target.uid, target.gid);
  const r = p.dropPrivileges({ user: args.user });
  if (r.dropped) {
    const note = `Dropped root: running as uid ${r.uid}, gid ${r.gid}, no supplementary groups.`;
    printer.print("privileges", note, 2, 0);
    return { note, uid: r.uid, gid: r.gid };
  }
  printer.print("privileges", `Still running as root: ${r.reason}`, 2, 0);
  return { note: `Running as root: ${r.reason}`, uid: 0, gid: r.gid };
}
