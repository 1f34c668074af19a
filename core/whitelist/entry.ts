/**
 * One active line of a whitelist file, and the two small rules every check applies to it: which
 * side of a connection it covers, and whether it suppresses flows, alerts or both.
 */

/** The kinds of value a whitelist line can name (the `IoCType` column). */
export type WhitelistIocType = "ip" | "domain" | "organization" | "mac";

/** The `Direction` column: the side on which the value has to appear. */
export type WhitelistDirection = "src" | "dst" | "both";

/** The `IgnoreType` column: what is suppressed when the value is seen. */
export type WhitelistIgnoreType = "flows" | "alerts" | "both";

/** The side an observed value was on: the flow's source or destination, the evidence direction. */
export type Side = "src" | "dst";

/** What a check is about to suppress: a whole flow, or one evidence. */
export type WhitelistPurpose = "flows" | "alerts";

export interface WhitelistEntry {
  type: WhitelistIocType;
  /**
   * Normalised value: canonical IP text or `net/len` CIDR (host bits cleared), lower-case domain
   * without trailing dot or leading `*.`, lower-case colon-separated MAC, lower-case org name.
   */
  value: string;
  direction: WhitelistDirection;
  ignore: WhitelistIgnoreType;
  /** Where the entry came from, for messages; "" for entries made in code. */
  file: string;
  /** 1-based line number in `file`, 0 for entries made in code. */
  line: number;
}

/** A bad line of a whitelist or organisation file. `message` is a complete sentence. */
export interface WhitelistProblem {
  file: string;
  line: number;
  message: string;
}

export type WhitelistProblemHandler = (problem: WhitelistProblem) => void;

/** `file:line: message`, the shape used when a problem is printed. */
export function formatProblem(p: WhitelistProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

/** Whether an entry with direction `dir` covers a value seen on `side`. */
export function directionCovers(dir: WhitelistDirection, side: Side): boolean {
  return dir === "both" || dir === side;
}

/** Whether an entry with ignore type `ignore` applies to a check made for `purpose`. */
export function ignoreCovers(ignore: WhitelistIgnoreType, purpose: WhitelistPurpose): boolean {
  return ignore === "both" || ignore === purpose;
}

/** Identity of an entry for "the last line wins" and `#` removal: type plus normalised value. */
export function entryKey(type: WhitelistIocType, value: string): string {
  return `${type}|${value}`;
}
