/**
 * Recognises what kind of indicator a string from a feed or a log holds, and puts it in the one
 * canonical form the IoC store keys on, so the same indicator from two sources meets in one key.
 */
import ipaddr from "ipaddr.js";
import { getPublicSuffix } from "tldts";
import { isIpv4, isIpv6 } from "@slips/core";

export type IocKind =
  | "ip"
  | "cidr"
  | "asn"
  | "domain"
  | "url"
  | "md5"
  | "sha1"
  | "sha256"
  | "jarm";

export interface ClassifiedIoc {
  kind: IocKind;
  /** Canonical form: lower-case domains and hashes, compressed IPv6, `AS<n>`, URL key. */
  value: string;
}

const HEX = /^[0-9a-f]+$/;
const HEX_KIND: Record<number, IocKind> = { 32: "md5", 40: "sha1", 62: "jarm", 64: "sha256" };
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const ASN = /^as\s?(\d{1,10})$/i;
const URL_SCHEME = /^(?:https?|ftp):\/\//i;

/** Strips the quotes, brackets and stray punctuation feeds wrap their values in. */
export function cleanValue(raw: string): string {
  return raw.trim().replace(/^[\s"'`[]+|[\s"'`\]]+$/g, "");
}

/** The canonical text of an IP address (IPv6 compressed, lower case), or undefined. */
const V4_OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const V4 = new RegExp(`^${V4_OCTET}(?:\\.${V4_OCTET}){3}$`);

export function canonicalIp(s: string): string | undefined {
  if (V4.test(s)) return s;
  if (!isIpv6(s)) return undefined;
  try {
    return ipaddr.IPv6.parse(s).toString();
  } catch {
    return undefined;
  }
}

/**
 * The key a URL is stored and looked up under: host (lower case, with a non-default port) plus
 * path and query, without the scheme, so `http://` and `https://` listings meet the traffic's
 * `Host` + URI.
 */
export function urlKey(url: string): string | undefined {
  const text = URL_SCHEME.test(url) ? url : `http://${url}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return undefined;
  }
  if (u.hostname === "") return undefined;
  const path = u.pathname === "/" && u.search === "" ? "" : u.pathname + u.search;
  return `${u.host.toLowerCase()}${path}`;
}

/** A domain name in canonical form (lower case, no trailing dot, no `*.` prefix), or undefined. */
export function canonicalDomain(s: string): string | undefined {
  let d = s.trim().toLowerCase();
  if (d.endsWith(".")) d = d.slice(0, -1);
  if (d.startsWith("*.")) d = d.slice(2);
  else if (d.startsWith(".")) d = d.slice(1);
  if (d.length < 3 || d.length > 253 || !d.includes(".")) return undefined;
  const labels = d.split(".");
  for (const l of labels) if (!LABEL.test(l)) return undefined;
  // An all-digit last label is an IP-like string, not a name.
  if (/^\d+$/.test(labels[labels.length - 1])) return undefined;
  return d;
}

function classifyCidr(s: string): ClassifiedIoc | undefined {
  const slash = s.indexOf("/");
  const addr = s.slice(0, slash);
  const bits = Number(s.slice(slash + 1));
  if (!Number.isInteger(bits) || s.slice(slash + 1).trim() === "") return undefined;
  if (isIpv4(addr)) {
    if (bits < 0 || bits > 32) return undefined;
    if (bits === 32) return { kind: "ip", value: addr };
    const net = ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${bits}`).toString();
    return { kind: "cidr", value: `${net}/${bits}` };
  }
  if (isIpv6(addr)) {
    if (bits < 0 || bits > 128) return undefined;
    if (bits === 128) return { kind: "ip", value: canonicalIp(addr) ?? addr };
    const net = ipaddr.IPv6.networkAddressFromCIDR(`${addr}/${bits}`).toString();
    return { kind: "cidr", value: `${net}/${bits}` };
  }
  return undefined;
}

/** What kind of IoC `raw` is, in canonical form; undefined when it is none we know. */
export function classifyIoc(raw: string): ClassifiedIoc | undefined {
  const s = cleanValue(raw);
  if (s === "" || s.length > 2048) return undefined;
  if (URL_SCHEME.test(s)) {
    const key = urlKey(s);
    return key === undefined ? undefined : { kind: "url", value: key };
  }
  if (s.includes("/")) return classifyCidr(s);
  const ip = canonicalIp(s);
  if (ip !== undefined) return { kind: "ip", value: ip };
  const asn = ASN.exec(s);
  if (asn) return { kind: "asn", value: `AS${Number(asn[1])}` };
  const lower = s.toLowerCase();
  if (HEX.test(lower)) {
    const kind = HEX_KIND[lower.length];
    return kind ? { kind, value: lower } : undefined;
  }
  const domain = canonicalDomain(lower);
  // A public suffix on its own (co.uk, no-ip.org) would match half the internet.
  if (domain !== undefined && getPublicSuffix(domain) !== domain) {
    return { kind: "domain", value: domain };
  }
  return undefined;
}

/** The number of an `AS<n> <org>` string as ip_info caches it, e.g. "AS15169 Google" → "AS15169". */
export function asnOf(text: string): string | undefined {
  const m = /^\s*as\s?(\d+)/i.exec(text);
  return m ? `AS${Number(m[1])}` : undefined;
}
