/**
 * Answers "which of the loaded organisations does this address, domain or AS belong to".
 *
 * Domain rule: a domain belongs to an organisation when it equals one of the organisation's
 * domains, is a subdomain of one, or is a parent of one, always without leaving the registered
 * domain (public suffix + one label, per the public suffix list via tldts). So `ads.google.com`
 * and `google.com` are related, `google.net` is not, and `com` never is.
 */
import { getDomain } from "tldts";
import { isPrivate } from "../net/ip.ts";
import { IpRangeSet } from "./ip_range_set.ts";
import type { OrganizationData } from "./organization_data.ts";
import { domainAndParents, normalizeDomain } from "./values.ts";

/** What an ASN lookup knows about an address's autonomous system. */
export interface AsnInfo {
  /** AS number, as a number or as text like "AS15169". */
  number?: number | string;
  /** AS organisation name, e.g. "GOOGLE" or "Google LLC". */
  name?: string;
}

const NONE: readonly string[] = Object.freeze([]);
const MAX_CACHE = 100_000;

/** Registered domain (e.g. `google.co.uk`) of `domain`, memoised; undefined for suffixes. */
const registeredCache = new Map<string, string | undefined>();
export function registeredDomain(domain: string): string | undefined {
  if (registeredCache.has(domain)) return registeredCache.get(domain);
  const r = getDomain(domain, { allowPrivateDomains: false }) ?? undefined;
  if (registeredCache.size >= MAX_CACHE) registeredCache.clear();
  registeredCache.set(domain, r);
  return r;
}

function addTo<K>(m: Map<K, string[]>, key: K, org: string): void {
  const list = m.get(key);
  if (!list) m.set(key, [org]);
  else if (!list.includes(org)) list.push(org);
}

function asnNumber(n: number | string | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (typeof n === "number") return Number.isInteger(n) && n >= 0 ? n : undefined;
  const m = /^\s*(?:AS)?(\d+)\s*$/i.exec(n);
  return m ? Number(m[1]) : undefined;
}

export class OrganizationIndex {
  readonly names: ReadonlySet<string>;
  #ranges = new IpRangeSet<string>();
  /** Organisation domain → organisations that list it. */
  #domains = new Map<string, string[]>();
  /** Parents of organisation domains, down to their registered domain → organisations. */
  #parents = new Map<string, string[]>();
  #asns = new Map<number, string[]>();
  #asNames = new Map<string, string[]>();
  #ipCache = new Map<string, readonly string[]>();

  constructor(orgs: Iterable<OrganizationData>) {
    const names = new Set<string>();
    for (const org of orgs) {
      names.add(org.name);
      for (const r of org.ranges) this.#ranges.add(r, org.name);
      for (const [n, asName] of org.asns) {
        addTo(this.#asns, n, org.name);
        if (asName !== "") addTo(this.#asNames, asName, org.name);
      }
      for (const asName of org.asNames) addTo(this.#asNames, asName, org.name);
      for (const d of org.domains) {
        const reg = registeredDomain(d);
        // A bare public suffix would make every domain under it part of the organisation.
        if (reg === undefined) continue;
        addTo(this.#domains, d, org.name);
        for (const p of domainAndParents(d)) {
          if (p === d) continue;
          if (p.length < reg.length) break;
          addTo(this.#parents, p, org.name);
        }
      }
    }
    this.names = names;
  }

  /** Organisations whose ranges contain `ip`. Private and invalid addresses belong to none. */
  orgsOfIp(ip: string): readonly string[] {
    const cached = this.#ipCache.get(ip);
    if (cached !== undefined) return cached;
    let orgs: readonly string[] = NONE;
    if (this.#ranges.size > 0 && !isPrivate(ip)) {
      const found = this.#ranges.valuesOf(ip);
      if (found.length > 0) orgs = [...new Set(found)];
    }
    if (this.#ipCache.size >= MAX_CACHE) this.#ipCache.clear();
    this.#ipCache.set(ip, orgs);
    return orgs;
  }

  /** Organisations `domain` belongs to under the domain rule above. */
  orgsOfDomain(domain: string): readonly string[] {
    if (this.#domains.size === 0) return NONE;
    const d = normalizeDomain(domain);
    if (d === undefined) return NONE;
    const reg = registeredDomain(d);
    if (reg === undefined) return NONE;
    let out: string[] | undefined;
    const take = (list: string[] | undefined) => {
      if (!list) return;
      out ??= [];
      for (const o of list) if (!out.includes(o)) out.push(o);
    };
    for (const p of domainAndParents(d)) {
      if (p.length < reg.length) break;
      take(this.#domains.get(p));
    }
    take(this.#parents.get(d));
    return out ?? NONE;
  }

  /**
   * Organisations of an autonomous system: by number, by an AS name listed in a data file, or by
   * an AS name whose first word is the organisation's name ("GOOGLE-CLOUD", "Apple Inc.").
   */
  orgsOfAsn(asn: AsnInfo): readonly string[] {
    const out: string[] = [];
    const n = asnNumber(asn.number);
    if (n !== undefined) { for (const o of this.#asns.get(n) ?? NONE) out.push(o); }
    const name = asn.name?.trim().toUpperCase();
    if (name) {
      for (const o of this.#asNames.get(name) ?? NONE) if (!out.includes(o)) out.push(o);
      const first = name.split(/[^A-Z0-9]+/).find((w) => w !== "")?.toLowerCase();
      if (first !== undefined && this.names.has(first) && !out.includes(first)) out.push(first);
    }
    return out;
  }
}
