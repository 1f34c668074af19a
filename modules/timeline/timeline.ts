/**
 * Timeline: a readable log of each profile's activity per time window (who it talked to, over
 * what, how much), built from conn, DNS, HTTP and TLS records. Saved when the window closes (and
 * at shutdown for those still open) to the shared cache (`timeline`, key `<profileid>_<twid>`,
 * JSON) for the UI and, with `[timeline] write_files = yes`, to `<output>/timeline/<ip>.txt`.
 */
import { join } from "node:path";
import {
  type ChannelMessage,
  type CoreChannel,
  isIp,
  Module,
  type ModulePermissions,
} from "@slips/core";
import { dnsEntry, formatTime, httpEntry, sslEntry, type TimelineEntry } from "./timeline_entry.ts";
import { TimelineStore, type WindowTimeline } from "./timeline_store.ts";

/** Entries kept per profile and window; the rest are counted. */
export const DEFAULT_MAX_ENTRIES = 1000;
const NAMES_LIMIT = 100_000;

export default class Timeline extends Module {
  readonly name = "timeline";
  readonly description =
    "Keeps a readable per-profile, per-window log of connections, DNS, HTTP and TLS activity.";
  readonly authors = ["Slips for Deno contributors"];
  override readonly channels: readonly CoreChannel[] = [
    "new_flow",
    "new_dns",
    "new_http",
    "new_ssl",
    "tw_closed",
  ];
  override readonly permissions: ModulePermissions = { write: ["{output}/timeline"] };

  #human = true;
  #dir: string | undefined;
  #store = new TimelineStore(DEFAULT_MAX_ENTRIES);
  /** IP → a name it was reached by (DNS answer or TLS server name). */
  readonly #names = new Map<string, string>();
  readonly #nameOf = (ip: string): string | undefined =>
    this.#names.size === 0 ? undefined : this.#names.get(ip);
  /** Cache writes not yet confirmed; awaited at shutdown, never on the record path. */
  readonly #saving = new Set<Promise<void>>();
  #cacheError = false;
  /** The last window written to each IP's file, to mark where a new one starts. */
  readonly #fileWindow = new Map<string, number>();
  #fileError = false;

  override async init(): Promise<void> {
    this.#human = this.config.boolean("timeline_human_timestamp", true, "modules");
    const max = this.config.number("max_entries_per_window", DEFAULT_MAX_ENTRIES);
    this.#store = new TimelineStore(Math.max(1, Math.floor(max)));
    if (this.config.boolean("write_files", false)) {
      this.#dir = join(this.context.outputDir, "timeline");
      await Deno.mkdir(this.#dir, { recursive: true });
    }
  }

  // Records only add to memory; the only waiting is for files, at window close and shutdown.
  override main(message: ChannelMessage): void | Promise<void> {
    switch (message.channel) {
      case "new_flow": {
        const f = message.data;
        this.#store.room(f.profileid, f.twid)?.conns.add(f, this.#nameOf);
        return;
      }
      case "new_dns": {
        const d = message.data;
        if (d.query) {
          for (const a of d.answers) if (isIp(a)) this.#learnName(a, d.query);
        }
        this.#store.room(d.profileid, d.twid)?.addLine(dnsEntry(d));
        return;
      }
      case "new_http":
        this.#store.room(message.data.profileid, message.data.twid)?.addLine(
          httpEntry(message.data),
        );
        return;
      case "new_ssl": {
        const s = message.data;
        if (s.serverName) this.#learnName(s.daddr, s.serverName);
        this.#store.room(s.profileid, s.twid)?.addLine(sslEntry(s));
        return;
      }
      case "tw_closed": {
        const w = this.#store.get(message.data.profileid, message.data.twid);
        if (!w) return;
        this.#store.remove(w.profileid, w.twid);
        return this.#save(w);
      }
    }
  }

  #learnName(ip: string, name: string): void {
    if (this.#names.size >= NAMES_LIMIT) this.#names.clear();
    this.#names.set(ip, name);
  }

  /** Writes a finished window to the shared cache and, when asked, to the IP's file. */
  #save(w: WindowTimeline): Promise<void> | undefined {
    // Channels are delivered independently, so records of different kinds arrive out of order.
    const entries = w.entries();
    if (!isSorted(entries)) entries.sort(byTime);
    this.#cache(
      `${w.profileid}_${w.twid}`,
      JSON.stringify({ profileid: w.profileid, twid: w.twid, dropped: w.dropped, entries }),
    );
    if (this.#dir === undefined || this.#fileError) return;
    return this.#writeFile(w, entries);
  }

  /** Sends a cache write without waiting for the host's answer; failures are reported once. */
  #cache(key: string, json: string): void {
    const p = this.db.cacheSet("timeline", key, json).catch((e) => {
      if (this.#cacheError) return;
      this.#cacheError = true;
      this.print(
        `Cannot store the timeline of ${key} in the database: ${
          e instanceof Error ? e.message : String(e)
        }.`,
        1,
        1,
      );
    }).finally(() => this.#saving.delete(p));
    this.#saving.add(p);
  }

  async #writeFile(w: WindowTimeline, entries: TimelineEntry[]): Promise<void> {
    const ip = w.profileid.startsWith("profile_") ? w.profileid.slice(8) : w.profileid;
    let text = "";
    if (this.#fileWindow.get(ip) !== w.twid && entries.length > 0) {
      this.#fileWindow.set(ip, w.twid);
      text += `--- time window ${w.twid} ---\n`;
    }
    for (const e of entries) text += `${formatTime(e.ts, this.#human)} ${e.text}\n`;
    if (w.dropped > 0) {
      text += `(${w.dropped} more records in time window ${w.twid} were not kept)\n`;
    }
    if (text === "") return;
    // IPv6 colons are not allowed in file names everywhere.
    const path = join(this.#dir!, `${ip.replaceAll(":", "-")}.txt`);
    try {
      await Deno.writeTextFile(path, text, { append: true });
    } catch (e) {
      this.#fileError = true;
      this.print(
        `Cannot write the timeline file ${path}: ${
          e instanceof Error ? e.message : String(e)
        }. Timeline files are not written for the rest of the run.`,
        1,
        1,
      );
    }
  }

  override async shutdownGracefully(): Promise<void> {
    for (const w of this.#store.all()) await this.#save(w);
    await Promise.all(this.#saving);
  }
}

function byTime(a: TimelineEntry, b: TimelineEntry): number {
  return a.ts - b.ts;
}

/** Usually true (one kind of record, in order), and cheaper to check than to sort. */
function isSorted(entries: TimelineEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (entries[i].ts < entries[i - 1].ts) return false;
  return true;
}
