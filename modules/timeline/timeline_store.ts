/**
 * The timeline entries of each open (profile, window), capped so one chatty host cannot take all
 * memory: past the cap, entries are only counted.
 */
import type { TimelineEntry } from "./timeline_entry.ts";

export interface WindowTimeline {
  profileid: string;
  twid: number;
  entries: TimelineEntry[];
  /** Entries not kept because the window was full. */
  dropped: number;
  /** Entries added since the window was last written out. */
  unsaved: number;
  /** Index of the first entry not yet written to the text file. */
  written: number;
}

export class TimelineStore {
  readonly #windows = new Map<string, WindowTimeline>();

  constructor(readonly maxEntries: number) {}

  /** Adds an entry; returns the window so the caller can decide to write it out. */
  add(profileid: string, twid: number, entry: TimelineEntry): WindowTimeline {
    const key = `${profileid}_${twid}`;
    let w = this.#windows.get(key);
    if (!w) {
      w = { profileid, twid, entries: [], dropped: 0, unsaved: 0, written: 0 };
      this.#windows.set(key, w);
    }
    if (w.entries.length < this.maxEntries) w.entries.push(entry);
    else w.dropped++;
    w.unsaved++;
    return w;
  }

  get(profileid: string, twid: number): WindowTimeline | undefined {
    return this.#windows.get(`${profileid}_${twid}`);
  }

  /** Forgets a closed window. */
  remove(profileid: string, twid: number): void {
    this.#windows.delete(`${profileid}_${twid}`);
  }

  all(): WindowTimeline[] {
    return [...this.#windows.values()];
  }
}
