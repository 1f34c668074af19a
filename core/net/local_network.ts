/**
 * The local network (pipeline.md §6), needed by every check that asks "is this private address
 * one of ours?". For file input it is, in order: the first private CIDR of `client_ips`; else the
 * whole RFC 1918 block of the first private, non-special IPv4 source observed. Every module that
 * feeds the same conn sources in the same order (the order of `new_flow`) reaches the same answer.
 */
import { Cidr, ipRange, isPrivate, rfc1918Block } from "./ip.ts";

/**
 * An IPv4 dotted quad as an unsigned 32-bit number, or -1 when `s` is not one. Hand-parsed: this
 * runs per flow, where ipaddr.js would allocate.
 */
export function ipv4ToInt(s: string): number {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // Leading zeros ("01") are not a dotted quad.
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255 || ++digits > 3) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return n * 256 + octet;
}

/** Range names of ipaddr.js that disqualify a source from defining the local network. */
const SPECIAL = new Set([
  "multicast",
  "linkLocal",
  "loopback",
  "reserved",
  "broadcast",
  "unspecified",
]);

export class LocalNetwork {
  #cidr?: string;
  #start = 0;
  #end = -1;
  #v6?: Cidr;
  /** Set once a network is known: from then on observe() is a single branch. */
  #settled = false;

  /** `clientIps` is `parameters.client_ips`; its first private CIDR, if any, wins. */
  constructor(clientIps: readonly string[] = []) {
    for (const entry of clientIps) {
      const text = entry.trim();
      const slash = text.indexOf("/");
      if (slash < 0) continue;
      if (!isPrivate(text.slice(0, slash))) continue;
      try {
        this.set(text);
        return;
      } catch {
        // A malformed entry is the config loader's to report; try the next one.
      }
    }
  }

  /** Fixes the network explicitly (live input: the interface's address/netmask). */
  set(cidr: string): void {
    const parsed = new Cidr(cidr);
    this.#cidr = parsed.text;
    if (parsed.kind === "ipv4") {
      const [net, bits] = parsed.text.split("/");
      const prefix = Number(bits);
      const size = 2 ** (32 - prefix);
      // Normalise a host address written with its prefix (10.1.2.3/8) to the network start.
      this.#start = Math.floor(ipv4ToInt(net) / size) * size;
      this.#end = this.#start + size - 1;
      this.#v6 = undefined;
    } else {
      this.#v6 = parsed;
      this.#end = -1;
    }
    this.#settled = true;
  }

  /** Feeds one flow source; the first private non-special IPv4 one fixes the network. */
  observe(saddr: string): void {
    if (this.#settled) return;
    if (ipv4ToInt(saddr) < 0) return;
    const r = ipRange(saddr);
    if (SPECIAL.has(r) || !isPrivate(saddr)) return;
    const block = rfc1918Block(saddr);
    if (block !== undefined) this.set(block);
  }

  /** The network as a CIDR, or undefined while none is known. */
  get cidr(): string | undefined {
    return this.#cidr;
  }

  get known(): boolean {
    return this.#settled;
  }

  /** Whether `ip` lies inside the local network; false while none is known. */
  contains(ip: string): boolean {
    if (!this.#settled) return false;
    if (this.#v6) return this.#v6.contains(ip);
    const n = ipv4ToInt(ip);
    return n >= this.#start && n <= this.#end;
  }
}
