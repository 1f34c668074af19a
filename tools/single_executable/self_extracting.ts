/**
 * Packs a staged tree into one file: the sh launcher, then a reproducible gzip'd tar of the tree.
 */
import { createHash } from "node:crypto";
import { launcher } from "./launcher.ts";

async function tarGz(dir: string): Promise<Uint8Array> {
  // Fixed order, owners and times: the same inputs give the same bytes, hence the same hash.
  const cmd = 'tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - . ' +
    "| gzip -n -6";
  const out = await new Deno.Command("bash", {
    args: ["-o", "pipefail", "-c", cmd, "bash", dir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `Packing ${dir} with tar and gzip failed: ` +
        new TextDecoder().decode(out.stderr),
    );
  }
  return out.stdout;
}

export interface Packed {
  hash: string;
  size: number;
}

/** Writes the executable to `out` atomically (temp file, then rename) and returns its identity. */
export async function writeSelfExtracting(
  stagedDir: string,
  version: string,
  out: string,
): Promise<Packed> {
  const payload = await tarGz(stagedDir);
  const hash = createHash("sha256").update(payload).digest("hex").slice(0, 16);
  const head = new TextEncoder().encode(launcher({ version, hash }));
  const tmp = `${out}.tmp-${Deno.pid}`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true, mode: 0o755 });
  try {
    for (const part of [head, payload]) {
      let off = 0;
      while (off < part.length) off += await f.write(part.subarray(off));
    }
  } finally {
    f.close();
  }
  await Deno.chmod(tmp, 0o755);
  await Deno.rename(tmp, out);
  return { hash, size: head.length + payload.length };
}
