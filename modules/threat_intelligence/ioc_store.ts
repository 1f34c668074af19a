/**
 * Every loaded indicator, indexed for constant-time lookups: exact keys in Maps, IP ranges by
 * first octet/hextet, domains by walking up their parent names (a handful of Map probes).
 */
import { THREAT_LEVELS, type ThreatLevel } from "@slips/core";
import { CidrIndex } from "./cidr_index.ts";
import { canonicalDomain, canonicalIp, type ClassifiedIoc } from "./ioc_kind.ts";

/** Where an indicator came from and how bad its source says it is. */
export interface IocEntry {
  threatLevel: ThreatLevel;
  /** The feed's or file line's own words about the indicator; may be empty. */
  description: string;
  /** File name of the feed or local file that listed it. */
  source: string;
  tags: string[];
}

/** Which list a parsed indicator goes to: a TI feed, a JA3 feed, an SSL-cert feed, … */
export type IocTarget = "ti" | "ja3" | "ssl" | "tor" | "jarm";

export interface IpMatch {
  entry: IocEntry;
  /** The listed IP or the listed range (CIDR) that holds it. */
  listed: string;
  viaRange: boolean;
}

export interface DomainMatch {
  entry: IocEntry;
  /** The listed name: the domain itself or the parent it is a subdomain of. */
  listed: string;
  subdomain: boolean;
}

const MEMO_LIMIT = 100_000;

function keepWorse(map: Map<string, IocEntry>, key: string, entry: IocEntry): void {
  const old = map.get(key);
  if (!old || THREAT_LEVELS[entry.threatLevel] > THREAT_LEVELS[old.threatLevel]) {
    map.set(key, entry);
  }
}

export class IocStore {
  readonly ips = new Map<string, IocEntry>();
  readonly ranges = new CidrIndex<IocEntry>();
  readonly asns = new Map<string, IocEntry>();
  readonly domains = new Map<string, IocEntry>();
  readonly urls = new Map<string, IocEntry>();
  /** md5, sha1 or sha256 of files. */
  readonly fileHashes = new Map<string, IocEntry>();
  readonly ja3 = new Map<string, IocEntry>();
  readonly jarm = new Map<string, IocEntry>();
  /** SHA1 fingerprints of certificates. */
  readonly sslCerts = new Map<string, IocEntry>();
  readonly torExits = new Map<string, IocEntry>();
  /** MD5s that are never reported (empty file, 1x1 GIF, …). */
  readonly knownFpMd5 = new Set<string>();
  /** Answers of lookupIp by the address as written; the same few thousand addresses repeat. */
  readonly #ipMemo = new Map<string, IpMatch | null>();
  readonly #torMemo = new Map<string, IocEntry | null>();

  /** Files an indicator under the list `target` takes; false when that list has no use for it. */
  add(ioc: ClassifiedIoc, entry: IocEntry, target: IocTarget): boolean {
    // Stores are filled before use, but a late addition must not be hidden by an old answer.
    if (this.#ipMemo.size > 0) this.#ipMemo.clear();
    if (this.#torMemo.size > 0) this.#torMemo.clear();
    const v = ioc.value;
    switch (target) {
      case "ja3":
        if (ioc.kind !== "md5") return false;
        keepWorse(this.ja3, v, entry);
        return true;
      case "ssl":
        if (ioc.kind !== "sha1") return false;
        keepWorse(this.sslCerts, v, entry);
        return true;
      case "jarm":
        if (ioc.kind !== "jarm") return false;
        keepWorse(this.jarm, v, entry);
        return true;
      case "tor":
        if (ioc.kind !== "ip") return false;
        this.torExits.set(v, entry);
        return true;
      case "ti":
        switch (ioc.kind) {
          case "ip":
            keepWorse(this.ips, v, entry);
            return true;
          case "cidr":
            return this.ranges.add(v, entry);
          case "asn":
            keepWorse(this.asns, v, entry);
            return true;
          case "domain":
            keepWorse(this.domains, v, entry);
            return true;
          case "url":
            keepWorse(this.urls, v, entry);
            return true;
          case "sha1":
            // A SHA1 in a blacklist may be a file's or a certificate's; it is looked up as both.
            keepWorse(this.sslCerts, v, entry);
            keepWorse(this.fileHashes, v, entry);
            return true;
          case "md5":
          case "sha256":
            keepWorse(this.fileHashes, v, entry);
            return true;
          case "jarm":
            keepWorse(this.jarm, v, entry);
            return true;
        }
    }
    return false;
  }

  /** Exact match first, then the most specific listed range (answers are memoised). */
  lookupIp(ip: string): IpMatch | undefined {
    if (this.ips.size === 0 && this.ranges.size === 0) return undefined;
    const memo = this.#ipMemo.get(ip);
    if (memo !== undefined) return memo ?? undefined;
    const match = this.#lookupIp(ip);
    if (this.#ipMemo.size >= MEMO_LIMIT) this.#ipMemo.clear();
    this.#ipMemo.set(ip, match ?? null);
    return match;
  }

  /** The Tor exit-node entry of an address (memoised like lookupIp). */
  lookupTorExit(ip: string): IocEntry | undefined {
    if (this.torExits.size === 0) return undefined;
    const memo = this.#torMemo.get(ip);
    if (memo !== undefined) return memo ?? undefined;
    const key = canonicalIp(ip);
    const entry = key !== undefined ? this.torExits.get(key) : undefined;
    if (this.#torMemo.size >= MEMO_LIMIT) this.#torMemo.clear();
    this.#torMemo.set(ip, entry ?? null);
    return entry;
  }

  #lookupIp(ip: string): IpMatch | undefined {
    const key = canonicalIp(ip);
    if (key === undefined) return undefined;
    const exact = this.ips.get(key);
    if (exact) return { entry: exact, listed: key, viaRange: false };
    if (this.ranges.size === 0) return undefined;
    const r = this.ranges.lookup(key);
    return r ? { entry: r.value, listed: r.cidr, viaRange: true } : undefined;
  }

  /** The domain itself, else the nearest listed parent (a subdomain match). */
  lookupDomain(name: string): DomainMatch | undefined {
    if (this.domains.size === 0) return undefined;
    const d = canonicalDomain(name);
    if (d === undefined) return undefined;
    const exact = this.domains.get(d);
    if (exact) return { entry: exact, listed: d, subdomain: false };
    // Public suffixes are never stored, so walking up to a two-label name cannot over-match.
    let dot = d.indexOf(".");
    while (dot >= 0) {
      const parent = d.slice(dot + 1);
      if (!parent.includes(".")) break;
      const hit = this.domains.get(parent);
      if (hit) return { entry: hit, listed: parent, subdomain: true };
      dot = d.indexOf(".", dot + 1);
    }
    return undefined;
  }

  /** A short summary of what is loaded, for the start-up message. */
  counts(): Record<string, number> {
    return {
      ips: this.ips.size,
      ranges: this.ranges.size,
      asns: this.asns.size,
      domains: this.domains.size,
      urls: this.urls.size,
      fileHashes: this.fileHashes.size,
      ja3: this.ja3.size,
      jarm: this.jarm.size,
      sslCerts: this.sslCerts.size,
      torExits: this.torExits.size,
      knownFpMd5: this.knownFpMd5.size,
    };
  }

  get total(): number {
    return this.ips.size + this.ranges.size + this.asns.size + this.domains.size +
      this.urls.size + this.fileHashes.size + this.ja3.size + this.jarm.size +
      this.sslCerts.size + this.torExits.size;
  }
}
