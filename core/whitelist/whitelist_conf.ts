/**
 * Reader of Slips' `whitelist.conf`: CSV lines `IoCType,IoCValue,Direction,IgnoreType`.
 *
 * - All whitespace is removed from a line before it is read; values may be quoted.
 * - The header (first field `IoCType`, quoted or not) and lines starting with `;` are skipped.
 * - A line starting with `#` names an entry to take out of the active set. A `#` line that does
 *   not read as an entry is an ordinary comment.
 * - When several lines name the same value, the last one decides.
 * - `ip` accepts a single address or, beyond Slips, a CIDR range.
 * - Bad lines are reported through the problem handler and skipped.
 */
import {
  entryKey,
  type WhitelistDirection,
  type WhitelistEntry,
  type WhitelistIgnoreType,
  type WhitelistIocType,
  type WhitelistProblem,
  type WhitelistProblemHandler,
} from "./entry.ts";
import { canonicalCidr } from "./ip_range_set.ts";
import { normalizeDomain, normalizeIp, normalizeMac, normalizeOrgName } from "./values.ts";

export interface WhitelistConf {
  /** The active entries, in the order of the line that last set each one. */
  entries: WhitelistEntry[];
  /** Every bad line, also passed to the handler as it is found. */
  problems: WhitelistProblem[];
}

export interface ParseWhitelistOptions {
  /** Name used in problems; defaults to "whitelist.conf". */
  file?: string;
  onProblem?: WhitelistProblemHandler;
}

/** Raised when the whitelist file cannot be read at all. */
export class WhitelistFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WhitelistFileError";
  }
}

const TYPE_ALIASES: Record<string, WhitelistIocType> = {
  ip: "ip",
  domain: "domain",
  organization: "organization",
  organisation: "organization",
  org: "organization",
  mac: "mac",
};

const DIRECTIONS = new Set<string>(["src", "dst", "both"]);
const IGNORE_TYPES = new Set<string>(["flows", "alerts", "both"]);

type LineResult = { entry: Omit<WhitelistEntry, "file" | "line"> } | { error: string };

function unquote(field: string): string {
  if (field.length >= 2) {
    const q = field[0];
    if ((q === '"' || q === "'") && field[field.length - 1] === q) return field.slice(1, -1);
  }
  return field;
}

/** Normal form of `value` for `type`, or an explanation of why it is not one. */
export function normalizeEntryValue(
  type: WhitelistIocType,
  value: string,
): { value: string } | { error: string } {
  switch (type) {
    case "ip": {
      if (value.includes("/")) {
        const cidr = canonicalCidr(value);
        if (cidr === undefined) {
          return { error: `"${value}" is not a valid CIDR range; expected e.g. 10.0.0.0/8.` };
        }
        // A full-length prefix is one address; keep it with the single addresses.
        const [net, len] = cidr.split("/");
        if ((len === "32" && !net.includes(":")) || len === "128") return { value: net };
        return { value: cidr };
      }
      const ip = normalizeIp(value);
      return ip === undefined
        ? { error: `"${value}" is not a valid IP address; expected e.g. 1.2.3.4 or 2001:db8::1.` }
        : { value: ip };
    }
    case "domain": {
      const d = normalizeDomain(value);
      return d === undefined
        ? { error: `"${value}" is not a valid domain name; expected e.g. example.com.` }
        : { value: d };
    }
    case "mac": {
      const m = normalizeMac(value);
      return m === undefined
        ? { error: `"${value}" is not a valid MAC address; expected e.g. aa:bb:cc:dd:ee:ff.` }
        : { value: m };
    }
    case "organization": {
      const o = normalizeOrgName(value);
      return o === undefined
        ? {
          error: `"${value}" is not a valid organisation name; expected a name such as google, ` +
            `microsoft, apple, facebook or twitter.`,
        }
        : { value: o };
    }
  }
}

/** Reads one whitespace-free, non-comment line. */
function readLine(text: string): LineResult {
  const fields = text.split(",").map(unquote);
  while (fields.length > 4 && fields[fields.length - 1] === "") fields.pop();
  if (fields.length !== 4) {
    return {
      error: `Expected 4 comma-separated columns (IoCType,IoCValue,Direction,IgnoreType), ` +
        `but found ${fields.length}.`,
    };
  }
  const [rawType, rawValue, rawDir, rawIgnore] = fields;
  const type = TYPE_ALIASES[rawType.toLowerCase()];
  if (type === undefined) {
    return {
      error: `The IoCType "${rawType}" is not supported; expected ip, domain, organization or mac.`,
    };
  }
  if (rawValue === "") return { error: `The IoCValue column is empty; expected a ${type} value.` };
  const norm = normalizeEntryValue(type, rawValue);
  if ("error" in norm) return norm;
  const direction = rawDir.toLowerCase();
  if (!DIRECTIONS.has(direction)) {
    return { error: `The direction "${rawDir}" is not valid; expected src, dst or both.` };
  }
  const ignore = rawIgnore.toLowerCase();
  if (!IGNORE_TYPES.has(ignore)) {
    return {
      error: `The ignore type "${rawIgnore}" is not valid; expected flows, alerts or both.`,
    };
  }
  return {
    entry: {
      type,
      value: norm.value,
      direction: direction as WhitelistDirection,
      ignore: ignore as WhitelistIgnoreType,
    },
  };
}

/** Parses the text of a whitelist file. Never throws on content. */
export function parseWhitelistConf(
  text: string,
  options: ParseWhitelistOptions = {},
): WhitelistConf {
  const file = options.file ?? "whitelist.conf";
  const problems: WhitelistProblem[] = [];
  const active = new Map<string, WhitelistEntry>();
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    // Whitespace carries no meaning in this format; Slips strips the spaces too.
    const line = lines[i].replace(/^\uFEFF/, "").replace(/\s+/g, "");
    if (line === "" || line.startsWith(";")) continue;
    const lineNo = i + 1;
    if (line.startsWith("#")) {
      const r = readLine(line.replace(/^#+/, ""));
      if ("entry" in r) active.delete(entryKey(r.entry.type, r.entry.value));
      continue;
    }
    if (/^["']?ioctype["']?(,|$)/i.test(line)) continue;
    const r = readLine(line);
    if ("error" in r) {
      const p = { file, line: lineNo, message: r.error };
      problems.push(p);
      options.onProblem?.(p);
      continue;
    }
    const key = entryKey(r.entry.type, r.entry.value);
    // Deleting first moves the key to the end, so the order follows the deciding line.
    active.delete(key);
    active.set(key, { ...r.entry, file, line: lineNo });
  }
  return { entries: [...active.values()], problems };
}

/** Reads and parses a whitelist file. A missing or unreadable file is a WhitelistFileError. */
export async function readWhitelistConf(
  path: string,
  options: ParseWhitelistOptions = {},
): Promise<WhitelistConf> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw fileError(path, e);
  }
  return parseWhitelistConf(text, { file: path, ...options });
}

/** Synchronous variant of readWhitelistConf, for start-up code that cannot await. */
export function readWhitelistConfSync(
  path: string,
  options: ParseWhitelistOptions = {},
): WhitelistConf {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw fileError(path, e);
  }
  return parseWhitelistConf(text, { file: path, ...options });
}

function fileError(path: string, e: unknown): WhitelistFileError {
  if (e instanceof Deno.errors.NotFound) {
    return new WhitelistFileError(
      `The whitelist file ${path} does not exist; create it or point ` +
        `whitelists.local_whitelist_path at an existing file.`,
      { cause: e },
    );
  }
  const why = e instanceof Error ? e.message : String(e);
  return new WhitelistFileError(`The whitelist file ${path} could not be read: ${why}.`, {
    cause: e,
  });
}
