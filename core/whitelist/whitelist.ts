/**
 * The whitelist as the pipeline uses it: the profiler asks `matchFlow` for every record before
 * profiling it (entries ignoring `flows`), the evidence handler asks `matchEvidence` for every
 * evidence before logging it (entries ignoring `alerts`).
 *
 * Entries are split up front into the set that suppresses flows and the set that suppresses
 * alerts, so each check looks only at rules that can apply and returns at once when none exist.
 */
import type { EvidenceEntity } from "../evidence/evidence.ts";
import { isPrivate } from "../net/ip.ts";
import type { FlowRecord } from "../records/records.ts";
import {
  directionCovers,
  entryKey,
  type Side,
  type WhitelistEntry,
  type WhitelistIocType,
  type WhitelistProblemHandler,
  type WhitelistPurpose,
} from "./entry.ts";
import { IpRangeSet } from "./ip_range_set.ts";
import {
  DEFAULT_ORGANIZATIONS_DIR,
  loadOrganizationSync,
  type OrganizationData,
} from "./organization_data.ts";
import { type AsnInfo, OrganizationIndex } from "./organization_index.ts";
import {
  parseWhitelistConf,
  type ParseWhitelistOptions,
  readWhitelistConf,
  readWhitelistConfSync,
} from "./whitelist_conf.ts";
import {
  commonNameOf,
  domainAndParents,
  hostOfHttpHost,
  hostOfUrl,
  normalizeDomain,
  normalizeIp,
  normalizeMac,
} from "./values.ts";

import { forgetOldest } from "../collections/bounded.ts";

export interface WhitelistOptions {
  /** Data of the organisations that `organization` entries may name. */
  organizations?: Iterable<OrganizationData>;
  /** AS of a public address, when an ASN source is available; enables matching orgs by AS. */
  asnOf?: (ip: string) => AsnInfo | undefined;
  /** MACs known for the profile of `ip`, in addition to those given to `rememberMac`. */
  macsOf?: (ip: string) => Iterable<string> | undefined;
  /** Domains `ip` resolved from, in addition to those given to `rememberResolution`. */
  domainsOf?: (ip: string) => Iterable<string> | undefined;
  /** How many addresses keep remembered resolutions and MACs (oldest dropped first). */
  maxRememberedIps?: number;
}

export interface LoadWhitelistOptions extends Omit<WhitelistOptions, "organizations"> {
  /** Where `<org>.txt` data files are; defaults to `config/organizations/`. */
  organizationsDir?: string;
  /** Receives every bad line of the whitelist and of the organisation files. */
  onProblem?: WhitelistProblemHandler;
}

/** Why something was whitelisted: the rule that matched and the value that matched it. */
export interface WhitelistMatch {
  /** The entry that matched. */
  entry: WhitelistEntry;
  /** The value seen in the flow or evidence (an address, domain or MAC). */
  observed: string;
  side: Side;
}

/** A subject of a check: an evidence attacker or victim. */
export interface EvidenceParties {
  attacker: EvidenceEntity;
  victim?: EvidenceEntity;
}

/** The rules of one purpose (flows or alerts), indexed by kind. */
class RuleSet {
  readonly ips = new Map<string, WhitelistEntry>();
  readonly cidrs = new IpRangeSet<WhitelistEntry>();
  readonly domains = new Map<string, WhitelistEntry>();
  readonly macs = new Map<string, WhitelistEntry>();
  readonly orgs = new Map<string, WhitelistEntry>();
  size = 0;

  add(e: WhitelistEntry): void {
    this.size++;
    switch (e.type) {
      case "ip":
        if (e.value.includes("/")) this.cidrs.add(e.value, e);
        else this.ips.set(e.value, e);
        break;
      case "domain":
        this.domains.set(e.value, e);
        break;
      case "mac":
        this.macs.set(e.value, e);
        break;
      case "organization":
        this.orgs.set(e.value, e);
        break;
    }
  }
}

const NO_STRINGS: readonly string[] = Object.freeze([]);
const MAX_DOMAINS_PER_IP = 16;
const MAX_MACS_PER_IP = 4;

function hit(entry: WhitelistEntry, observed: string, side: Side): WhitelistMatch | undefined {
  return directionCovers(entry.direction, side) ? { entry, observed, side } : undefined;
}

/** Remembers up to `perKey` recent values per key, for at most `maxKeys` keys. */
function remember(
  store: Map<string, string[]>,
  key: string,
  value: string,
  perKey: number,
  maxKeys: number,
): void {
  let list = store.get(key);
  if (list === undefined) {
    // The oldest tenth goes in one walk; one key per insert would be quadratic in V8.
    if (store.size >= maxKeys) forgetOldest(store, Math.max(1, Math.floor(maxKeys / 10)));
    list = [];
    store.set(key, list);
  }
  const at = list.indexOf(value);
  if (at >= 0) list.splice(at, 1);
  list.push(value);
  if (list.length > perKey) list.shift();
}

export class Whitelist {
  #entries = new Map<string, WhitelistEntry>();
  #flows = new RuleSet();
  #alerts = new RuleSet();
  #dirty = true;
  #orgs: OrganizationIndex;
  #asnOf?: (ip: string) => AsnInfo | undefined;
  #macsOf?: (ip: string) => Iterable<string> | undefined;
  #extDomainsOf?: (ip: string) => Iterable<string> | undefined;
  #maxIps: number;
  /** Address → domains it was resolved from (DNS answers, SNI, …). */
  #domainsOfIp = new Map<string, string[]>();
  /** Address → MACs seen for its profile. */
  #macsOfIp = new Map<string, string[]>();
  /** Whether any rule could use remembered resolutions / MACs; nothing is stored otherwise. */
  #wantsDomains = false;
  #wantsMacs = false;

  constructor(entries: Iterable<WhitelistEntry> = [], options: WhitelistOptions = {}) {
    for (const e of entries) this.#entries.set(entryKey(e.type, e.value), e);
    this.#orgs = new OrganizationIndex(options.organizations ?? []);
    this.#asnOf = options.asnOf;
    this.#macsOf = options.macsOf;
    this.#extDomainsOf = options.domainsOf;
    this.#maxIps = options.maxRememberedIps ?? 200_000;
  }

  /** A whitelist that matches nothing. */
  static empty(): Whitelist {
    return new Whitelist();
  }

  /** Builds a whitelist from the text of a whitelist file. */
  static fromText(
    text: string,
    options: LoadWhitelistOptions & Pick<ParseWhitelistOptions, "file"> = {},
  ): Whitelist {
    const conf = parseWhitelistConf(text, { file: options.file, onProblem: options.onProblem });
    return Whitelist.#withOrganizations(conf.entries, options);
  }

  /** Reads a whitelist file and the data of the organisations it names. */
  static async load(path: string, options: LoadWhitelistOptions = {}): Promise<Whitelist> {
    const conf = await readWhitelistConf(path, { onProblem: options.onProblem });
    return Whitelist.#withOrganizations(conf.entries, options);
  }

  /** Synchronous variant of `load`. */
  static loadSync(path: string, options: LoadWhitelistOptions = {}): Whitelist {
    const conf = readWhitelistConfSync(path, { onProblem: options.onProblem });
    return Whitelist.#withOrganizations(conf.entries, options);
  }

  static #withOrganizations(entries: WhitelistEntry[], options: LoadWhitelistOptions): Whitelist {
    const dir = options.organizationsDir ?? DEFAULT_ORGANIZATIONS_DIR;
    const names = new Set(entries.filter((e) => e.type === "organization").map((e) => e.value));
    const orgs: OrganizationData[] = [];
    for (const name of names) {
      const data = loadOrganizationSync(dir, name, options.onProblem);
      if (data) orgs.push(data);
    }
    return new Whitelist(entries, { ...options, organizations: orgs });
  }

  /** The active entries. */
  get entries(): readonly WhitelistEntry[] {
    return [...this.#entries.values()];
  }

  /** Names of the organisations whose data is loaded. */
  get organizations(): ReadonlySet<string> {
    return this.#orgs.names;
  }

  /** Whether any entry suppresses flows; when false `matchFlow` is always false. */
  get hasFlowRules(): boolean {
    return this.#rules("flows").size > 0;
  }

  /** Whether any entry suppresses alerts; when false `matchEvidence` is always false. */
  get hasAlertRules(): boolean {
    return this.#rules("alerts").size > 0;
  }

  /**
   * Adds an entry made in code, e.g. from an online top-sites list. With `replace: false` an
   * existing entry for the same value (say from whitelist.conf) is kept. An organisation entry
   * only matches if that organisation's data was loaded.
   */
  addEntry(entry: WhitelistEntry, options: { replace?: boolean } = {}): void {
    const key = entryKey(entry.type, entry.value);
    if (options.replace === false && this.#entries.has(key)) return;
    this.#entries.set(key, entry);
    this.#dirty = true;
  }

  /** Removes the entry for a type and normalised value; true when there was one. */
  removeEntry(type: WhitelistIocType, value: string): boolean {
    const removed = this.#entries.delete(entryKey(type, value));
    if (removed) this.#dirty = true;
    return removed;
  }

  /**
   * Records that `domain` resolved to `ips` (a DNS answer, a TLS SNI, …). Afterwards an address
   * counts as that domain too: traffic to an address of a whitelisted domain is whitelisted.
   */
  rememberResolution(domain: string, ips: Iterable<string>): void {
    const d = normalizeDomain(domain);
    if (d === undefined) return;
    for (const raw of ips) {
      const ip = normalizeIp(raw);
      if (ip !== undefined) remember(this.#domainsOfIp, ip, d, MAX_DOMAINS_PER_IP, this.#maxIps);
    }
  }

  /** Domains `ip` is known to have been resolved from, oldest first. */
  domainsOf(ip: string): readonly string[] {
    return this.#domainsOfIp.get(ip) ?? this.#domainsOfIp.get(normalizeIp(ip) ?? "") ?? NO_STRINGS;
  }

  /** Records the MAC of the profile of `ip`, so that MAC entries also cover the address. */
  rememberMac(ip: string, mac: string): void {
    const m = normalizeMac(mac);
    const a = normalizeIp(ip);
    if (m !== undefined && a !== undefined) {
      remember(this.#macsOfIp, a, m, MAX_MACS_PER_IP, this.#maxIps);
    }
  }

  /**
   * Takes from a record what later checks need: DNS answers and TLS SNI (address → domain), and
   * the MAC of a local sender. `matchFlow` calls it, so records are learned from even when they
   * are dropped; call it directly only for records that bypass `matchFlow`.
   */
  learn(record: FlowRecord): void {
    this.#rules("flows");
    if (this.#wantsDomains) {
      if (record.kind === "dns" && record.answers.length > 0) {
        this.rememberResolution(record.query, record.answers);
      } else if (record.kind === "ssl" && record.serverName !== "") {
        this.rememberResolution(record.serverName, [record.daddr]);
      }
    }
    if (this.#wantsMacs) {
      // Only a local sender's frames carry its own MAC; a remote one's carry the router's.
      if ((record.kind === "conn" || record.kind === "arp") && isPrivate(record.saddr)) {
        this.rememberMac(record.saddr, record.smac);
      } else if (record.kind === "dhcp" && record.mac !== "") {
        const ip = record.clientAddr || record.saddr;
        // Before it has a lease the client speaks from 0.0.0.0, which is nobody's address.
        if (isPrivate(ip)) this.rememberMac(ip, record.mac);
      }
    }
  }

  // ---- flows -----------------------------------------------------------------------------------

  /**
   * True when the record must be dropped before profiling. ARP records are never dropped. Learns
   * from the record first (see `learn`).
   */
  matchFlow(record: FlowRecord): boolean {
    return this.explainFlow(record) !== undefined;
  }

  /** The rule that drops `record`, or undefined when it must be processed. Learns like matchFlow. */
  explainFlow(record: FlowRecord): WhitelistMatch | undefined {
    this.learn(record);
    // ARP has its own detections that must see every packet, whoever sends it.
    if (record.kind === "arp") return undefined;
    const r = this.#rules("flows");
    if (r.size === 0) return undefined;
    const m = this.#ipHit(r, record.saddr, "src", true) ??
      this.#ipHit(r, record.daddr, "dst", true);
    if (m) return m;
    switch (record.kind) {
      case "conn":
        return this.#macHit(r, record.smac, "src") ?? this.#macHit(r, record.dmac, "dst");
      case "dhcp":
        return this.#macHit(r, record.mac, "src");
      case "dns": {
        const q = this.#nameHit(r, record.query, "dst");
        if (q) return q;
        for (const a of record.answers) {
          const ip = normalizeIp(a);
          const am = ip !== undefined ? this.#ipHit(r, ip, "dst", false) : undefined;
          if (am) return am;
        }
        return undefined;
      }
      case "http":
        return this.#nameHit(r, hostOfHttpHost(record.host), "dst");
      case "ssl":
        return this.#nameHit(r, record.serverName, "dst") ??
          this.#nameHit(r, commonNameOf(record.subject), "dst");
      case "x509": {
        const cn = this.#nameHit(r, commonNameOf(record.subject), "dst");
        if (cn) return cn;
        for (const san of record.sanDns) {
          const sm = this.#nameHit(r, san, "dst");
          if (sm) return sm;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // ---- evidence --------------------------------------------------------------------------------

  /** True when the evidence must be discarded: its attacker or its victim is whitelisted. */
  matchEvidence(evidence: EvidenceParties): boolean {
    return this.explainEvidence(evidence) !== undefined;
  }

  /** The rule that discards the evidence, or undefined when it must be kept. */
  explainEvidence(evidence: EvidenceParties): WhitelistMatch | undefined {
    const r = this.#rules("alerts");
    if (r.size === 0) return undefined;
    return this.#entityHit(r, evidence.attacker) ??
      (evidence.victim ? this.#entityHit(r, evidence.victim) : undefined);
  }

  #entityHit(r: RuleSet, entity: EvidenceEntity): WhitelistMatch | undefined {
    const side: Side = entity.direction === "SRC" ? "src" : "dst";
    switch (entity.iocType) {
      case "IP": {
        const ip = normalizeIp(entity.value);
        return ip !== undefined
          ? this.#ipHit(r, ip, side, true)
          : this.#nameHit(r, entity.value, "dst");
      }
      // Domains in evidence are places something connected to, so they count as destinations.
      case "DOMAIN":
        return this.#nameHit(r, entity.value, "dst");
      case "URL":
        return this.#nameHit(r, hostOfUrl(entity.value), "dst");
      default:
        return undefined;
    }
  }

  // ---- single values ---------------------------------------------------------------------------

  /**
   * Whether an address seen on `side` is whitelisted for `purpose`: by IP or CIDR entry, by
   * organisation (ranges, AS), by the domains it resolved from, or by its profile's MAC.
   */
  matchIp(ip: string, side: Side, purpose: WhitelistPurpose): boolean {
    const r = this.#rules(purpose);
    const a = normalizeIp(ip);
    return r.size > 0 && a !== undefined && this.#ipHit(r, a, side, true) !== undefined;
  }

  /** Whether a domain (or an address given as a host name) is whitelisted for `purpose`. */
  matchDomain(domain: string, side: Side = "dst", purpose: WhitelistPurpose = "alerts"): boolean {
    const r = this.#rules(purpose);
    return r.size > 0 && this.#nameHit(r, domain, side) !== undefined;
  }

  /** Whether a MAC address is whitelisted for `purpose`. */
  matchMac(mac: string, side: Side, purpose: WhitelistPurpose): boolean {
    const r = this.#rules(purpose);
    return r.size > 0 && this.#macHit(r, mac, side) !== undefined;
  }

  // ---- internals -------------------------------------------------------------------------------

  #rules(purpose: WhitelistPurpose): RuleSet {
    if (this.#dirty) {
      this.#flows = new RuleSet();
      this.#alerts = new RuleSet();
      for (const e of this.#entries.values()) {
        if (e.ignore !== "alerts") this.#flows.add(e);
        if (e.ignore !== "flows") this.#alerts.add(e);
      }
      const all = [this.#flows, this.#alerts];
      this.#wantsDomains = all.some((x) => x.domains.size > 0 || x.orgs.size > 0);
      this.#wantsMacs = all.some((x) => x.macs.size > 0);
      this.#dirty = false;
    }
    return purpose === "flows" ? this.#flows : this.#alerts;
  }

  /** `ip` must already be an address; anything else simply matches no IP rule. */
  #ipHit(r: RuleSet, ip: string, side: Side, related: boolean): WhitelistMatch | undefined {
    if (ip === "") return undefined;
    if (r.ips.size > 0) {
      let e = r.ips.get(ip);
      if (e === undefined && ip.includes(":")) {
        const canon = normalizeIp(ip);
        if (canon !== undefined) e = r.ips.get(canon);
      }
      const m = e && hit(e, ip, side);
      if (m) return m;
    }
    if (r.cidrs.size > 0) {
      let m: WhitelistMatch | undefined;
      r.cidrs.some(ip, (e) => (m = hit(e, ip, side)) !== undefined);
      if (m) return m;
    }
    if (r.orgs.size > 0) {
      for (const org of this.#orgs.orgsOfIp(ip)) {
        const e = r.orgs.get(org);
        const m = e && hit(e, ip, side);
        if (m) return m;
      }
      if (this.#asnOf && !isPrivate(ip)) {
        const asn = this.#asnOf(ip);
        if (asn) {
          for (const org of this.#orgs.orgsOfAsn(asn)) {
            const e = r.orgs.get(org);
            const m = e && hit(e, ip, side);
            if (m) return m;
          }
        }
      }
    }
    if (!related) return undefined;
    if (r.domains.size > 0 || r.orgs.size > 0) {
      // A private address never belongs to an organisation, whatever name pointed at it.
      const orgs = r.orgs.size > 0 && !isPrivate(ip);
      for (const d of this.#domainsOfIp.get(ip) ?? NO_STRINGS) {
        const m = this.#domainHit(r, d, side, orgs);
        if (m) return m;
      }
      if (this.#extDomainsOf) {
        for (const raw of this.#extDomainsOf(ip) ?? NO_STRINGS) {
          const d = normalizeDomain(raw);
          const m = d !== undefined ? this.#domainHit(r, d, side, orgs) : undefined;
          if (m) return m;
        }
      }
    }
    if (r.macs.size > 0) {
      for (const mac of this.#macsOfIp.get(ip) ?? NO_STRINGS) {
        const m = this.#macHit(r, mac, side);
        if (m) return m;
      }
      if (this.#macsOf) {
        for (const mac of this.#macsOf(ip) ?? NO_STRINGS) {
          const m = this.#macHit(r, mac, side);
          if (m) return m;
        }
      }
    }
    return undefined;
  }

  /** A host name as found in a record: an address is checked as one, anything else as a domain. */
  #nameHit(r: RuleSet, name: string, side: Side): WhitelistMatch | undefined {
    if (name === "" || name === "-") return undefined;
    const ip = normalizeIp(name);
    if (ip !== undefined) return this.#ipHit(r, ip, side, false);
    const d = normalizeDomain(name);
    return d === undefined ? undefined : this.#domainHit(r, d, side);
  }

  /** `d` must be normalised. `orgs: false` skips organisation domains. */
  #domainHit(r: RuleSet, d: string, side: Side, orgs = true): WhitelistMatch | undefined {
    if (r.domains.size > 0) {
      for (const p of domainAndParents(d)) {
        const e = r.domains.get(p);
        const m = e && hit(e, d, side);
        if (m) return m;
      }
    }
    if (orgs && r.orgs.size > 0) {
      for (const org of this.#orgs.orgsOfDomain(d)) {
        const e = r.orgs.get(org);
        const m = e && hit(e, d, side);
        if (m) return m;
      }
    }
    return undefined;
  }

  #macHit(r: RuleSet, mac: string, side: Side): WhitelistMatch | undefined {
    if (r.macs.size === 0 || mac === "" || mac === "-") return undefined;
    let e = r.macs.get(mac);
    if (e === undefined) {
      const m = normalizeMac(mac);
      if (m !== undefined && m !== mac) e = r.macs.get(m);
    }
    return e && hit(e, mac, side);
  }
}
