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

# Root must never run code from a place another user could swap: every directory from the
# candidate up to / has to belong to root and be writable by nobody else (sticky dirs excepted).
trusted() {
  [ "$uid" -ne 0 ] && return 0
  d=$(readlink -f -- "$1" 2>/dev/null) || return 1
  while :; do
    [ -d "$d" ] || return 1
    owner=$(stat -c %u -- "$d") && mode=$(stat -c %a -- "$d") || return 1
    [ "$owner" -eq 0 ] || return 1
    if [ $(( 0$mode & 022 )) -ne 0 ] && [ $(( 0$mode & 01000 )) -eq 0 ]; then return 1; fi
    [ "$d" = / ] && return 0
    d=$(dirname -- "$d")
  done
}

# A finished extraction: renamed into place whole, ours, and with the runtime inside.
usable() {
  [ -d "$1" ] && [ ! -L "$1" ] && [ -O "$1" ] && [ -x "$1/deno" ]
}

# Unpacks into a fresh temp dir beside the target and renames it into place in one step, so an
# interrupted or concurrent first run never leaves a half-written tree behind.
extract() {
  parent=$(dirname -- "$1")
  mkdir -p -m 700 -- "$parent" 2>/dev/null || return 1
  trusted "$parent" || return 1
  tmp=$(mktemp -d -- "$parent/.extract.XXXXXX" 2>/dev/null) || return 1
  if ! tail -c +$((PAYLOAD_OFFSET + 1)) -- "$self" | tar -xzf - -C "$tmp" 2>/dev/null; then
    rm -rf -- "$tmp"
    return 1
  fi
  chmod 700 -- "$tmp"
  if ! mv -T -- "$tmp" "$1" 2>/dev/null; then
    rm -rf -- "$tmp"
  fi
  usable "$1"
}

dir=
for base in \${SLIPS_CACHE_DIR:+"$SLIPS_CACHE_DIR"} \\
  \${XDG_CACHE_HOME:+"$XDG_CACHE_HOME/slips"} \\
  \${HOME:+"$HOME/.cache/slips"}; do
  if usable "$base/$PAYLOAD_HASH" && trusted "$base/$PAYLOAD_HASH"; then
    dir=$base/$PAYLOAD_HASH
    break
  fi
  if extract "$base/$PAYLOAD_HASH"; then
    dir=$base/$PAYLOAD_HASH
    break
  fi
done
if [ -z "$dir" ]; then
  fallback=\${TMPDIR:-/tmp}/slips-$uid-$PAYLOAD_HASH
  if usable "$fallback" && trusted "$fallback"; then
    dir=$fallback
  elif extract "$fallback"; then
    dir=$fallback
  else
    die "cannot unpack into \\$HOME/.cache/slips nor $fallback (not writable, or not owned by uid $uid); set SLIPS_CACHE_DIR to a writable directory you own."
  fi
fi

app=$dir/app
SLIPS_HOME=\${SLIPS_HOME:-$(dirname -- "$self")}
SLIPS_BUNDLE=$app
DENO_DIR=$dir/deno_dir
DENO_NO_UPDATE_CHECK=1
export SLIPS_HOME SLIPS_BUNDLE DENO_DIR DENO_NO_UPDATE_CHECK
exec "$dir/deno" run -A --unstable-worker-options --cached-only --frozen \\
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
