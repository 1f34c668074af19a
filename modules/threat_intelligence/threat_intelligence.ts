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
import { AsnTable, IP_ASN_CHANNEL, isIpAsnMessage, PendingAsn } from "./asn_answers.ts";
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
import { WindowDedupe } from "./window_dedupe.ts";

/** IPs per window kept waiting for their AS; more are not checked. */
const PENDING_ASN_PER_WINDOW = 5_000;
/** setInterval cannot wait longer than 2^31-1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

interface AsnWait {
  rec: Profiled<FlowRecord>;
  dnsQuery: string | undefined;
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
  /** ip_info publishes the AS of each IP it enriches here. */
  override readonly customChannels: readonly string[] = [IP_ASN_CHANNEL];
  override readonly permissions: ModulePermissions = defaultPermissions();

  #settings!: TiSettings;
  #cache!: FeedCache;
  #feeds: FeedSpec[] = [];
  #store = new IocStore();
  #dedupe = new WindowDedupe();
  /** False when no AS database is configured: no AS is ever known, so none is waited for. */
  #asnOn = false;
  readonly #asn = new AsnTable(200_000);
  readonly #pendingAsn = new PendingAsn<AsnWait>(PENDING_ASN_PER_WINDOW);
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
    this.#asnOn = (this.config.get("asn_mmdb", "ip_info") ?? "").trim() !== "";
    await this.#rebuild("start");
    if (!this.#asnOn && this.#store.asns.size > 0) {
      this.print(
        `${this.#store.asns.size} AS numbers are listed, but without an AS database ([ip_info] asn_mmdb is empty) the AS of an IP is unknown, so they are not matched.`,
        2,
        0,
      );
    }
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

  // Everything per record is synchronous: the worker awaits only what a handler returns.
  override main(message: ChannelMessage): void {
    switch (message.channel) {
      case "new_flow": {
        const flow = message.data;
        this.#raise(flow, checkConn(flow, this.#store));
        if (this.#asnOn && flow.proto !== "icmp") this.#checkAsn(flow, flow.daddr, undefined);
        return;
      }
      case "new_dns": {
        const dns = message.data;
        this.#raise(dns, checkDns(dns, this.#store));
        if (this.#asnOn) {
          for (const a of dns.answers) if (isIp(a)) this.#checkAsn(dns, a, dns.query);
        }
        return;
      }
      case "new_http":
        this.#raise(message.data, checkHttp(message.data, this.#store));
        return;
      case "new_ssl":
        this.#raise(message.data, checkSsl(message.data, this.#store));
        return;
      case "new_downloaded_file":
        this.#raise(message.data, checkFile(message.data, this.#store));
        return;
      case "tw_closed":
        this.#closeWindow(message.data.profileid, message.data.twid);
        return;
    }
  }

  /** An AS learned by ip_info: remembered, and matched with the records that waited for it. */
  override onCustomMessage(channel: string, data: unknown): void {
    if (channel !== IP_ASN_CHANNEL || !isIpAsnMessage(data)) return;
    this.#asn.set(data.ip, data.asn);
    const waiting = this.#pendingAsn.takeIp(data.ip);
    if (data.asn === "") return;
    for (const { item, late } of waiting) {
      this.#matchAsn(item.rec, data.ip, data.asn, item.dnsQuery, late);
    }
  }

  #raise(rec: Profiled<FlowRecord>, findings: readonly Finding[]): void {
    for (const f of findings) {
      if (!this.#dedupe.firstTime(rec.profileid, rec.twid, f.key)) continue;
      for (const e of f.evidence) this.setEvidence(e);
    }
  }

  /** Matches the AS of `ip` now when known, else keeps the record until ip_info tells it. */
  #checkAsn(rec: Profiled<FlowRecord>, ip: string, dnsQuery: string | undefined): void {
    if (this.#store.asns.size === 0 || !isLookupWorthy(ip)) return;
    const text = this.#asn.get(ip);
    if (text === undefined) this.#pendingAsn.add(rec.profileid, rec.twid, ip, { rec, dnsQuery });
    else if (text !== "") this.#matchAsn(rec, ip, text, dnsQuery);
  }

  // The AS of a destination or DNS-answer IP is listed: paired evidence at the feed level, confidence 0.8.
  #matchAsn(
    rec: Profiled<FlowRecord>,
    ip: string,
    text: string,
    dnsQuery: string | undefined,
    late = false,
  ): void {
    const asn = asnOf(text);
    const entry = asn !== undefined ? this.#store.asns.get(asn) : undefined;
    if (!entry) return;
    // A closed window's dedupe is released; its one waiting record per IP is unique already.
    if (!late && !this.#dedupe.firstTime(rec.profileid, rec.twid, `asn|${ip}`)) return;
    for (const e of blacklistedAsn(rec, { ip, asnText: text, entry, dnsQuery })) {
      this.setEvidence(e);
    }
  }

  /** Answers are matched on arrival, also after the window closed (see PendingAsn). */
  #closeWindow(profileid: string, twid: number): void {
    this.#pendingAsn.close(profileid, twid);
    this.#dedupe.release(profileid, twid);
  }

  override async shutdownGracefully(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#abort.abort();
    await this.#refreshing;
  }
}
