/**
 * Normal forms of the values a whitelist compares, so that `2001:DB8::1`, `AA-BB-CC-DD-EE-FF` and
 * `Example.COM.` find the entries written as `2001:db8::1`, `aa:bb:cc:dd:ee:ff` and `example.com`.
 */
import ipaddr from "ipaddr.js";
import { ipv4ToNumber } from "./ip_range_set.ts";

/** Canonical text of an IP address (IPv4-mapped IPv6 becomes IPv4), or undefined. */
export function normalizeIp(s: string): string | undefined {
  const v4 = ipv4ToNumber(s);
  if (v4 >= 0) return `${v4 >>> 24}.${(v4 >>> 16) & 255}.${(v4 >>> 8) & 255}.${v4 & 255}`;
  if (!s.includes(":")) return undefined;
  const bare = s.includes("%") ? s.slice(0, s.indexOf("%")) : s;
  try {
    const a = ipaddr.IPv6.parse(bare);
    return a.isIPv4MappedAddress() ? a.toIPv4Address().toString() : a.toRFC5952String();
  } catch {
    return undefined;
  }
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Lower-case domain without trailing dot, leading dot or leading `*.` wildcard, or undefined when
 * the text is not a domain name (IP addresses are not domains).
 */
export function normalizeDomain(s: string): string | undefined {
  let d = s.trim().toLowerCase();
  if (d.startsWith("*.")) d = d.slice(2);
  while (d.startsWith(".")) d = d.slice(1);
  while (d.endsWith(".")) d = d.slice(0, -1);
  if (d === "" || d.length > 253) return undefined;
  if (ipv4ToNumber(d) >= 0 || d.includes(":")) return undefined;
  for (const label of d.split(".")) if (!LABEL.test(label)) return undefined;
  return d;
}

const MAC_SEPARATED =
  /^([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})$/;
const MAC_CISCO = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/;

/** Lower-case colon-separated MAC (`aa:bb:cc:dd:ee:ff`), or undefined. */
export function normalizeMac(s: string): string | undefined {
  const m = s.trim().toLowerCase();
  const sep = MAC_SEPARATED.exec(m);
  if (sep) return sep.slice(1).map((g) => g.padStart(2, "0")).join(":");
  const cisco = MAC_CISCO.exec(m);
  if (cisco) {
    const hex = cisco.slice(1).join("");
    return hex.match(/../g)!.join(":");
  }
  return undefined;
}

/** Lower-case organisation name; names are file names, so only letters, digits, `_` and `-`. */
export function normalizeOrgName(s: string): string | undefined {
  const o = s.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9_-]*$/.test(o) ? o : undefined;
}

/** The host part of an HTTP Host header: without port, without IPv6 brackets. */
export function hostOfHttpHost(host: string): string {
  const h = host.trim();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.indexOf(":");
  // More than one colon is a bare IPv6 address, not host:port.
  if (colon >= 0 && h.indexOf(":", colon + 1) < 0) return h.slice(0, colon);
  return h;
}

const CN = /(?:^|[,/])\s*CN\s*=\s*([^,/]+)/i;

/** The common name of an X.509 subject (`CN=a.example.com,O=…` or `/C=US/CN=…`), or "". */
export function commonNameOf(subject: string): string {
  const m = CN.exec(subject);
  return m ? m[1].trim() : "";
}

/** The host of a URL (with or without scheme), or "". */
export function hostOfUrl(url: string): string {
  const u = url.trim();
  const schemeEnd = u.indexOf("://");
  let rest = schemeEnd >= 0 ? u.slice(schemeEnd + 3) : u;
  const at = rest.lastIndexOf("@", rest.search(/[/?#]|$/));
  if (at >= 0) rest = rest.slice(at + 1);
  const end = rest.search(/[/?#]/);
  return hostOfHttpHost(end >= 0 ? rest.slice(0, end) : rest);
}

/** `a.b.example.com`, `b.example.com`, `example.com`, `com`: the domain and every parent. */
export function* domainAndParents(domain: string): Generator<string> {
  let d = domain;
  while (true) {
    yield d;
    const dot = d.indexOf(".");
    if (dot < 0) return;
    d = d.slice(dot + 1);
  }
}
