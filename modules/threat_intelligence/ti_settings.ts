/**
 * Where the module finds its files and how often it refreshes feeds: the [threatintelligence]
 * config keys, their defaults, and the Deno permissions those defaults need.
 */
import { join, resolve } from "node:path";
import type { ModuleConfig, ModulePermissions } from "@slips/core";
import type { FeedListFile } from "./ti_loader.ts";
import type { IocTarget } from "./ioc_store.ts";

export const SECTION = "threatintelligence";
export const DEFAULT_LOCAL_DIR = "config/local_ti_files/";
export const DEFAULT_TI_FEEDS = "config/TI_feeds.csv";
export const DEFAULT_JA3_FEEDS = "config/JA3_feeds.csv";
export const DEFAULT_SSL_FEEDS = "config/SSL_feeds.csv";
/**
 * The feed cache lives in `<home>/permanent/threat_intelligence/` (Slips' "permanent" dir for
 * data kept across runs; `[parameters] permanent_dir` moves it when the config schema has it).
 */
export const CACHE_SUBDIR = "threat_intelligence";
export const DEFAULT_PERMANENT_DIR = "permanent";
/** With downloads on, feeds not confirmed for this long are dropped (Slips drops week-old IoCs). */
export const MAX_FEED_AGE_MS = 7 * 86_400_000;

export interface TiSettings {
  localDir: string;
  feedLists: FeedListFile[];
  cacheDir: string;
  updatePeriodMs: number;
  /** Off: no network at all, feeds come only from the cache. */
  downloadFeeds: boolean;
  waitForFeeds: boolean;
}

/** Reads the settings, resolving relative paths against the project (or executable) dir. */
export function readSettings(config: ModuleConfig, homeDir: string): TiSettings {
  const path = (key: string, fallback: string, section = SECTION) => {
    const v = config.get(key, section)?.trim();
    return resolve(homeDir, v ? v : fallback);
  };
  // A feed-list key set to nothing turns that kind of feed off.
  const list = (key: string, fallback: string, target: IocTarget): FeedListFile[] => {
    const v = config.get(key, SECTION);
    if (v !== undefined && v.trim().replace(/^['"]|['"]$/g, "") === "") return [];
    return [{ path: path(key, fallback), target }];
  };
  return {
    localDir: path("local_threat_intelligence_files", DEFAULT_LOCAL_DIR),
    feedLists: [
      ...list("ti_files", DEFAULT_TI_FEEDS, "ti"),
      ...list("ja3_feeds", DEFAULT_JA3_FEEDS, "ja3"),
      ...list("ssl_feeds", DEFAULT_SSL_FEEDS, "ssl"),
    ],
    cacheDir: join(path("permanent_dir", DEFAULT_PERMANENT_DIR, "parameters"), CACHE_SUBDIR),
    updatePeriodMs: Math.max(60, config.number("TI_files_update_period", 86_400, SECTION)) * 1000,
    downloadFeeds: config.boolean("download_feeds", false, SECTION),
    waitForFeeds: config.boolean("wait_for_TI_to_finish", false, SECTION),
  };
}

/**
 * Hosts of the feeds in the shipped feed lists (config/*_feeds.csv). The host learns a module's
 * permissions before any configuration or file is readable, so they are listed here; a test
 * keeps this list equal to the shipped files. Feeds on other hosts fail with a message naming
 * the host to add.
 */
export const SHIPPED_FEED_HOSTS: readonly string[] = [
  "check.torproject.org",
  "feodotracker.abuse.ch",
  "hole.cert.pl",
  "lists.blocklist.de",
  "mcfp.felk.cvut.cz",
  "osint.digitalside.it",
  "raw.githubusercontent.com",
  "rules.emergingthreats.net",
  "sslbl.abuse.ch",
  "urlhaus.abuse.ch",
  "www.spamhaus.org",
];

/**
 * What the module needs with the default settings: read the local TI files, the feed lists and
 * the cache; write the cache; reach the hosts of the shipped feeds (used only when
 * `download_feeds` is on).
 */
export function defaultPermissions(): ModulePermissions {
  const cache = `${DEFAULT_PERMANENT_DIR}/${CACHE_SUBDIR}`;
  return {
    read: [
      DEFAULT_LOCAL_DIR.replace(/\/$/, ""),
      DEFAULT_TI_FEEDS,
      DEFAULT_JA3_FEEDS,
      DEFAULT_SSL_FEEDS,
      cache,
    ],
    write: [cache],
    net: [...SHIPPED_FEED_HOSTS],
  };
}
