/**
 * Enrichment: facts about IPs that evidence and alerts show and other modules use — MAC and
 * vendor, DHCP host name, the gateway, AS and country (from .mmdb files the user gives), reverse
 * DNS (when allowed) and the TLS server name seen for an IP. Facts go to shared storage:
 * profile fields `mac`, `vendor`, `hostname`; caches `ip_asn`, `ip_country`, `ip_rdns`, `ip_sni`
 * and `gateway` (`ip`, `mac`). With an AS database, each IP's AS is also published on the `ip_asn`
 * channel (`{ ip, asn }`, asn "" when the database has none), so modules that need it
 * (threat_intelligence) are told instead of asking.
 */
import {
  type ChannelMessage,
  type CoreChannel,
  type DhcpRecord,
  ipRange,
  isIp,
  loadMacVendors,
  type MacVendorTable,
  Module,
  type ModulePermissions,
} from "@slips/core";
import { resolve } from "node:path";
import { asnText, countryCode, MmdbFile } from "./geoip.ts";
import { GatewayTracker } from "./gateway.ts";
import { ReverseDns } from "./reverse_dns.ts";

/** The channel this module registers and publishes each IP's AS on. */
export const IP_ASN_CHANNEL = "ip_asn";

/** Where .mmdb files may be: the project's config/geoip/ and geoipupdate's usual folders. */
export const MMDB_DIRS = ["config/geoip", "/usr/share/GeoIP", "/var/lib/GeoIP"];
const SEEN_LIMIT = 200_000;

/** Addresses that have no AS, country or name worth asking for. */
function isEnrichable(ip: string): boolean {
  const r = ipRange(ip);
  return r !== "invalid" && r !== "multicast" && r !== "broadcast" && r !== "unspecified";
}

export default class IpInfo extends Module {
  readonly name = "ip_info";
  readonly description =
    "Adds MAC vendor, host name, gateway, AS, country, reverse DNS and SNI to what is known about IPs.";
  readonly authors = ["Slips for Deno contributors"];
  override readonly channels: readonly CoreChannel[] = [
    "new_ip",
    "new_flow",
    "new_dns",
    "new_ssl",
    "new_dhcp",
    "new_arp",
    "new_MAC",
  ];
  override readonly permissions: ModulePermissions = { read: [...MMDB_DIRS], run: ["getent"] };

  #asnDb: MmdbFile | undefined;
  #countryDb: MmdbFile | undefined;
  #rdns: ReverseDns | undefined;
  #vendors: Promise<MacVendorTable> | undefined;
  readonly #gateway = new GatewayTracker();
  /** IPs already enriched (AS, country, rDNS asked). */
  readonly #seen = new Set<string>();
  readonly #macOf = new Map<string, string>();
  readonly #sniOf = new Set<string>();
  readonly #hostnameOf = new Map<string, string>();
  /** Writes sent without waiting; awaited at shutdown. */
  readonly #writing = new Set<Promise<void>>();
  #writeFailed = false;

  override async init(): Promise<void> {
    this.db.registerChannel(
      IP_ASN_CHANNEL,
      "The AS of an IP, { ip, asn: 'AS<number> <organisation>' or '' }, published by ip_info once per IP.",
    );
    this.#asnDb = await this.#openDb("asn_mmdb", "AS numbers");
    this.#countryDb = await this.#openDb("country_mmdb", "countries");
    if (this.config.boolean("reverse_dns", false)) {
      this.#rdns = new ReverseDns(
        (ip, name) => this.db.cacheSet("ip_rdns", ip, name),
        (why) => this.print(`Reverse DNS is off for this run: ${why}.`, 1, 0),
      );
    }
  }

  async #openDb(key: string, what: string): Promise<MmdbFile | undefined> {
    const configured = this.config.get(key)?.trim() ?? "";
    if (configured === "") {
      this.print(
        `No database for ${what} ([ip_info] ${key} is empty); ${what} of IPs stay unknown. A MaxMind .mmdb file in config/geoip/ can be named there.`,
        2,
        0,
      );
      return undefined;
    }
    const path = resolve(this.context.homeDir, configured);
    try {
      const db = await MmdbFile.open(path);
      this.print(`Using ${path} (${db.databaseType}) for ${what}.`, 2, 0);
      return db;
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound
        ? "the file does not exist"
        : e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied
        ? `the ip_info module may only read ${MMDB_DIRS.join(", ")}; put the file there`
        : e instanceof Error
        ? e.message
        : String(e);
      this.print(
        `Cannot use ${path} ([ip_info] ${key}): ${why}. ${what} of IPs stay unknown.`,
        1,
        0,
      );
      return undefined;
    }
  }

  // Flows and DNS answers mostly repeat known IPs: those return without a promise to await.
  override main(message: ChannelMessage): void | Promise<void> {
    switch (message.channel) {
      case "new_ip":
        return this.#enrich(message.data.ip);
      case "new_flow": {
        const f = message.data;
        if (f.dmac !== "" && this.#gateway.learnFromFlow(f.saddr, f.daddr, f.dmac)) {
          this.#enrich(f.daddr);
          return this.#gatewayChanged();
        }
        return this.#enrich(f.daddr);
      }
      case "new_dns":
        for (const a of message.data.answers) if (isIp(a)) this.#enrich(a);
        return;
      case "new_ssl": {
        const s = message.data;
        if (s.serverName === "") return;
        const key = `${s.daddr}|${s.serverName}`;
        if (this.#sniOf.has(key)) return;
        if (this.#sniOf.size >= SEEN_LIMIT) this.#sniOf.clear();
        this.#sniOf.add(key);
        return this.db.cacheSet("ip_sni", s.daddr, s.serverName);
      }
      case "new_dhcp":
        return this.#dhcp(message.data);
      case "new_arp": {
        const a = message.data;
        const mac = a.srcHw || a.smac;
        if (mac && isIp(a.saddr) && a.saddr !== "0.0.0.0") return this.#bind(a.saddr, mac);
        return;
      }
      case "new_MAC":
        return this.#bind(message.data.ip, message.data.mac);
    }
  }

  async #dhcp(d: DhcpRecord): Promise<void> {
    const ip = [d.clientAddr, d.requestedAddr, d.saddr].find((a) => isIp(a) && a !== "0.0.0.0");
    if (ip !== undefined) {
      if (d.mac) await this.#bind(ip, d.mac);
      if (d.hostName && this.#hostnameOf.get(ip) !== d.hostName) {
        this.#hostnameOf.set(ip, d.hostName);
        await this.db.setProfileField(ip, "hostname", d.hostName);
      }
    }
    if (d.serverAddr && this.#gateway.learnFromDhcp(d.serverAddr)) await this.#gatewayChanged();
  }

  /** AS, country and (when on) reverse DNS of an IP, once per IP. */
  #enrich(ip: string): undefined {
    // With no database and no reverse DNS there is nothing to learn about an IP.
    if (!this.#asnDb && !this.#countryDb && !this.#rdns) return;
    if (this.#seen.has(ip) || !isEnrichable(ip)) return;
    if (this.#seen.size >= SEEN_LIMIT) this.#seen.clear();
    this.#seen.add(ip);
    if (this.#asnDb) {
      const asn = asnText(this.#asnDb.get(ip));
      if (asn) this.#store(this.db.cacheSet("ip_asn", ip, asn));
      // "No AS" is an answer too: whoever waits for this IP can stop waiting.
      this.#store(this.db.publish(IP_ASN_CHANNEL, { ip, asn: asn ?? "" }));
    }
    if (this.#countryDb) {
      const cc = countryCode(this.#countryDb.get(ip));
      if (cc) this.#store(this.db.cacheSet("ip_country", ip, cc));
    }
    this.#rdns?.enqueue(ip);
  }

  /**
   * Lets a write go on without waiting for the host's answer (the host applies a worker's calls
   * in order), so a new IP never stalls the records behind it. Failures are reported once.
   */
  #store(write: Promise<void>): void {
    const p = write.catch((e) => {
      if (this.#writeFailed) return;
      this.#writeFailed = true;
      this.print(
        `Could not store what ip_info learned about IPs: ${
          e instanceof Error ? e.message : String(e)
        }. Enrichment of alerts may be incomplete.`,
        1,
        1,
      );
    }).finally(() => this.#writing.delete(p));
    this.#writing.add(p);
  }

  /** Stores an IP's MAC and vendor once per change, and checks whether it is the gateway. */
  #bind(ip: string, mac: string): Promise<void> | undefined {
    const m = mac.toLowerCase();
    if (this.#macOf.get(ip) === m) return;
    if (this.#macOf.size >= SEEN_LIMIT) this.#macOf.clear();
    this.#macOf.set(ip, m);
    return this.#storeMac(ip, m);
  }

  async #storeMac(ip: string, m: string): Promise<void> {
    await this.db.setProfileField(ip, "mac", m);
    this.#vendors ??= loadMacVendors((msg) => this.print(msg, 1, 0));
    const vendor = (await this.#vendors).lookup(m);
    if (vendor) await this.db.setProfileField(ip, "vendor", vendor);
    if (this.#gateway.learnBinding(ip, m)) await this.#gatewayChanged();
  }

  async #gatewayChanged(): Promise<void> {
    const g = this.#gateway;
    if (g.mac) await this.db.cacheSet("gateway", "mac", g.mac);
    if (g.ip) await this.db.cacheSet("gateway", "ip", g.ip);
    this.print(
      `Gateway: ${g.ip || "IP not known yet"}${g.mac ? ` (MAC ${g.mac})` : ""}${
        g.ipSource === "dhcp" ? ", taken from the DHCP server" : ""
      }.`,
      2,
      0,
    );
  }

  override async shutdownGracefully(): Promise<void> {
    // Names found after the last alert help nobody; only the lookups already running finish.
    await this.#rdns?.finish();
    await Promise.all(this.#writing);
  }
}
