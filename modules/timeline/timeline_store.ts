/**
 * The timeline entries of each open (profile, window), capped so one chatty host cannot take all
 * memory: past the cap, entries are only counted.
 */
import type { ConnFacts, TimelineEntry } from "./timeline_entry.ts";

/** A stored entry: a finished line, or a conn's facts whose line is built when it is written. */
export type StoredEntry = TimelineEntry | ConnFacts;

export interface WindowTimeline {
  profileid: string;
  twid: number;
  entries: StoredEntry[];
  /** Entries not kept because the window was full. */
  dropped: number;
}

export class TimelineStore {
  /** profileid → twid → window; nested so a record needs no key string built. */
  readonly #windows = new Map<string, Map<number, WindowTimeline>>();

  constructor(readonly maxEntries: number) {}

  /**
   * The window an entry of (profile, window) goes to when it has room; otherwise counts the entry
   * as dropped and returns undefined, so the caller does not build it.
   */
  room(profileid: string, twid: number): WindowTimeline | undefined {
    let byTw = this.#windows.get(profileid);
    if (!byTw) this.#windows.set(profileid, byTw = new Map());
    let w = byTw.get(twid);
    if (!w) byTw.set(twid, w = { profileid, twid, entries: [], dropped: 0 });
    if (w.entries.length < this.maxEntries) return w;
    w.dropped++;
    return undefined;
  }

  /** Adds an entry (when the window has room). */
  add(profileid: string, twid: number, entry: StoredEntry): void {
    this.room(profileid, twid)?.entries.push(entry);
  }

  get(profileid: string, twid: number): WindowTimeline | undefined {
    return this.#windows.get(profileid)?.get(twid);
  }

  /** Forgets a closed window. */
  remove(profileid: string, twid: number): void {
    const byTw = this.#windows.get(profileid);
    if (!byTw) return;
    byTw.delete(twid);
    if (byTw.size === 0) this.#windows.delete(profileid);
  }

  all(): WindowTimeline[] {
    const out: WindowTimeline[] = [];
    for (const byTw of this.#windows.values()) out.push(...byTw.values());
    return out;
  }
}
