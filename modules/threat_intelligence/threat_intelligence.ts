/**
 * Threat intelligence: matches every address, name, URL, fingerprint and file hash in the traffic
 * against the user's local IoC files and downloaded feeds (cached on disk, refreshed on a
 * schedule with conditional requests, used from the cache when offline).
 */
import {
  type ChannelMessage,
  type CoreChannel,
  type FlowRecord,
  isIp,
  Module,
  type ModulePermissions,
  type Profiled,
} from "@slips/core";
import { FeedCache } from "./feed_cache.ts";
import type { FeedSpec } from "./feed_list.ts";
import { type FeedOutcome, refreshFeeds } from "./feed_updater.ts";
import { IocStore } from "./ioc_store.ts";
import { asnOf } from "./ioc_kind.ts";
import { blacklistedAsn } from "./ip_evidence.ts";
import {
  checkConn,
  checkDns,
  checkFile,
  checkHttp,
  checkSsl,
  type Finding,
  isLookupWorthy,
} from "./record_checks.ts";
import { loadCachedFeeds, loadLocalFiles, readFeedLists } from "./ti_loader.ts";
import {
  defaultPermissions,
  MAX_FEED_AGE_MS,
  readSettings,
  type TiSettings,
} from "./ti_settings.ts";
import { PendingPerWindow, WindowDedupe } from "./window_dedupe.ts";

/** An IP whose AS ip_info has not cached yet is asked again after this much traffic time. */
const ASN_RETRY_S = 60;
const ASN_MEMO_LIMIT = 100_000;
/** IPs per window kept for a second AS look at window close; more are not re-checked. */
const PENDING_ASN_PER_WINDOW = 5_000;
/** setInterval cannot wait longer than 2^31-1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

interface PendingAsn {
  rec: Profiled<FlowRecord>;
  dnsQuery: string | undefined;
}

interface AsnMemo {
  text?: string;
  askedAt: number;
}

export default class ThreatIntelligence extends Module {
  readonly name = "threat_intelligence";
  readonly description =
    "Matches IPs, ranges, ASNs, domains, URLs, JA3/JA3S, certificates and file hashes against local IoC files and downloaded feeds.";
  readonly authors = ["Slips for Deno contributors"];
  override readonly channels: readonly CoreChannel[] = [
    "new_flow",
    "new_dns",
    "new_http",
    "new_ssl",
    "new_downloaded_file",
    "tw_closed",
  ];
  override readonly permissions: ModulePermissions = defaultPermissions();

  #settings!: TiSettings;
  #cache!: FeedCache;
  #feeds: FeedSpec[] = [];
  #store = new IocStore();
  #dedupe = new WindowDedupe();
  #asn = new Map<string, AsnMemo>();
  #pendingAsn = new PendingPerWindow<PendingAsn>(PENDING_ASN_PER_WINDOW);
  #abort = new AbortController();
  #timer: ReturnType<typeof setInterval> | undefined;
  #refreshing: Promise<void> | undefined;
  #offlineNoticeShown = false;

  override async init(): Promise<void> {
    this.#settings = readSettings(this.config, this.context.homeDir);
    this.#cache = new FeedCache(this.#settings.cacheDir);
    const lists = await readFeedLists(this.#settings.feedLists);
    for (const n of lists.notices) this.print(n, 1, 0);
    this.#feeds = lists.value;
    await this.#rebuild("start");
    if (!this.#settings.downloadFeeds) {
      if (this.#feeds.length > 0) {
        this.print(
          "Feed downloads are off ([threatintelligence] download_feeds = no); feeds are taken from the cache only.",
          2,
          0,
        );
      }
      return;
    }
    const first = this.#refresh();
    if (this.#settings.waitForFeeds) await first;
    else this.#refreshing = first.finally(() => this.#refreshing = undefined);
    if (this.#feeds.length > 0) {
      const ms = Math.min(this.#settings.updatePeriodMs, MAX_TIMER_MS);
      this.#timer = setInterval(() => {
        if (this.#refreshing) return;
        this.#refreshing = this.#refresh().finally(() => this.#refreshing = undefined);
      }, ms);
    }
  }

  /** Builds a new store from the local files and the cached feeds, then swaps it in. */
  async #rebuild(when: string): Promise<void> {
    const store = new IocStore();
    for (const n of await loadLocalFiles(store, this.#settings.localDir)) this.print(n, 1, 0);
    // Without downloads the cache cannot be refreshed, so its age is no reason to drop it.
    const maxAge = this.#settings.downloadFeeds ? MAX_FEED_AGE_MS : Number.POSITIVE_INFINITY;
    const cached = await loadCachedFeeds(store, this.#feeds, this.#cache, maxAge, Date.now());
    for (const n of cached.notices) this.print(n, 2, 0);
    if (cached.value.expired.length > 0) {
      this.print(
        `Left out ${cached.value.expired.length} feed(s) whose cached copy was not confirmed for over 7 days: ${
          cached.value.expired.join(", ")
        }.`,
        1,
        0,
      );
    }
    this.#store = store;
    const c = store.counts();
    this.print(
      `Threat intelligence (${when}): ${store.total} IoCs from the local files and ${cached.value.loaded} of ${this.#feeds.length} feeds (${c.ips} IPs, ${c.ranges} ranges, ${c.asns} ASNs, ${c.domains} domains, ${c.urls} URLs, ${c.fileHashes} file hashes, ${c.ja3} JA3, ${c.jarm} JARM, ${c.sslCerts} certificates, ${c.torExits} Tor exit nodes).`,
      2,
      0,
    );
  }

  /** Asks the feed servers for what changed, tells the user what failed, rebuilds on change. */
  async #refresh(): Promise<void> {
    if (this.#feeds.length === 0) return;
    const outcomes = await refreshFeeds(this.#feeds, this.#cache, {
      periodMs: this.#settings.updatePeriodMs,
      signal: this.#abort.signal,
    });
    if (this.#abort.signal.aborted) return;
    this.#report(outcomes);
    if (outcomes.some((o) => o.status === "updated")) await this.#rebuild("feeds updated");
  }

  #report(outcomes: FeedOutcome[]): void {
    const unreachable = outcomes.filter((o) => o.status === "unreachable");
    const failed = outcomes.filter((o) => o.status === "failed");
    if (unreachable.length > 0 && !this.#offlineNoticeShown) {
      this.#offlineNoticeShown = true;
      this.print(
        `Could not reach the servers of ${unreachable.length} of ${outcomes.length} threat-intelligence feeds (${
          unreachable[0].detail ?? "no answer"
        }); using their cached copies where there are any, and the local files. They are tried again every ${
          Math.round(this.#settings.updatePeriodMs / 1000)
        } s.`,
        1,
        0,
      );
    }
    for (const f of failed) {
      this.print(`The feed ${f.feed.url} could not be updated: ${f.detail}.`, 2, 0);
    }
  }

  override async main(message: ChannelMessage): Promise<void> {
    switch (message.channel) {
      case "new_flow": {
        const flow = message.data;
        this.#raise(flow, checkConn(flow, this.#store));
        if (flow.proto !== "icmp") await this.#checkAsn(flow, flow.daddr, undefined);
        break;
      }
      case "new_dns": {
        const dns = message.data;
        this.#raise(dns, checkDns(dns, this.#store));
        for (const a of dns.answers) if (isIp(a)) await this.#checkAsn(dns, a, dns.query);
        break;
      }
      case "new_http":
        this.#raise(message.data, checkHttp(message.data, this.#store));
        break;
      case "new_ssl":
        this.#raise(message.data, checkSsl(message.data, this.#store));
        break;
      case "new_downloaded_file":
        this.#raise(message.data, checkFile(message.data, this.#store));
        break;
      case "tw_closed":
        await this.#closeWindow(message.data.profileid, message.data.twid);
        break;
    }
  }

  #raise(rec: Profiled<FlowRecord>, findings: Finding[]): void {
    for (const f of findings) {
      if (!this.#dedupe.firstTime(rec.profileid, rec.twid, f.key)) continue;
      for (const e of f.evidence) this.setEvidence(e);
    }
  }

  /** The AS of `ip` as ip_info cached it (`AS15169 Google`), asked at most once a minute. */
  async #asnText(ip: string, ts: number, force = false): Promise<string | undefined> {
    const memo = this.#asn.get(ip);
    if (
      memo && (memo.text !== undefined || (!force && ts - memo.askedAt < ASN_RETRY_S))
    ) return memo.text;
    const text = await this.db.cacheGet("ip_asn", ip);
    if (this.#asn.size >= ASN_MEMO_LIMIT) this.#asn.clear();
    this.#asn.set(ip, { text: text || undefined, askedAt: ts });
    return text || undefined;
  }

  // The AS of a destination or DNS-answer IP is listed: paired evidence at the feed level, confidence 0.8.
  async #checkAsn(
    rec: Profiled<FlowRecord>,
    ip: string,
    dnsQuery: string | undefined,
    force = false,
  ): Promise<void> {
    if (this.#store.asns.size === 0 || !isLookupWorthy(ip)) return;
    const text = await this.#asnText(ip, rec.ts, force);
    if (text === undefined) {
      // ip_info (another worker) may not have cached it yet: look again when the window closes.
      if (!force) this.#pendingAsn.add(rec.profileid, rec.twid, ip, { rec, dnsQuery });
      return;
    }
    const asn = asnOf(text);
    const entry = asn !== undefined ? this.#store.asns.get(asn) : undefined;
    if (!entry || !this.#dedupe.firstTime(rec.profileid, rec.twid, `asn|${ip}`)) return;
    for (const e of blacklistedAsn(rec, { ip, asnText: text, entry, dnsQuery })) {
      this.setEvidence(e);
    }
  }

  /** Second look at the IPs whose AS was unknown while the window was open. */
  async #closeWindow(profileid: string, twid: number): Promise<void> {
    for (const [ip, p] of this.#pendingAsn.take(profileid, twid)) {
      await this.#checkAsn(p.rec, ip, p.dnsQuery, true);
    }
    this.#dedupe.release(profileid, twid);
  }

  override async shutdownGracefully(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#abort.abort();
    await this.#refreshing;
  }
}
