/**
 * Turning raw address bytes into the strings Zeek writes: dotted IPv4, RFC 5952 IPv6 (lower case,
 * longest zero run compressed), colon-separated lower-case MACs.
 */

const HEX = "0123456789abcdef";
const BYTE_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_HEX.push(HEX[i >> 4] + HEX[i & 15]);

export function ipv4FromNumber(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function ipv4At(b: Uint8Array, off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

export function macAt(b: Uint8Array, off: number): string {
  return `${BYTE_HEX[b[off]]}:${BYTE_HEX[b[off + 1]]}:${BYTE_HEX[b[off + 2]]}:${
    BYTE_HEX[b[off + 3]]
  }:${BYTE_HEX[b[off + 4]]}:${BYTE_HEX[b[off + 5]]}`;
}

export function hexOf(b: Uint8Array, off = 0, len = b.length - off): string {
  let s = "";
  for (let i = off; i < off + len; i++) s += BYTE_HEX[b[i]];
  return s;
}

/** The canonical text form of the 16-byte IPv6 address at `off`. */
export function ipv6At(b: Uint8Array, off: number): string {
  const groups: number[] = new Array(8);
  for (let i = 0; i < 8; i++) groups[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  // IPv4-mapped addresses keep the dotted tail, as Zeek prints them.
  if (
    groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 &&
    groups[4] === 0 && groups[5] === 0xffff
  ) {
    return `::ffff:${ipv4At(b, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && groups[i] === 0) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      const len = i - runStart;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
      runStart = -1;
    }
  }
  // RFC 5952: a single zero group is not compressed.
  if (bestLen < 2) bestStart = -1;
  let s = "";
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += "::";
      i += bestLen - 1;
      continue;
    }
    if (s !== "" && !s.endsWith(":")) s += ":";
    s += groups[i].toString(16);
  }
  return s;
}

/** A cheap map key for the IPv6 address at `off`: its eight 16-bit words as characters. */
export function ipv6Key(v: DataView, off: number): string {
  return String.fromCharCode(
    v.getUint16(off),
    v.getUint16(off + 2),
    v.getUint16(off + 4),
    v.getUint16(off + 6),
    v.getUint16(off + 8),
    v.getUint16(off + 10),
    v.getUint16(off + 12),
    v.getUint16(off + 14),
  );
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Bytes as a string, one character per byte (for protocol tokens). */
export function latin1At(b: Uint8Array, off: number, len: number): string {
  if (len <= 0) return "";
  if (len < 64) {
    let s = "";
    for (let i = off; i < off + len; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  return latin1.decode(b.subarray(off, off + len));
}

export function utf8At(b: Uint8Array, off: number, len: number): string {
  if (len <= 0) return "";
  return utf8.decode(b.subarray(off, off + len));
}
