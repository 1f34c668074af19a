/**
 * The feed lists (`TI_feeds.csv`, `JA3_feeds.csv`, `SSL_feeds.csv`): one feed per line as
 * `url,threat_level,tags`, comments with `#` or `;`.
 */
import { isThreatLevel, type ThreatLevel } from "@slips/core";
import { isCommentOrBlank, parseTags } from "./csv_line.ts";
import type { IocTarget } from "./ioc_store.ts";
import { ProblemLog } from "./parse_problem.ts";

export interface FeedSpec {
  url: string;
  threatLevel: ThreatLevel;
  tags: string[];
  /** The list its indicators go to. */
  target: IocTarget;
  /** Short name shown as the evidence source: the file name of the URL. */
  name: string;
}

export interface FeedList {
  feeds: FeedSpec[];
  problems: ProblemLog;
}

/** A threat level written any way the files write it (`"High"`, ` medium`), or undefined. */
export function parseThreatLevel(text: string | undefined): ThreatLevel | undefined {
  const t = (text ?? "").trim().replace(/^['"`]+|['"`]+$/g, "").toLowerCase();
  return isThreatLevel(t) ? t : undefined;
}

/** The feed's file name, which is what users recognise it by. */
export function feedName(url: URL): string {
  const base = url.pathname.split("/").filter((p) => p !== "").pop();
  return base ? `${url.hostname}/${base}` : url.hostname;
}

function isTorFeed(url: string, tags: string[]): boolean {
  if (/torbulkexitlist|exit-addresses/i.test(url)) return true;
  return tags.some((t) => /^tor([ _-]?exit)?([ _-]?nodes?)?$/i.test(t));
}

/** Parses a feed list; `target` says which list its feeds fill (ti, ja3 or ssl). */
export function parseFeedList(text: string, target: IocTarget): FeedList {
  const feeds: FeedSpec[] = [];
  const problems = new ProblemLog();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (isCommentOrBlank(line)) continue;
    const comma = line.indexOf(",");
    const rawUrl = (comma < 0 ? line : line.slice(0, comma)).trim().replace(
      /^['"`]+|['"`]+$/g,
      "",
    );
    let url: URL;
    try {
      url = new URL(rawUrl);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
    } catch {
      problems.add(i + 1, "an http(s) URL, a threat level and tags (url,medium,['tag'])");
      continue;
    }
    const rest = comma < 0 ? "" : line.slice(comma + 1);
    const comma2 = rest.indexOf(",");
    const levelText = comma2 < 0 ? rest : rest.slice(0, comma2);
    const tags = comma2 < 0 ? [] : parseTags(rest.slice(comma2 + 1));
    let level = parseThreatLevel(levelText);
    if (level === undefined) {
      problems.add(i + 1, "a threat level of info, low, medium, high or critical after the URL");
      level = "medium";
    }
    feeds.push({
      url: url.href,
      threatLevel: level,
      tags,
      target: target === "ti" && isTorFeed(url.href, tags) ? "tor" : target,
      name: feedName(url),
    });
  }
  return { feeds, problems };
}

/** The hosts (`host[:port]`) a module needs net permission for to fetch these feeds. */
export function feedHosts(feeds: FeedSpec[]): string[] {
  const hosts = new Set<string>();
  for (const f of feeds) hosts.add(new URL(f.url).host);
  return [...hosts].sort();
}
