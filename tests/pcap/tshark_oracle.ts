/**
 * Running tshark as the reference for the packet engine: conversation statistics, per-packet IP
 * lengths, and application fields, parsed into plain maps the tests compare against.
 */

export async function tsharkAvailable(): Promise<boolean> {
  try {
    const out = await new Deno.Command("tshark", { args: ["-v"], stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

export const TSHARK_MISSING = "tshark is not installed, so the packet engine cannot be checked " +
  "against it; install it with `apt-get install -y tshark`.";

async function tshark(args: string[]): Promise<string> {
  const out = await new Deno.Command("tshark", { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`tshark ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/**
 * Frames sent from one endpoint to the other, and the range their frame bytes lie in: tshark
 * prints small counts exactly ("9180 bytes") and larger ones truncated ("17 kB" = 17000..17999).
 */
export interface Directed {
  frames: number;
  minBytes: number;
  maxBytes: number;
}

function byteRange(text: string): [number, number] {
  const m = /^(\d+) (bytes|kB|MB|GB)$/.exec(text);
  if (m === null) throw new Error(`tshark printed a byte count I do not understand: ${text}`);
  const n = Number(m[1]);
  const unit = m[2] === "bytes" ? 1 : m[2] === "kB" ? 1e3 : m[2] === "MB" ? 1e6 : 1e9;
  return [n * unit, n * unit + unit - 1];
}

/** Key of one direction of a conversation: "a:pa>b:pb". */
export function dirKey(a: string, pa: number, b: string, pb: number): string {
  return `${a}:${pa}>${b}:${pb}`;
}

function splitEndpoint(s: string): [string, number] {
  const i = s.lastIndexOf(":");
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

/**
 * `tshark -q -z conv,PROTO`: for every conversation A <-> B, the frames and bytes of A→B ("->"
 * columns) and B→A ("<-" columns). Directions without frames are left out.
 */
export async function conversations(
  file: string,
  proto: "tcp" | "udp",
): Promise<Map<string, Directed>> {
  const text = await tshark(["-n", "-q", "-z", `conv,${proto}`, "-r", file]);
  const out = new Map<string, Directed>();
  const re =
    /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ \w*bytes|\d+ \wB)\s+(\d+)\s+(\d+ \w*bytes|\d+ \wB)\s+\d+\s+/;
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (m === null) continue;
    const [a, pa] = splitEndpoint(m[1]);
    const [b, pb] = splitEndpoint(m[2]);
    const add = (k: string, frames: number, bytes: string) => {
      if (frames === 0) return;
      const [lo, hi] = byteRange(bytes);
      const prev = out.get(k) ?? { frames: 0, minBytes: 0, maxBytes: 0 };
      // The same pair can appear more than once (tshark splits TCP streams on port reuse).
      out.set(k, {
        frames: prev.frames + frames,
        minBytes: prev.minBytes + lo,
        maxBytes: prev.maxBytes + hi,
      });
    };
    add(dirKey(b, pb, a, pa), Number(m[3]), m[4]);
    add(dirKey(a, pa, b, pb), Number(m[5]), m[6]);
  }
  return out;
}

/**
 * IP-level bytes per direction, summed over the packets tshark assigns to `proto`: IPv4 total
 * length, or 40 + payload length for IPv6. Packets inside ICMP errors are left out.
 */
export async function ipBytes(file: string, proto: "tcp" | "udp"): Promise<Map<string, number>> {
  const text = await tshark([
    "-n",
    "-r",
    file,
    "-Y",
    `${proto} && !icmp && !icmpv6`,
    "-T",
    "fields",
    "-E",
    "separator=|",
    "-e",
    "ip.src",
    "-e",
    "ipv6.src",
    "-e",
    `${proto}.srcport`,
    "-e",
    "ip.dst",
    "-e",
    "ipv6.dst",
    "-e",
    `${proto}.dstport`,
    "-e",
    "ip.len",
    "-e",
    "ipv6.plen",
  ]);
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const f = line.split("|");
    // With tunnels a field holds outer,inner values: the innermost is the one analysed.
    const last = (s: string) => s.split(",").pop() ?? "";
    const src = last(f[0]) || last(f[1]);
    const dst = last(f[3]) || last(f[4]);
    const len = f[6] !== "" ? Number(last(f[6])) : 40 + Number(last(f[7]));
    const k = dirKey(src, Number(last(f[2])), dst, Number(last(f[5])));
    out.set(k, (out.get(k) ?? 0) + len);
  }
  return out;
}

/** Values of one field over the packets matching `filter`, one entry per value. */
export async function fieldValues(
  file: string,
  filter: string,
  fields: string[],
): Promise<string[][]> {
  const args = ["-n", "-r", file, "-Y", filter, "-T", "fields", "-E", "separator=|"];
  for (const f of fields) args.push("-e", f);
  const text = await tshark(args);
  return text.split("\n").filter((l) => l !== "").map((l) => l.split("|"));
}

/** `tshark -q -z conv,tcp -r FILE`, for timing comparisons. */
export async function runConvTcp(file: string): Promise<void> {
  await tshark(["-n", "-q", "-z", "conv,tcp", "-r", file]);
}
