/**
 * Builds the IoC store from the user's local files and the cached copies of the feeds. Reading
 * is separate from downloading so the store can be (re)built offline, from whatever is cached.
 */
import { join } from "node:path";
import type { FeedCache } from "./feed_cache.ts";
import { type FeedSpec, parseFeedList } from "./feed_list.ts";
import { parseFeed } from "./feed_parser.ts";
import type { IocEntry, IocStore, IocTarget } from "./ioc_store.ts";
import {
  KNOWN_FP_MD5_FILE,
  OWN_IOCS_FILE,
  OWN_JA3_FILE,
  OWN_JARM_FILE,
  parseKnownFpHashes,
  parseLocalIocFile,
} from "./local_files.ts";

export interface FeedListFile {
  path: string;
  target: IocTarget;
}

export interface LoadResult<T> {
  value: T;
  /** Sentences for the user: unreadable lines, missing files, dropped feeds. */
  notices: string[];
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

function readFailure(path: string, e: unknown): string {
  const why = e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
    ? "the threat_intelligence module may only read config/local_ti_files/ and the config/*_feeds.csv lists; keep the file there"
    : e instanceof Error
    ? e.message
    : String(e);
  return `Could not read ${path}: ${why}.`;
}

/** Reads every feed list; a missing list is reported and contributes no feeds. */
export async function readFeedLists(files: FeedListFile[]): Promise<LoadResult<FeedSpec[]>> {
  const feeds: FeedSpec[] = [];
  const notices: string[] = [];
  for (const f of files) {
    let text: string | undefined;
    try {
      text = await readText(f.path);
    } catch (e) {
      notices.push(readFailure(f.path, e));
      continue;
    }
    if (text === undefined) {
      notices.push(`The feed list ${f.path} does not exist; no feeds are taken from it.`);
      continue;
    }
    const list = parseFeedList(text, f.target);
    const problems = list.problems.describe(f.path);
    if (problems) notices.push(problems);
    feeds.push(...list.feeds);
  }
  return { value: feeds, notices };
}

const LOCAL_FILES: [string, IocTarget][] = [
  [OWN_IOCS_FILE, "ti"],
  [OWN_JA3_FILE, "ja3"],
  [OWN_JARM_FILE, "jarm"],
];

/** Adds the own_malicious_* files and the known-false-positive hashes to the store. */
export async function loadLocalFiles(store: IocStore, dir: string): Promise<string[]> {
  const notices: string[] = [];
  for (const [name, target] of LOCAL_FILES) {
    const path = join(dir, name);
    let text: string | undefined;
    try {
      text = await readText(path);
    } catch (e) {
      notices.push(readFailure(path, e));
      continue;
    }
    if (text === undefined) continue;
    const parsed = parseLocalIocFile(text, name, target);
    for (const { ioc, entry } of parsed.iocs) store.add(ioc, entry, target);
    const problems = parsed.problems.describe(path);
    if (problems) notices.push(problems);
  }
  const fpPath = join(dir, KNOWN_FP_MD5_FILE);
  try {
    const text = await readText(fpPath);
    if (text !== undefined) {
      const fp = parseKnownFpHashes(text);
      for (const h of fp.hashes) store.knownFpMd5.add(h);
      const problems = fp.problems.describe(fpPath);
      if (problems) notices.push(problems);
    }
  } catch (e) {
    notices.push(readFailure(fpPath, e));
  }
  return notices;
}

export interface CachedFeedsReport {
  /** Feeds whose cached copy went into the store. */
  loaded: number;
  /** Feeds never downloaded yet. */
  missing: string[];
  /** Feeds whose copy was older than the maximum age and was left out. */
  expired: string[];
}

/** Adds every feed's cached copy that is not older than `maxAgeMs` to the store. */
export async function loadCachedFeeds(
  store: IocStore,
  feeds: FeedSpec[],
  cache: FeedCache,
  maxAgeMs: number,
  now: number,
): Promise<LoadResult<CachedFeedsReport>> {
  const report: CachedFeedsReport = { loaded: 0, missing: [], expired: [] };
  const notices: string[] = [];
  for (const feed of feeds) {
    const meta = await cache.readMeta(feed.url);
    const text = meta ? await cache.readData(feed.url) : undefined;
    if (!meta || text === undefined) {
      report.missing.push(feed.name);
      continue;
    }
    if (now - meta.checkedAt > maxAgeMs) {
      report.expired.push(feed.name);
      continue;
    }
    const parsed = parseFeed(text, feed.target);
    const shared: IocEntry = {
      threatLevel: feed.threatLevel,
      description: "",
      source: feed.name,
      tags: feed.tags,
    };
    let added = 0;
    for (const item of parsed.items) {
      const entry = item.description === "" ? shared : { ...shared, description: item.description };
      if (store.add(item.ioc, entry, feed.target)) added++;
    }
    if (added === 0 && text.trim() !== "") {
      notices.push(
        `The feed ${feed.url} held no indicators this module can use (read as ${parsed.layout}).`,
      );
    }
    report.loaded++;
    // Parsing a large feed blocks; let queued messages through between feeds.
    await new Promise((r) => setTimeout(r, 0));
  }
  return { value: report, notices };
}
