/**
 * The POSIX sh launcher that heads the self-extracting executable. Everything after its last
 * byte is a gzip'd tar holding the Deno runtime, the program and a vendored npm cache.
 */

export interface LauncherParams {
  version: string;
  /** Content hash of the payload; names the extraction directory, so builds never mix. */
  hash: string;
}

function template(p: LauncherParams, offset: string): string {
  return `#!/bin/sh
# Slips ${p.version} single executable: this launcher followed by a gzip'd tar holding the Deno
# runtime, the program (main.ts, core/, config/) and its npm packages. Built by tools/compile.ts;
# docs/single_executable.md explains the layout.
set -eu
PAYLOAD_HASH='${p.hash}'
PAYLOAD_OFFSET=${offset}

die() { echo "slips: $*" >&2; exit 1; }

self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
[ -f "$self" ] || die "cannot locate the executable itself (\\$0 is '$0'); run it by its path."
uid=$(id -u)

# Never run code from a place another user could swap: every existing directory from the
# candidate up to / must belong to root or to us, and be writable by no one else (sticky dirs such
# as /tmp excepted). Root is stricter: only root-owned directories, group-writable ones refused.
trusted() {
  d=$(readlink -m -- "$1" 2>/dev/null) || return 1
  if [ "$uid" -eq 0 ]; then deny=022; else deny=002; fi
  while :; do
    if [ -e "$d" ]; then
      [ -d "$d" ] || return 1
      owner=$(stat -c %u -- "$d") && mode=$(stat -c %a -- "$d") || return 1
      [ "$owner" -eq 0 ] || [ "$owner" -eq "$uid" ] || return 1
      if [ $(( 0$mode & $deny )) -ne 0 ] && [ $(( 0$mode & 01000 )) -eq 0 ]; then return 1; fi
    fi
    [ "$d" = / ] && return 0
    d=$(dirname -- "$d")
  done
}

# A finished extraction: renamed into place whole, ours, and with the runtime inside.
usable() {
  [ -d "$1" ] && [ ! -L "$1" ] && [ -O "$1" ] && [ -x "$1/deno" ] && trusted "$1"
}

# Unpacks into a fresh temp dir beside the target and renames it into place in one step, so an
# interrupted or concurrent first run never leaves a half-written tree behind. The tree is left
# world-readable: after main.ts drops root, the program must still load its own files.
extract() {
  parent=$(dirname -- "$1")
  trusted "$parent" || return 1
  mkdir -p -- "$parent" 2>/dev/null || return 1
  tmp=$(mktemp -d -- "$parent/.extract.XXXXXX" 2>/dev/null) || return 1
  if ! tail -c +$((PAYLOAD_OFFSET + 1)) -- "$self" | tar -xzf - -C "$tmp" 2>/dev/null; then
    rm -rf -- "$tmp"
    return 1
  fi
  chmod 755 -- "$tmp"
  if ! mv -T -- "$tmp" "$1" 2>/dev/null; then
    rm -rf -- "$tmp"
  fi
  usable "$1"
}

dir=
use() {
  [ -n "$1" ] || return 1
  if usable "$1" || extract "$1"; then
    dir=$1
    return 0
  fi
  return 1
}

h=$PAYLOAD_HASH
tmpbase=\${TMPDIR:-/tmp}
if [ "$uid" -eq 0 ]; then
  # Not root's home: it is private, and the program runs on as another user after the drop.
  use "\${SLIPS_CACHE_DIR:+$SLIPS_CACHE_DIR/$h}" || use "/var/cache/slips/$h" ||
    use "$tmpbase/slips-0-$h" ||
    die "cannot unpack into /var/cache/slips nor $tmpbase; set SLIPS_CACHE_DIR to a root-owned directory."
else
  use "\${SLIPS_CACHE_DIR:+$SLIPS_CACHE_DIR/$h}" ||
    use "\${XDG_CACHE_HOME:+$XDG_CACHE_HOME/slips/$h}" ||
    use "\${HOME:+$HOME/.cache/slips/$h}" || use "$tmpbase/slips-$uid-$h" ||
    die "cannot unpack into \\$HOME/.cache/slips nor $tmpbase; set SLIPS_CACHE_DIR to a writable directory you own."
fi

app=$dir/app
SLIPS_HOME=\${SLIPS_HOME:-$(dirname -- "$self")}
SLIPS_BUNDLE=$app
DENO_DIR=$dir/deno_dir
DENO_NO_UPDATE_CHECK=1
export SLIPS_HOME SLIPS_BUNDLE DENO_DIR DENO_NO_UPDATE_CHECK
exec "$dir/deno" run -A --unstable-worker-options --v8-flags=--expose-gc --cached-only --frozen \\
  --config "$app/deno.json" --lock "$app/deno.lock" "$app/main.ts" "$@"
`;
}

/** The launcher text, its payload offset filled in (the offset counts the launcher's own bytes). */
export function launcher(p: LauncherParams): string {
  let offset = 0;
  for (;;) {
    const text = template(p, String(offset));
    const size = new TextEncoder().encode(text).length;
    if (size === offset) return text;
    offset = size;
  }
}
