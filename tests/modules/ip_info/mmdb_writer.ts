/**
 * A minimal MaxMind DB (.mmdb, format 2.0) writer for tests: IPv4 tree, 24-bit records, maps,
 * strings, unsigned integers, arrays and booleans. Enough to build small ASN and Country
 * databases that the real `maxmind` reader must accept.
 */

/** A value to store. `{ u16 }` / `{ u64 }` force those integer widths (metadata needs them). */
export type MmdbValue =
  | string
  | number
  | boolean
  | MmdbValue[]
  | { u16: number }
  | { u64: number }
  | { [key: string]: MmdbValue };

const enc = new TextEncoder();

function uintBytes(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  while (v > 0n) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

function control(type: number, size: number): number[] {
  const head: number[] = [];
  let sizeBits: number;
  const ext: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 29 + 256) {
    sizeBits = 29;
    ext.push(size - 29);
  } else if (size < 285 + 65536) {
    sizeBits = 30;
    const v = size - 285;
    ext.push(v >> 8, v & 255);
  } else {
    sizeBits = 31;
    const v = size - 65821;
    ext.push((v >> 16) & 255, (v >> 8) & 255, v & 255);
  }
  if (type <= 7) head.push((type << 5) | sizeBits);
  else head.push(sizeBits, type - 7);
  return [...head, ...ext];
}

function isTagged(v: object, tag: string): boolean {
  return Object.keys(v).length === 1 && tag in v;
}

export function encodeValue(v: MmdbValue): number[] {
  if (typeof v === "string") {
    const b = [...enc.encode(v)];
    return [...control(2, b.length), ...b];
  }
  if (typeof v === "boolean") return control(14, v ? 1 : 0);
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < 0) throw new Error("only unsigned integers are supported");
    const b = uintBytes(v);
    return v < 2 ** 32 ? [...control(6, b.length), ...b] : [...control(9, b.length), ...b];
  }
  if (Array.isArray(v)) return [...control(11, v.length), ...v.flatMap(encodeValue)];
  if (isTagged(v, "u16")) {
    const b = uintBytes((v as { u16: number }).u16);
    return [...control(5, b.length), ...b];
  }
  if (isTagged(v, "u64")) {
    const b = uintBytes((v as { u64: number }).u64);
    return [...control(9, b.length), ...b];
  }
  const entries = Object.entries(v as Record<string, MmdbValue>);
  return [
    ...control(7, entries.length),
    ...entries.flatMap(([k, val]) => [...encodeValue(k), ...encodeValue(val)]),
  ];
}

interface Node {
  rec: [Slot, Slot];
}
type Slot = { kind: "empty" } | { kind: "node"; index: number } | { kind: "data"; offset: number };

/** Builds an IPv4 .mmdb holding `networks` (CIDR → record). Networks must not overlap. */
export function buildMmdb(
  databaseType: string,
  networks: Record<string, MmdbValue>,
): Uint8Array {
  const nodes: Node[] = [{ rec: [{ kind: "empty" }, { kind: "empty" }] }];
  const data: number[] = [];
  for (const [cidr, value] of Object.entries(networks)) {
    const [addr, bitsText] = cidr.split("/");
    const bits = Number(bitsText);
    const ip = addr.split(".").reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n);
    const offset = data.length;
    data.push(...encodeValue(value));
    let node = 0;
    for (let depth = 0; depth < bits; depth++) {
      const bit = Number((ip >> BigInt(31 - depth)) & 1n);
      if (depth === bits - 1) {
        nodes[node].rec[bit] = { kind: "data", offset };
        break;
      }
      const slot = nodes[node].rec[bit];
      if (slot.kind === "node") node = slot.index;
      else {
        nodes.push({ rec: [{ kind: "empty" }, { kind: "empty" }] });
        nodes[node].rec[bit] = { kind: "node", index: nodes.length - 1 };
        node = nodes.length - 1;
      }
    }
  }
  const count = nodes.length;
  const value = (s: Slot) =>
    s.kind === "empty" ? count : s.kind === "node" ? s.index : count + 16 + s.offset;
  const tree: number[] = [];
  for (const n of nodes) {
    for (const s of n.rec) {
      const v = value(s);
      tree.push((v >> 16) & 255, (v >> 8) & 255, v & 255);
    }
  }
  const metadata = encodeValue({
    node_count: count,
    record_size: { u16: 24 },
    ip_version: { u16: 4 },
    database_type: databaseType,
    languages: ["en"],
    binary_format_major_version: { u16: 2 },
    binary_format_minor_version: { u16: 0 },
    build_epoch: { u64: 1_700_000_000 },
    description: { en: "Test database written by tests/modules/ip_info/mmdb_writer.ts" },
  });
  const marker = [0xab, 0xcd, 0xef, ...enc.encode("MaxMind.com")];
  return new Uint8Array([...tree, ...new Array(16).fill(0), ...data, ...marker, ...metadata]);
}
