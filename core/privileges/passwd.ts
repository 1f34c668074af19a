/**
 * A plain reading of /etc/passwd, used when libc's user lookup cannot be reached.
 */
import type { PasswdEntry } from "./libc.ts";

/** Finds `name` in passwd-format text; malformed lines are skipped, not fatal. */
export function findInPasswd(text: string, name: string): PasswdEntry | undefined {
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const f = line.split(":");
    if (f.length < 7 || f[0] !== name) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (f[2] === "" || f[3] === "" || !Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    return { name, uid, gid, home: f[5], shell: f[6] };
  }
  return undefined;
}
