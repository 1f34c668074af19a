/**
 * Giving up root once the privileged work (opening captures, starting the blocker) is done.
 * Order matters: supplementary groups and the group are changed while still root, the user last,
 * because after setuid() nothing else may be changed.
 */
import { errno, getpwnam, libc, type PasswdEntry } from "./libc.ts";
import { findInPasswd } from "./passwd.ts";
import { chooseTarget, type DropTarget, type NoTarget } from "./target.ts";
import { type Credentials, currentIds, threadIds } from "./proc_status.ts";

export interface DropResult {
  dropped: boolean;
  uid: number;
  gid: number;
  reason: string;
}

export interface DropOptions {
  /** Name of the user to become; when absent, the user that ran sudo. */
  user?: string;
}

/** Looks a user up through libc (NSS), then in /etc/passwd. */
export function lookupUser(name: string): PasswdEntry | undefined {
  const viaLibc = getpwnam(name);
  if (viaLibc !== undefined) return viaLibc;
  try {
    return findInPasswd(Deno.readTextFileSync("/etc/passwd"), name);
  } catch {
    return undefined;
  }
}

/** Whom dropPrivileges(opts) would switch to in this process, without switching. */
export function findTarget(opts: DropOptions = {}): DropTarget | NoTarget {
  return chooseTarget(opts, Deno.env.toObject(), lookupUser);
}

function check(rc: number, call: string, target: DropTarget): void {
  if (rc !== 0) {
    throw new Error(
      `${call} failed with errno ${errno()} while switching to ${target.name} ` +
        `(uid ${target.uid}, gid ${target.gid}); refusing to go on with partial privileges.`,
    );
  }
}

function holdsOnlyTarget(c: Credentials, t: DropTarget): boolean {
  return c.uid === t.uid && c.euid === t.uid && c.suid === t.uid &&
    c.gid === t.gid && c.egid === t.gid && c.sgid === t.gid && c.groups.length === 0 &&
    /^0+$/.test(c.capPrm) && /^0+$/.test(c.capEff);
}

function verify(target: DropTarget): void {
  const c = libc();
  const ids = [c.getuid(), c.geteuid(), c.getgid(), c.getegid()];
  if (
    ids[0] !== target.uid || ids[1] !== target.uid || ids[2] !== target.gid || ids[3] !== target.gid
  ) {
    throw new Error(
      `After dropping privileges libc reports uid/euid/gid/egid ${ids.join("/")}, ` +
        `not ${target.uid}/${target.uid}/${target.gid}/${target.gid}; stopping.`,
    );
  }
  if (c.setuid(0) === 0) {
    throw new Error("After dropping privileges setuid(0) still succeeded; stopping.");
  }
  // glibc broadcasts set*id() to every thread; a thread left as root would be a silent hole.
  for (const [tid, creds] of threadIds()) {
    if (!holdsOnlyTarget(creds, target)) {
      throw new Error(
        `Thread ${tid} still holds uid ${creds.euid}, gid ${creds.egid}, groups ` +
          `[${creds.groups.join(",")}], capabilities ${creds.capEff} after the drop; stopping.`,
      );
    }
  }
}

/**
 * Switches the whole process to the target user when running as root. A no-op (with the reason)
 * when not root or when no target is known; throws when a drop was due but did not fully happen.
 */
export function dropPrivileges(opts: DropOptions = {}): DropResult {
  const before = currentIds();
  if (before.euid !== 0) {
    return {
      dropped: false,
      uid: before.euid,
      gid: before.egid,
      reason: `not running as root (uid ${before.euid}); nothing to drop`,
    };
  }
  const target = findTarget(opts);
  if ("reason" in target) {
    return { dropped: false, uid: 0, gid: before.egid, reason: target.reason };
  }
  if (target.uid === 0) {
    return {
      dropped: false,
      uid: 0,
      gid: before.egid,
      reason: `target user ${target.name} is root; nothing to drop`,
    };
  }
  const c = libc();
  check(c.setgroups(0n, null), "setgroups(0, NULL)", target);
  check(c.setgid(target.gid), `setgid(${target.gid})`, target);
  check(c.setuid(target.uid), `setuid(${target.uid})`, target);
  verify(target);
  return {
    dropped: true,
    uid: target.uid,
    gid: target.gid,
    reason:
      `switched to ${target.name} (uid ${target.uid}, gid ${target.gid}) from ${target.source}`,
  };
}
