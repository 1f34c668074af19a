/**
 * IP ranges indexed by their first IPv4 octet or first IPv6 hextet, so a lookup only tests the
 * handful of ranges that could contain the address instead of every listed range.
 */
import ipaddr from "ipaddr.js";
import { isIpv4 } from "@slips/core";

interface V4Range<T> {
  net: number;
  mask: number;
  bits: number;
  value: T;
}

interface V6Range<T> {
  addr: ipaddr.IPv6;
  bits: number;
  value: T;
  text: string;
}

function v4ToInt(ip: string): number {
  const p = ip.split(".");
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export interface RangeMatch<T> {
  /** The range in CIDR notation. */
  cidr: string;
  value: T;
}

export class CidrIndex<T> {
  readonly #v4 = new Map<number, V4Range<T>[]>();
  readonly #v6 = new Map<number, V6Range<T>[]>();
  /** IPv6 ranges wider than /16 span many hextets; there are few, so they are always tested. */
  readonly #v6Wide: V6Range<T>[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds a canonical CIDR (`net/bits`); returns false when it is not one. */
  add(cidr: string, value: T): boolean {
    const slash = cidr.indexOf("/");
    const addr = cidr.slice(0, slash);
    const bits = Number(cidr.slice(slash + 1));
    if (slash < 0 || !Number.isInteger(bits)) return false;
    if (isIpv4(addr)) {
      if (bits < 0 || bits > 32) return false;
      const mask = maskOf(bits);
      const net = (v4ToInt(addr) & mask) >>> 0;
      const range: V4Range<T> = { net, mask, bits, value };
      // A range wider than /8 is filed under every first octet it covers.
      const first = net >>> 24;
      const span = bits >= 8 ? 1 : 1 << (8 - bits);
      for (let o = first; o < first + span; o++) {
        let list = this.#v4.get(o);
        if (!list) this.#v4.set(o, list = []);
        list.push(range);
      }
      this.#size++;
      return true;
    }
    let parsed: ipaddr.IPv6;
    try {
      parsed = ipaddr.IPv6.parse(addr);
    } catch {
      return false;
    }
    if (bits < 0 || bits > 128) return false;
    const range: V6Range<T> = { addr: parsed, bits, value, text: cidr };
    if (bits < 16) {
      this.#v6Wide.push(range);
    } else {
      const key = parsed.parts[0];
      let list = this.#v6.get(key);
      if (!list) this.#v6.set(key, list = []);
      list.push(range);
    }
    this.#size++;
    return true;
  }

  /** The most specific listed range holding `ip` (a valid address), or undefined. */
  lookup(ip: string): RangeMatch<T> | undefined {
    if (!ip.includes(":")) {
      const n = v4ToInt(ip);
      const list = this.#v4.get(n >>> 24);
      if (!list) return undefined;
      let best: V4Range<T> | undefined;
      for (const r of list) {
        if (((n & r.mask) >>> 0) === r.net && (!best || r.bits > best.bits)) best = r;
      }
      if (!best) return undefined;
      const a = best.net;
      return {
        cidr: `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${best.bits}`,
        value: best.value,
      };
    }
    if (this.#v6.size === 0 && this.#v6Wide.length === 0) return undefined;
    let addr: ipaddr.IPv6;
    try {
      addr = ipaddr.IPv6.parse(ip);
    } catch {
      return undefined;
    }
    let best: V6Range<T> | undefined;
    for (const list of [this.#v6.get(addr.parts[0]) ?? [], this.#v6Wide]) {
      for (const r of list) {
        if (addr.match(r.addr, r.bits) && (!best || r.bits > best.bits)) best = r;
      }
    }
    return best ? { cidr: best.text, value: best.value } : undefined;
  }
}
