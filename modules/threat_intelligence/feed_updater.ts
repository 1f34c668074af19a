/**
 * Brings the cached copy of each feed up to date: feeds confirmed within the update period are
 * left alone; the others are asked for with conditional requests (If-None-Match /
 * If-Modified-Since), so an unchanged feed costs one 304 instead of a download.
 */
import type { CachedFeedMeta, FeedCache } from "./feed_cache.ts";
import type { FeedSpec } from "./feed_list.ts";

export type FeedStatus =
  /** Confirmed within the update period; not asked. */
  | "fresh"
  /** Downloaded: new or changed content. */
  | "updated"
  /** The server said 304: the cached copy is current. */
  | "not-modified"
  /** No answer (no network, DNS failure, refused, timed out). */
  | "unreachable"
  /** An answer that is not usable (HTTP error, permission denied, unreadable body). */
  | "failed";

export interface FeedOutcome {
  feed: FeedSpec;
  status: FeedStatus;
  /** Why it failed or was unreachable. */
  detail?: string;
}

export interface RefreshOptions {
  /** Feeds confirmed less than this long ago are not asked for again (ms). */
  periodMs: number;
  /** Per-request time limit (ms). */
  timeoutMs?: number;
  /** Aborts every request in flight (used at shutdown). */
  signal?: AbortSignal;
  concurrency?: number;
  now?: () => number;
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.message || e.name) : String(e);
}

/** Refreshes one feed's cached copy; never throws. */
export async function refreshFeed(
  feed: FeedSpec,
  cache: FeedCache,
  opts: RefreshOptions,
): Promise<FeedOutcome> {
  const now = opts.now ?? Date.now;
  const meta = await cache.readMeta(feed.url);
  const hasData = meta !== undefined && await cache.hasData(feed.url);
  if (meta && hasData && now() - meta.checkedAt < opts.periodMs) return { feed, status: "fresh" };
  const headers = new Headers({ "user-agent": "slips-deno threat_intelligence" });
  if (meta && hasData) {
    if (meta.etag) headers.set("if-none-match", meta.etag);
    if (meta.lastModified) headers.set("if-modified-since", meta.lastModified);
  }
  const signals = [AbortSignal.timeout(opts.timeoutMs ?? 60_000)];
  if (opts.signal) signals.push(opts.signal);
  let res: Response;
  try {
    res = await fetch(feed.url, { headers, signal: AbortSignal.any(signals), redirect: "follow" });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return {
        feed,
        status: "failed",
        detail: `this module has no network permission for ${new URL(feed.url).host}`,
      };
    }
    return { feed, status: "unreachable", detail: errorText(e) };
  }
  try {
    if (res.status === 304 && meta && hasData) {
      await res.body?.cancel();
      const next: CachedFeedMeta = {
        ...meta,
        etag: res.headers.get("etag") ?? meta.etag,
        lastModified: res.headers.get("last-modified") ?? meta.lastModified,
        checkedAt: now(),
      };
      await cache.writeMeta(next);
      return { feed, status: "not-modified" };
    }
    if (!res.ok) {
      await res.body?.cancel();
      return { feed, status: "failed", detail: `the server answered HTTP ${res.status}` };
    }
    const body = await res.text();
    const t = now();
    await cache.store({
      url: feed.url,
      etag: res.headers.get("etag") ?? undefined,
      lastModified: res.headers.get("last-modified") ?? undefined,
      checkedAt: t,
      changedAt: t,
      bytes: body.length,
    }, body);
    return { feed, status: "updated" };
  } catch (e) {
    if (opts.signal?.aborted) return { feed, status: "unreachable", detail: "stopped" };
    return { feed, status: "failed", detail: errorText(e) };
  }
}

/** Refreshes every feed, a few at a time, in list order of the results. */
export async function refreshFeeds(
  feeds: FeedSpec[],
  cache: FeedCache,
  opts: RefreshOptions,
): Promise<FeedOutcome[]> {
  const out: FeedOutcome[] = new Array(feeds.length);
  let next = 0;
  const worker = async () => {
    while (next < feeds.length && !opts.signal?.aborted) {
      const i = next++;
      out[i] = await refreshFeed(feeds[i], cache, opts);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, feeds.length));
  await Promise.all(Array.from({ length: n }, worker));
  for (let i = 0; i < feeds.length; i++) {
    out[i] ??= { feed: feeds[i], status: "unreachable", detail: "stopped" };
  }
  return out;
}
