/**
 * Splitting a software banner ("OpenSSH_8.1", a browser user agent, a Server header) into a name
 * and major/minor version, for software records.
 */

export interface SoftwareVersion {
  name: string;
  major: string;
  minor: string;
}

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdge?\/(\d+)(?:\.(\d+))?/, "Edge"],
  [/\bOPR\/(\d+)(?:\.(\d+))?/, "Opera"],
  [/\bFirefox\/(\d+)(?:\.(\d+))?/, "Firefox"],
  [/\bChrome\/(\d+)(?:\.(\d+))?/, "Chrome"],
  [/\bVersion\/(\d+)(?:\.(\d+))?.*\bSafari\//, "Safari"],
  [/\bMSIE (\d+)(?:\.(\d+))?/, "MSIE"],
];

/** Name and version of a product string. */
export function parseSoftware(unparsed: string): SoftwareVersion {
  const s = unparsed.trim();
  if (s.startsWith("Mozilla/")) {
    for (const [re, name] of BROWSERS) {
      const m = re.exec(s);
      if (m !== null) return { name, major: m[1] ?? "", minor: m[2] ?? "" };
    }
  }
  const m = /^([A-Za-z][A-Za-z0-9 .+-]*?)[ _/-]v?(\d+)(?:[._](\d+))?/.exec(s);
  if (m !== null) return { name: m[1], major: m[2], minor: m[3] ?? "" };
  const first = s.split(/[\s/(;]/)[0] ?? s;
  return { name: first, major: "", minor: "" };
}

/** The software part of an SSH banner ("SSH-2.0-OpenSSH_8.1" → "OpenSSH_8.1"). */
export function sshSoftware(banner: string): string {
  const m = /^SSH-\d+\.\d+-(.*)$/.exec(banner.trim());
  return m !== null ? m[1] : banner.trim();
}
