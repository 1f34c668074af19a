/**
 * A set of CIDR ranges that answers "which ranges contain this address" without scanning every
 * range: IPv4 ranges are bucketed by first octet and IPv6 ranges by first 16-bit group, so a
 * lookup only compares against the handful of ranges that share the address's leading bits.
 */
import ipaddr from "ipaddr.js";

interface V4Range<T> {
  net: number;
  mask: number;
  text: string;
  value: T;
}

interface V6Range<T> {
  /** The network's eight 16-bit groups, host bits cleared. */
  parts: number[];
  prefix: number;
  text: string;
  value: T;
}

/** Dotted-quad IPv4 to an unsigned 32-bit number, or -1 when `s` is not one. */
export function ipv4ToNumber(s: string): number {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255 || digits > 3) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return n * 256 + octet;
}

function v4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** IPv6 groups of `ip`, or undefined when it is not IPv6. IPv4-mapped addresses are returned as v4. */
function parseV6(ip: string): { v4: number } | { parts: number[] } | undefined {
  if (!ip.includes(":")) return undefined;
  let addr: ipaddr.IPv6;
  try {
    addr = ipaddr.IPv6.parse(ip.includes("%") ? ip.slice(0, ip.indexOf("%")) : ip);
  } catch {
    return undefined;
  }
  if (addr.isIPv4MappedAddress()) {
    const b = addr.toIPv4Address().octets;
    return { v4: ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3] };
  }
  return { parts: addr.parts };
}

function v6Contains(range: V6Range<unknown>, parts: number[]): boolean {
  let bits = range.prefix;
  for (let i = 0; i < 8 && bits > 0; i++) {
    const take = bits >= 16 ? 16 : bits;
    const mask = take === 16 ? 0xffff : (0xffff << (16 - take)) & 0xffff;
    if ((parts[i] & mask) !== range.parts[i]) return false;
    bits -= take;
  }
  return true;
}

/**
 * Canonical `net/len` text of a CIDR with host bits cleared, or undefined when `text` is not a
 * CIDR. IPv4-mapped IPv6 networks stay IPv6.
 */
export function canonicalCidr(text: string): string | undefined {
  try {
    const [addr, len] = ipaddr.parseCIDR(text);
    if (addr.kind() === "ipv4") {
      return `${ipaddr.IPv4.networkAddressFromCIDR(text).toString()}/${len}`;
    }
    return `${ipaddr.IPv6.networkAddressFromCIDR(text).toString()}/${len}`;
  } catch {
    return undefined;
  }
}

export class IpRangeSet<T> {
  #v4 = new Map<number, V4Range<T>[]>();
  /** IPv4 ranges shorter than /8 do not fit one octet bucket. */
  #v4Wide: V4Range<T>[] = [];
  #v6 = new Map<number, V6Range<T>[]>();
  #v6Wide: V6Range<T>[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `cidr` (or a bare address, taken as /32 or /128). Throws when it is neither. */
  add(cidr: string, value: T): void {
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    let prefix: number;
    try {
      if (cidr.includes("/")) {
        [addr, prefix] = ipaddr.parseCIDR(cidr);
      } else {
        addr = ipaddr.parse(cidr);
        prefix = addr.kind() === "ipv4" ? 32 : 128;
      }
    } catch {
      throw new Error(`"${cidr}" is not an IP address or CIDR range (expected e.g. 10.0.0.0/8).`);
    }
    this.#size++;
    if (addr.kind() === "ipv4") {
      const b = (addr as ipaddr.IPv4).octets;
      const mask = v4Mask(prefix);
      const net = ((((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3]) & mask) >>> 0;
      const r: V4Range<T> = { net, mask, text: cidr, value };
      if (prefix < 8) this.#v4Wide.push(r);
      else pushTo(this.#v4, net >>> 24, r);
      return;
    }
    const parts = (addr as ipaddr.IPv6).parts.slice();
    let bits = prefix;
    for (let i = 0; i < 8; i++) {
      const take = bits >= 16 ? 16 : bits > 0 ? bits : 0;
      const mask = take === 16 ? 0xffff : take === 0 ? 0 : (0xffff << (16 - take)) & 0xffff;
      parts[i] &= mask;
      bits -= take;
    }
    const r: V6Range<T> = { parts, prefix, text: cidr, value };
    if (prefix < 16) this.#v6Wide.push(r);
    else pushTo(this.#v6, parts[0], r);
  }

  /**
   * Calls `visit` for each range containing `ip` until it returns true. Returns true when a visit
   * returned true. Anything that is not an IP contains nothing.
   */
  some(ip: string, visit: (value: T, cidr: string) => boolean): boolean {
    if (this.#size === 0) return false;
    let v4 = ipv4ToNumber(ip);
    if (v4 < 0) {
      const v6 = parseV6(ip);
      if (v6 === undefined) return false;
      if ("parts" in v6) {
        const bucket = this.#v6.get(v6.parts[0]);
        if (bucket) {
          for (const r of bucket) {
            if (v6Contains(r, v6.parts) && visit(r.value, r.text)) return true;
          }
        }
        for (const r of this.#v6Wide) {
          if (v6Contains(r, v6.parts) && visit(r.value, r.text)) return true;
        }
        return false;
      }
      v4 = v6.v4;
    }
    const bucket = this.#v4.get(v4 >>> 24);
    if (bucket) {
      for (const r of bucket) {
        if (((v4 & r.mask) >>> 0) === r.net && visit(r.value, r.text)) return true;
      }
    }
    for (const r of this.#v4Wide) {
      if (((v4 & r.mask) >>> 0) === r.net && visit(r.value, r.text)) return true;
    }
    return false;
  }

  /** Values of every range containing `ip`. */
  valuesOf(ip: string): T[] {
    const out: T[] = [];
    this.some(ip, (v) => {
      out.push(v);
      return false;
    });
    return out;
  }

  has(ip: string): boolean {
    return this.some(ip, () => true);
  }
}

function pushTo<R>(m: Map<number, R[]>, key: number, r: R): void {
  const list = m.get(key);
  if (list) list.push(r);
  else m.set(key, [r]);
}
