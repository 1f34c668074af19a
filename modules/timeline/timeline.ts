/**
 * Timeline: a readable log of each profile's activity per time window (who it talked to, over
 * what, how much), built from conn, DNS, HTTP and TLS records. Kept for the UI in the shared
 * cache (`timeline`, key `<profileid>_<twid>`, JSON) and, with `[timeline] write_files = yes`,
 * written to `<output>/timeline/<ip>.txt`.
 */
import { join } from "node:path";
import {
  type ChannelMessage,
  type CoreChannel,
  type FlowRecord,
  isIp,
  Module,
  type ModulePermissions,
  type Profiled,
} from "@slips/core";
import {
  connEntry,
  dnsEntry,
  formatTime,
  httpEntry,
  sslEntry,
  type TimelineEntry,
} from "./timeline_entry.ts";
import { TimelineStore, type WindowTimeline } from "./timeline_store.ts";

/** Entries kept per profile and window; the rest are counted. */
export const DEFAULT_MAX_ENTRIES = 1000;
/** A window is written out after this many new entries (and always when it closes). */
const SAVE_EVERY = 50;
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

  override async main(message: ChannelMessage): Promise<void> {
    switch (message.channel) {
      case "new_flow":
        await this.#add(message.data, connEntry(message.data, (ip) => this.#names.get(ip)));
        break;
      case "new_dns": {
        const d = message.data;
        for (const a of d.answers) if (isIp(a) && d.query) this.#learnName(a, d.query);
        await this.#add(d, dnsEntry(d));
        break;
      }
      case "new_http":
        await this.#add(message.data, httpEntry(message.data));
        break;
      case "new_ssl":
        if (message.data.serverName) this.#learnName(message.data.daddr, message.data.serverName);
        await this.#add(message.data, sslEntry(message.data));
        break;
      case "tw_closed": {
        const w = this.#store.get(message.data.profileid, message.data.twid);
        if (w) {
          await this.#save(w, true);
          this.#store.remove(w.profileid, w.twid);
        }
        break;
      }
    }
  }

  #learnName(ip: string, name: string): void {
    if (this.#names.size >= NAMES_LIMIT) this.#names.clear();
    this.#names.set(ip, name);
  }

  async #add(rec: Profiled<FlowRecord>, entry: TimelineEntry): Promise<void> {
    const w = this.#store.add(rec.profileid, rec.twid, entry);
    // A full window changes only its dropped count, which is saved when it closes.
    if (w.unsaved >= SAVE_EVERY && w.dropped === 0) await this.#save(w, false);
  }

  /** Writes a window to the shared cache and its new lines to the IP's file. */
  async #save(w: WindowTimeline, closing: boolean): Promise<void> {
    if (w.unsaved === 0 && !closing) return;
    w.unsaved = 0;
    // Channels are delivered independently, so records of different kinds arrive out of order.
    const unwritten = w.entries.splice(w.written).sort((a, b) => a.ts - b.ts);
    w.entries.push(...unwritten);
    await this.db.cacheSet(
      "timeline",
      `${w.profileid}_${w.twid}`,
      JSON.stringify({
        profileid: w.profileid,
        twid: w.twid,
        dropped: w.dropped,
        entries: w.entries,
      }),
    );
    if (this.#dir === undefined || this.#fileError) return;
    const ip = w.profileid.startsWith("profile_") ? w.profileid.slice(8) : w.profileid;
    let text = "";
    if (this.#fileWindow.get(ip) !== w.twid && w.written < w.entries.length) {
      this.#fileWindow.set(ip, w.twid);
      text += `--- time window ${w.twid} ---\n`;
    }
    for (let i = w.written; i < w.entries.length; i++) {
      text += `${formatTime(w.entries[i].ts, this.#human)} ${w.entries[i].text}\n`;
    }
    w.written = w.entries.length;
    if (closing && w.dropped > 0) {
      text += `(${w.dropped} more records in time window ${w.twid} were not kept)\n`;
    }
    if (text === "") return;
    // IPv6 colons are not allowed in file names everywhere.
    const path = join(this.#dir, `${ip.replaceAll(":", "-")}.txt`);
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
    for (const w of this.#store.all()) await this.#save(w, true);
  }
}
