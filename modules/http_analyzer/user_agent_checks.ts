/**
 * User-agent detections: known-bad user agents, a host switching OS between requests, and an OS
 * that the host's network card vendor cannot run.
 */
import type { OsFamily, UserAgentInfo } from "@slips/core";

/** Substrings of user agents used by malware and exploit tools (log4j `jndi`, OCR bots, …). */
const SUSPICIOUS_SUBSTRINGS = ["httpsend", "chm_msdn", "jndi", "tesseract"];
/**
 * Slips matches `pb` anywhere, which flags "Dropbox" and similar; we require it as a whole token
 * ("pb", "pb/1.0"), which still catches the malware family that sends it.
 */
const SUSPICIOUS_TOKEN = /(?:^|[^a-z0-9])pb(?:[^a-z0-9]|$)/;

/** SUSPICIOUS_USER_AGENT: the UA contains httpsend, chm_msdn, jndi, tesseract or the token pb. */
export function isSuspiciousUserAgent(ua: string): boolean {
  const s = ua.toLowerCase();
  return SUSPICIOUS_SUBSTRINGS.some((k) => s.includes(k)) || SUSPICIOUS_TOKEN.test(s);
}

/** The OS family a MAC vendor sells, for the three families that are vendor-bound. */
export function vendorFamily(vendor: string): OsFamily {
  const v = vendor.toLowerCase();
  if (v.includes("apple")) return "apple";
  if (v.includes("microsoft")) return "windows";
  if (v.includes("google")) return "android";
  return "";
}

const VENDOR_BOUND: ReadonlySet<OsFamily> = new Set(["apple", "windows", "android"]);

/**
 * INCOMPATIBLE_USER_AGENT: Safari from a non-Apple NIC, or a UA of one vendor-bound OS family
 * (Apple / Microsoft / Android-Google) from a NIC of another. Returns why, or undefined.
 */
export function incompatibility(ua: UserAgentInfo, vendor: string): string | undefined {
  const vf = vendorFamily(vendor);
  if (ua.browser.toLowerCase().includes("safari") && vf !== "apple") {
    return "Safari runs only on Apple devices";
  }
  if (vf === "" || !VENDOR_BOUND.has(ua.family) || ua.family === vf) return undefined;
  return `that vendor does not make ${ua.osType} devices`;
}

/**
 * MULTIPLE_USER_AGENT: the new UA names a different OS than the first UA seen for the host.
 * Slips tests whether the first UA's OS words appear in the new string; comparing parsed OS
 * kinds gives the same answer without misreading iPhone strings ("like Mac OS X").
 */
export function isDifferentUserAgent(
  first: { ua: string; info: UserAgentInfo },
  ua: string,
  info: UserAgentInfo,
): boolean {
  if (ua === first.ua) return false;
  return info.osType !== first.info.osType;
}

/** "OS name (browser)" for descriptions, with "unknown" for what the string does not say. */
export function describeAgent(info: UserAgentInfo): string {
  const os = info.osName || info.osType || "unknown OS";
  const br = info.browser
    ? `${info.browser}${info.browserVersion ? ` ${info.browserVersion}` : ""}`
    : "unknown browser";
  return `${os}, ${br}`;
}
