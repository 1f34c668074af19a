/**
 * Address classification shared by the profiler and every module. Results are memoised because
 * the same few thousand addresses come back millions of times.
 */
import ipaddr from "ipaddr.js";

export type IpRange =
  | "unicast"
  | "private"
  | "loopback"
  | "linkLocal"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "unspecified"
  | "carrierGradeNat"
  | "uniqueLocal"
  | "invalid"
  | string;

const rangeCache = new Map<string, IpRange>();
const MAX_CACHE = 200_000;

/** ipaddr.js's range name of an address, or "invalid" when it is not an IP. */
export function ipRange(ip: string): IpRange {
  let r = rangeCache.get(ip);
  if (r !== undefined) return r;
  if (!ipaddr.isValid(ip)) {
    r = "invalid";
  } else {
    let addr = ipaddr.parse(ip);
    if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      addr = (addr as ipaddr.IPv6).toIPv4Address();
    }
    r = addr.range();
  }
  if (rangeCache.size >= MAX_CACHE) rangeCache.clear();
  rangeCache.set(ip, r);
  return r;
}

export function isIp(s: string): boolean {
  return s !== "" && ipRange(s) !== "invalid";
}

export function isIpv4(s: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(s);
}

export function isIpv6(s: string): boolean {
  return s.includes(":") && ipaddr.IPv6.isValid(s);
}

/** Slips' "private": RFC 1918, loopback, link-local, ULA, CGNAT, documentation, 240/4, … */
export function isPrivate(ip: string): boolean {
  return isPrivateRange(ipRange(ip));
}

/** isPrivate for an already computed range, so per-flow code classifies each address once. */
export function isPrivateRange(r: IpRange): boolean {
  return r !== "unicast" && r !== "multicast" && r !== "broadcast" && r !== "invalid" &&
    r !== "unspecified" && r !== "ipv4Mapped";
}

/** RFC 1918 and IPv6 unique-local: the addresses of a local network. */
export function isRfc1918(ip: string): boolean {
  const r = ipRange(ip);
  return r === "private" || r === "uniqueLocal";
}

export function isMulticast(ip: string): boolean {
  return ipRange(ip) === "multicast";
}

export function isBroadcast(ip: string): boolean {
  return ipRange(ip) === "broadcast";
}

export function isLinkLocal(ip: string): boolean {
  return ipRange(ip) === "linkLocal";
}

export function isLoopback(ip: string): boolean {
  return ipRange(ip) === "loopback";
}

export function isReserved(ip: string): boolean {
  const r = ipRange(ip);
  return r === "reserved" || r === "broadcast" || r === "unspecified";
}

/** Public, routable unicast. */
export function isGlobal(ip: string): boolean {
  return ipRange(ip) === "unicast";
}

/** A parsed CIDR that answers `contains` quickly. */
export class Cidr {
  readonly text: string;
  readonly #range: [ipaddr.IPv4 | ipaddr.IPv6, number];

  constructor(text: string) {
    this.text = text.trim();
    try {
      this.#range = this.text.includes("/") ? ipaddr.parseCIDR(this.text) : (() => {
        const a = ipaddr.parse(this.text);
        return [a, a.kind() === "ipv4" ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
      })();
    } catch {
      throw new Error(`"${text}" is not an IP address or CIDR range (expected e.g. 10.0.0.0/8).`);
    }
  }

  get kind(): "ipv4" | "ipv6" {
    return this.#range[0].kind();
  }

  contains(ip: string): boolean {
    if (!ipaddr.isValid(ip)) return false;
    const a = ipaddr.parse(ip);
    if (a.kind() !== this.#range[0].kind()) return false;
    return a.match(this.#range);
  }
}

/** The RFC 1918 block an IPv4 address belongs to, as Slips infers the local network. */
export function rfc1918Block(ip: string): string | undefined {
  if (!isIpv4(ip)) return undefined;
  if (ip.startsWith("10.")) return "10.0.0.0/8";
  if (ip.startsWith("192.168.")) return "192.168.0.0/16";
  const second = Number(ip.split(".")[1]);
  if (ip.startsWith("172.") && second >= 16 && second <= 31) return "172.16.0.0/12";
  return undefined;
}
