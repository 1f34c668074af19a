/**
 * Where the module finds its files and how often it refreshes feeds: the [threatintelligence]
 * config keys, their defaults, and the Deno permissions those defaults need.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ModuleConfig, ModulePermissions } from "@slips/core";
import { feedHosts, parseFeedList } from "./feed_list.ts";
import type { FeedListFile } from "./ti_loader.ts";
import type { IocTarget } from "./ioc_store.ts";

export const SECTION = "threatintelligence";
export const DEFAULT_LOCAL_DIR = "config/local_ti_files/";
export const DEFAULT_TI_FEEDS = "config/TI_feeds.csv";
export const DEFAULT_JA3_FEEDS = "config/JA3_feeds.csv";
export const DEFAULT_SSL_FEEDS = "config/SSL_feeds.csv";
/** The feed cache lives here, under `[parameters] permanent_dir`, so it survives runs. */
export const CACHE_SUBDIR = "threat_intelligence";
export const DEFAULT_PERMANENT_DIR = "permanent";
/** Feeds not confirmed by their server for this long are dropped (Slips drops week-old IoCs). */
export const MAX_FEED_AGE_MS = 7 * 86_400_000;

export interface TiSettings {
  localDir: string;
  feedLists: FeedListFile[];
  cacheDir: string;
  updatePeriodMs: number;
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
    waitForFeeds: config.boolean("wait_for_TI_to_finish", false, SECTION),
  };
}

/**
 * The permissions the default settings need: read the local TI files, the feed lists and the
 * cache; write the cache; reach the hosts named in the shipped feed lists. The module is
 * constructed before the configuration is known, so hosts of feed lists the user points to
 * elsewhere are not covered (those feeds then fail with a message saying so).
 */
export function defaultPermissions(projectRoot: URL): ModulePermissions {
  const net = new Set<string>();
  if (projectRoot.protocol === "file:") {
    const root = fileURLToPath(projectRoot);
    for (
      const [file, target] of [[DEFAULT_TI_FEEDS, "ti"], [DEFAULT_JA3_FEEDS, "ja3"], [
        DEFAULT_SSL_FEEDS,
        "ssl",
      ]] as const
    ) {
      try {
        const list = parseFeedList(Deno.readTextFileSync(join(root, file)), target);
        for (const h of feedHosts(list.feeds)) net.add(h);
      } catch {
        // Missing or unreadable (e.g. inside the worker, which may not read it): no hosts.
      }
    }
  }
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
    net: [...net].sort(),
  };
}
