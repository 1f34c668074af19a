/**
 * Whom to become after giving up root: the user named with --user, else the user that ran sudo.
 */
import type { PasswdEntry } from "./libc.ts";

export interface DropTarget {
  uid: number;
  gid: number;
  name: string;
  /** Where the target came from, for the log line. */
  source: "--user" | "SUDO_UID";
}

export interface NoTarget {
  reason: string;
}

export type UserLookup = (name: string) => PasswdEntry | undefined;

function parseId(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 0xffff_fffe ? n : undefined;
}

/**
 * Picks the target user. An unknown --user is an error (the operator asked for something that
 * cannot be honoured); a missing or malformed sudo environment only means there is no target.
 */
export function chooseTarget(
  opts: { user?: string },
  env: Record<string, string | undefined>,
  lookup: UserLookup,
): DropTarget | NoTarget {
  if (opts.user !== undefined && opts.user !== "") {
    const entry = lookup(opts.user);
    if (entry === undefined) {
      throw new Error(
        `The user "${opts.user}" given with --user does not exist on this system (looked up ` +
          `with getpwnam and in /etc/passwd). Create it or name an existing user.`,
      );
    }
    return { uid: entry.uid, gid: entry.gid, name: entry.name, source: "--user" };
  }
  const uid = parseId(env.SUDO_UID);
  const gid = parseId(env.SUDO_GID);
  if (uid === undefined || gid === undefined) {
    const why = env.SUDO_UID === undefined
      ? "not started through sudo and no --user given"
      : `SUDO_UID="${env.SUDO_UID}"/SUDO_GID="${env.SUDO_GID ?? ""}" are not numeric ids`;
    return { reason: `${why}; keeping the current user` };
  }
  return { uid, gid, name: env.SUDO_USER ?? `uid ${uid}`, source: "SUDO_UID" };
}
