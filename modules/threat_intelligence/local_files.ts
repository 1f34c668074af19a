/**
 * The user's own TI files in Slips' formats, from `local_threat_intelligence_files`:
 * - own_malicious_iocs.csv: `IoC,threat level,description[,tags…]` where the IoC is an IP, a
 *   CIDR range, a domain, an ASN (`AS123`), a URL or a file hash (md5/sha1/sha256);
 * - own_malicious_JA3.csv: `"ja3","threat level","description"`;
 * - own_malicious_JARM.csv: `jarm,threat level,description`;
 * - known_fp_md5_hashes.csv: `description, md5`, hashes never to report.
 */
import type { ThreatLevel } from "@slips/core";
import { isCommentOrBlank, splitCsvLine } from "./csv_line.ts";
import { type ClassifiedIoc, classifyIoc, type IocKind } from "./ioc_kind.ts";
import type { IocEntry, IocTarget } from "./ioc_store.ts";
import { parseThreatLevel } from "./feed_list.ts";
import { ProblemLog } from "./parse_problem.ts";

export const OWN_IOCS_FILE = "own_malicious_iocs.csv";
export const OWN_JA3_FILE = "own_malicious_JA3.csv";
export const OWN_JARM_FILE = "own_malicious_JARM.csv";
export const KNOWN_FP_MD5_FILE = "known_fp_md5_hashes.csv";

export interface LocalIoc {
  ioc: ClassifiedIoc;
  entry: IocEntry;
}

export interface LocalFile {
  iocs: LocalIoc[];
  problems: ProblemLog;
}

const ACCEPTED: Record<IocTarget, ReadonlySet<IocKind>> = {
  ti: new Set(["ip", "cidr", "asn", "domain", "url", "md5", "sha1", "sha256"]),
  ja3: new Set(["md5"]),
  jarm: new Set(["jarm"]),
  ssl: new Set(["sha1"]),
  tor: new Set(["ip"]),
};

const EXPECTED: Record<IocTarget, string> = {
  ti: "an IP, CIDR range, domain, ASN (AS123), URL or file hash, then a threat level",
  ja3: "a 32-character JA3 hash, then a threat level",
  jarm: "a 62-character JARM hash, then a threat level",
  ssl: "a 40-character certificate SHA1, then a threat level",
  tor: "an IP address",
};

/** The level a line without one gets: medium for addresses, high for domains (as Slips). */
export function defaultLevel(kind: IocKind): ThreatLevel {
  return kind === "domain" ? "high" : "medium";
}

/** Parses one of the own_malicious_*.csv files into indicators for list `target`. */
export function parseLocalIocFile(text: string, source: string, target: IocTarget): LocalFile {
  const iocs: LocalIoc[] = [];
  const problems = new ProblemLog();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (isCommentOrBlank(lines[i])) continue;
    const [value = "", levelText, description = "", ...tags] = splitCsvLine(lines[i]);
    const ioc = classifyIoc(value);
    if (!ioc || !ACCEPTED[target].has(ioc.kind)) {
      problems.add(i + 1, EXPECTED[target]);
      continue;
    }
    let level = parseThreatLevel(levelText);
    if (level === undefined) {
      if (levelText !== undefined && levelText.trim() !== "") {
        problems.add(i + 1, "a threat level of info, low, medium, high or critical");
      }
      level = defaultLevel(ioc.kind);
    }
    iocs.push({
      ioc,
      entry: { threatLevel: level, description, source, tags: tags.filter((t) => t !== "") },
    });
  }
  return { iocs, problems };
}

/** Parses known_fp_md5_hashes.csv: the md5 is the last field (descriptions contain commas). */
export function parseKnownFpHashes(text: string): { hashes: Set<string>; problems: ProblemLog } {
  const hashes = new Set<string>();
  const problems = new ProblemLog();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (isCommentOrBlank(lines[i])) continue;
    const last = lines[i].slice(lines[i].lastIndexOf(",") + 1).trim().toLowerCase();
    if (/^[0-9a-f]{32}$/.test(last)) hashes.add(last);
    else problems.add(i + 1, "a description, a comma and a 32-character MD5");
  }
  return { hashes, problems };
}
