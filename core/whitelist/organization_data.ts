/**
 * What we know about an organisation that can be whitelisted as a whole: its autonomous systems,
 * its address ranges and its domains. One text file per organisation, `<name>.txt`, in
 * `config/organizations/`:
 *
 *     # free comment
 *     [asn]
 *     AS15169 GOOGLE          number, optionally followed by the AS name
 *     [asn-names]
 *     MSFT                    an AS name of the organisation that does not start with its name
 *     [ranges]
 *     8.8.8.0/24              IPv4 or IPv6 CIDR
 *     [domains]
 *     google.com              covers its subdomains
 */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { WhitelistProblem, WhitelistProblemHandler } from "./entry.ts";
import { canonicalCidr } from "./ip_range_set.ts";
import { normalizeDomain } from "./values.ts";

export interface OrganizationData {
  /** Lower-case name, as written in whitelist.conf. */
  name: string;
  /** AS number → AS name ("" when the file gives none). */
  asns: Map<number, string>;
  /** Upper-case AS names that mark the organisation (besides names starting with its name). */
  asNames: string[];
  /** Canonical CIDRs. */
  ranges: string[];
  /** Normalised domains. */
  domains: string[];
}

/** The organisations whose data ships with the program. */
export const SHIPPED_ORGANIZATIONS: readonly string[] = [
  "google",
  "microsoft",
  "apple",
  "facebook",
  "twitter",
];

/** `config/organizations/` of this checkout. */
export const DEFAULT_ORGANIZATIONS_DIR: string = resolve(
  fileURLToPath(new URL(".", import.meta.url)),
  "../../config/organizations",
);

export interface OrganizationFileOptions {
  file?: string;
  onProblem?: WhitelistProblemHandler;
}

type Section = "asn" | "asn-names" | "ranges" | "domains";
const SECTIONS = new Set<string>(["asn", "asn-names", "ranges", "domains"]);
const SECTION_LIST = "[asn], [asn-names], [ranges] or [domains]";
const ASN_LINE = /^(?:AS)?(\d{1,10})(?:\s+(.+))?$/i;

/** Parses the text of one organisation file; bad lines are reported and skipped. */
export function parseOrganizationFile(
  name: string,
  text: string,
  options: OrganizationFileOptions = {},
): OrganizationData {
  const file = options.file ?? `${name}.txt`;
  const org: OrganizationData = { name, asns: new Map(), asNames: [], ranges: [], domains: [] };
  const report = (line: number, message: string) => {
    const p: WhitelistProblem = { file, line, message };
    options.onProblem?.(p);
  };
  let section: Section | undefined;
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const lineNo = i + 1;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      const s = header[1].trim().toLowerCase();
      if (SECTIONS.has(s)) section = s as Section;
      else {
        section = undefined;
        report(
          lineNo,
          `The section [${header[1]}] is unknown; expected ${SECTION_LIST}.`,
        );
      }
      continue;
    }
    if (section === undefined) {
      report(
        lineNo,
        `This line is outside a known section; expected it under ${SECTION_LIST}.`,
      );
      continue;
    }
    if (section === "asn") {
      const m = ASN_LINE.exec(line);
      if (!m) {
        report(lineNo, `"${line}" is not an AS number; expected e.g. AS15169 or AS15169 GOOGLE.`);
        continue;
      }
      org.asns.set(Number(m[1]), (m[2] ?? "").trim().toUpperCase());
    } else if (section === "asn-names") {
      org.asNames.push(line.toUpperCase());
    } else if (section === "ranges") {
      const cidr = canonicalCidr(
        line.includes("/") ? line : `${line}/${line.includes(":") ? 128 : 32}`,
      );
      if (cidr === undefined) {
        report(
          lineNo,
          `"${line}" is not a CIDR range; expected e.g. 8.8.8.0/24 or 2001:4860::/32.`,
        );
        continue;
      }
      org.ranges.push(cidr);
    } else {
      const d = normalizeDomain(line);
      if (d === undefined) {
        report(lineNo, `"${line}" is not a domain name; expected e.g. google.com.`);
        continue;
      }
      org.domains.push(d);
    }
  }
  return org;
}

/** Path of the data file of `name` in `dir`. */
export function organizationFile(dir: string, name: string): string {
  return resolve(dir, `${name}.txt`);
}

/**
 * Loads the data file of `name` from `dir`. Returns undefined, after reporting why, when the
 * organisation has no data file.
 */
export function loadOrganizationSync(
  dir: string,
  name: string,
  onProblem?: WhitelistProblemHandler,
): OrganizationData | undefined {
  const path = organizationFile(dir, name);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "it does not exist" : String(e);
    onProblem?.({
      file: path,
      line: 0,
      message: `The organisation "${name}" has no usable data file (${why}); expected ${path} ` +
        `with [asn], [ranges] and [domains] sections. Entries naming it match nothing.`,
    });
    return undefined;
  }
  return parseOrganizationFile(name, text, { file: path, onProblem });
}

/** Names of the organisations that have a data file in `dir`. */
export function listOrganizations(dir: string = DEFAULT_ORGANIZATIONS_DIR): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".txt"))
      .map((f) => f.slice(0, -4).toLowerCase())
      .sort();
  } catch {
    return [];
  }
}
