/**
 * The handful of libc calls that changing credentials needs. Deno has no API that changes the
 * process's user, so these go through FFI; glibc's set*id() wrappers are used on purpose because
 * they apply the change to every thread of the process (see docs/privileges.md).
 */

const SYMBOLS = {
  getuid: { parameters: [], result: "u32" },
  geteuid: { parameters: [], result: "u32" },
  getgid: { parameters: [], result: "u32" },
  getegid: { parameters: [], result: "u32" },
  setuid: { parameters: ["u32"], result: "i32" },
  setgid: { parameters: ["u32"], result: "i32" },
  setgroups: { parameters: ["usize", "pointer"], result: "i32" },
  getpwnam: { parameters: ["buffer"], result: "pointer" },
  __errno_location: { parameters: [], result: "pointer" },
} as const;

export type LibcSymbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** A user database entry, as getpwnam(3) returns it. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

let lib: Deno.DynamicLibrary<typeof SYMBOLS> | undefined;

/** Opens glibc once; the error names the permission or the library that is missing. */
export function libc(): LibcSymbols {
  if (lib) return lib.symbols;
  try {
    lib = Deno.dlopen("libc.so.6", SYMBOLS);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `Cannot load libc.so.6 to change the process user (${why}). Run with --allow-ffi ` +
        `(or -A) on a glibc-based Linux system.`,
    );
  }
  return lib.symbols;
}

/** The errno of the libc call that just failed on this thread. */
export function errno(): number {
  const p = libc().__errno_location();
  return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32(0);
}

/** Looks a user up through NSS (files, LDAP, …); undefined when no such user exists. */
export function getpwnam(name: string): PasswdEntry | undefined {
  const cName = new TextEncoder().encode(`${name}\0`);
  const p = libc().getpwnam(cName);
  if (p === null) return undefined;
  // struct passwd on LP64: name, passwd (pointers), uid, gid (u32), gecos, dir, shell (pointers)
  const view = new Deno.UnsafePointerView(p);
  const str = (offset: number): string => {
    const s = view.getPointer(offset);
    return s === null ? "" : Deno.UnsafePointerView.getCString(s);
  };
  return {
    name: str(0),
    uid: view.getUint32(16),
    gid: view.getUint32(20),
    home: str(32),
    shell: str(40),
  };
}
