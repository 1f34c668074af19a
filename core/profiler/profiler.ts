/**
 * The profiler: files every record under the profile of its source IP and a time window, keeps
 * shared storage up to date, publishes the record on its channel, and closes windows once the
 * traffic clock has passed them.
 */
import type { Database } from "../database/database.ts";
import type { CoreChannel } from "../database/channels.ts";
import type { FlowRecord, Profiled, RecordKind } from "../records/records.ts";
import { isIp } from "../net/ip.ts";
import { timeWindowOf, timeWindowStart } from "./time_window.ts";

export const CHANNEL_OF: Record<RecordKind, CoreChannel> = {
  conn: "new_flow",
  dns: "new_dns",
  http: "new_http",
  ssl: "new_ssl",
  x509: "new_x509",
  ssh: "new_ssh",
  dhcp: "new_dhcp",
  ftp: "new_ftp",
  smtp: "new_smtp",
  tunnel: "new_tunnel",
  notice: "new_notice",
  files: "new_downloaded_file",
  arp: "new_arp",
  software: "new_software",
  weird: "new_weird",
  login: "new_login",
  ids_alert: "new_ids_alert",
};

export interface ProfilerOptions {
  db: Database;
  twWidth: number;
  analysisDirection: "out" | "all";
  /** True when the record must be dropped (whitelisted flows). */
  dropRecord?: (r: FlowRecord) => boolean;
  /** Called for every record that was filed, e.g. for the labelled-flow export. */
  onProfiled?: (r: Profiled) => void;
}

interface OpenWindow {
  ip: string;
  twid: number;
  lastTs: number;
}

export interface ProfilerStats {
  records: number;
  flows: number;
  whitelisted: number;
  skipped: number;
  windowsClosed: number;
}

export class Profiler {
  #t0: number | undefined;
  #clock = 0;
  #profiles = new Set<string>();
  #open = new Map<string, OpenWindow>();
  #macs = new Map<string, string>();
  #lastCloseCheck = 0;
  #pending: Promise<unknown>[] = [];
  readonly stats: ProfilerStats = {
    records: 0,
    flows: 0,
    whitelisted: 0,
    skipped: 0,
    windowsClosed: 0,
  };

  constructor(private readonly o: ProfilerOptions) {}

  get firstTs(): number | undefined {
    return this.#t0;
  }

  get profileCount(): number {
    return this.#profiles.size;
  }

  get openWindows(): number {
    return this.#open.size;
  }

  /**
   * Files `ip` at `ts`: creates its profile and window when new. Storage writes are queued, not
   * awaited one by one, so a networked backend can pipeline them; `#flush` waits for them.
   */
  #ensure(ip: string, ts: number): number {
    const { db, twWidth } = this.o;
    const twid = timeWindowOf(ts, this.#t0!, twWidth);
    if (!this.#profiles.has(ip)) {
      this.#profiles.add(ip);
      this.#pending.push(db.addProfile(ip, ts), db.publish("new_ip", { ip, ts }));
    }
    const key = `${ip}_${twid}`;
    const w = this.#open.get(key);
    if (w) {
      if (ts > w.lastTs) w.lastTs = ts;
    } else {
      this.#open.set(key, { ip, twid, lastTs: ts });
      const start = timeWindowStart(twid, this.#t0!, twWidth);
      this.#pending.push(db.addTimeWindow({ profileIp: ip, twid, start, end: start + twWidth }));
    }
    return twid;
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    await Promise.all(pending);
  }

  #learnMac(ip: string, mac: string, ts: number): void {
    if (!mac || mac === "ff:ff:ff:ff:ff:ff" || mac === "00:00:00:00:00:00") return;
    if (this.#macs.get(ip) === mac) return;
    this.#macs.set(ip, mac);
    this.#pending.push(this.o.db.publish("new_MAC", { ip, mac, ts }));
  }

  /** Files and publishes one batch of records (in time order). */
  async process(batch: FlowRecord[]): Promise<void> {
    const { db, dropRecord, analysisDirection, onProfiled } = this.o;
    // One message per channel per input batch: in a merged Zeek directory the kinds alternate
    // every few records, and a message per short run would cost more than the records.
    const byChannel = new Map<CoreChannel, Profiled[]>();
    for (const r of batch) {
      this.stats.records++;
      if (!isIp(r.saddr)) {
        this.stats.skipped++;
        continue;
      }
      if (dropRecord?.(r)) {
        this.stats.whitelisted++;
        continue;
      }
      if (this.#t0 === undefined) this.#t0 = r.ts;
      if (r.ts > this.#clock) this.#clock = r.ts;
      // Fast path: a known profile in an open window needs no storage call.
      const twid0 = timeWindowOf(r.ts, this.#t0, this.o.twWidth);
      const open = this.#open.get(`${r.saddr}_${twid0}`);
      let twid = twid0;
      if (open !== undefined) {
        if (r.ts > open.lastTs) open.lastTs = r.ts;
      } else {
        twid = this.#ensure(r.saddr, r.ts);
      }
      if (r.kind === "conn") {
        this.stats.flows++;
        if (analysisDirection === "all" && isIp(r.daddr)) this.#ensure(r.daddr, r.ts);
        if (r.smac) this.#learnMac(r.saddr, r.smac, r.ts);
      } else if (r.kind === "dhcp" && r.mac) {
        const ip = r.requestedAddr || r.clientAddr;
        if (isIp(ip)) this.#learnMac(ip, r.mac, r.ts);
      } else if (r.kind === "arp" && r.srcHw) {
        this.#learnMac(r.saddr, r.srcHw, r.ts);
      }
      const p = r as Profiled;
      p.profileid = `profile_${r.saddr}`;
      p.twid = twid;
      onProfiled?.(p);
      const channel = CHANNEL_OF[r.kind];
      const list = byChannel.get(channel);
      if (list) list.push(p);
      else byChannel.set(channel, [p]);
    }
    // Profiles, windows and new_ip go out before the records that need them; DNS answers before
    // the connections they explain; the other kinds in the order they first appeared.
    await this.#flush();
    const dns = byChannel.get("new_dns");
    // The map holds each kind under its own channel, so the payload types match.
    if (dns) await db.publishBatch<string>("new_dns", dns);
    for (const [channel, list] of byChannel) {
      if (channel !== "new_dns") await db.publishBatch<string>(channel, list);
    }
    await this.#closeOld();
  }

  /** Closes windows untouched for longer than one width of traffic time. */
  async #closeOld(): Promise<void> {
    const { twWidth } = this.o;
    // Scanning every open window is O(windows); doing it at most once per 1/10 width keeps it cheap.
    if (this.#clock - this.#lastCloseCheck < twWidth / 10) return;
    this.#lastCloseCheck = this.#clock;
    const limit = this.#clock - twWidth;
    const closing: [string, OpenWindow][] = [];
    for (const [key, w] of this.#open) if (w.lastTs < limit) closing.push([key, w]);
    await this.#closeAll(closing);
  }

  async #closeAll(windows: [string, OpenWindow][]): Promise<void> {
    if (windows.length === 0) return;
    const { twWidth } = this.o;
    const refs = windows.map(([key, w]) => {
      this.#open.delete(key);
      const start = timeWindowStart(w.twid, this.#t0!, twWidth);
      return { profileid: `profile_${w.ip}`, ip: w.ip, twid: w.twid, start, end: start + twWidth };
    });
    this.stats.windowsClosed += refs.length;
    await this.o.db.publishBatch("tw_closed", refs);
  }

  /** At the end of input: closes every window still open. */
  async finish(): Promise<void> {
    await this.#flush();
    await this.#closeAll([...this.#open]);
  }

  /** Called after the evidence handler is done with a closed window, to free shared storage. */
  releaseWindow(ip: string, twid: number): Promise<void> {
    return this.o.db.closeTimeWindow(ip, twid);
  }
}
