/**
 * The timeline lines of each open (profile, window), capped so one chatty host cannot take all
 * memory: past the cap, records are only counted.
 */
import { ConnColumns } from "./conn_columns.ts";
import { factsEntry, type TimelineEntry } from "./timeline_entry.ts";

export class WindowTimeline {
  /** Records not kept because the window was full. */
  dropped = 0;
  /** Conn lines, kept as facts until written. */
  readonly conns = new ConnColumns();
  /** DNS, HTTP and TLS lines, each with the number of conns that came before it. */
  readonly #others: { entry: TimelineEntry; after: number }[] = [];

  constructor(readonly profileid: string, readonly twid: number) {}

  get size(): number {
    return this.conns.length + this.#others.length;
  }

  addLine(entry: TimelineEntry): void {
    this.#others.push({ entry, after: this.conns.length });
  }

  /** Every line, finished, in arrival order. */
  entries(): TimelineEntry[] {
    const out: TimelineEntry[] = [];
    let k = 0;
    for (let i = 0; i < this.conns.length; i++) {
      while (k < this.#others.length && this.#others[k].after === i) {
        out.push(this.#others[k++].entry);
      }
      out.push(factsEntry(this.conns.facts(i)));
    }
    while (k < this.#others.length) out.push(this.#others[k++].entry);
    return out;
  }
}

export class TimelineStore {
  /** profileid → twid → window; nested so a record needs no key string built. */
  readonly #windows = new Map<string, Map<number, WindowTimeline>>();

  constructor(readonly maxEntries: number) {}

  /**
   * The window a record of (profile, window) goes to when it has room; otherwise counts the
   * record as dropped and returns undefined, so the caller does not build its line.
   */
  room(profileid: string, twid: number): WindowTimeline | undefined {
    let byTw = this.#windows.get(profileid);
    if (!byTw) this.#windows.set(profileid, byTw = new Map());
    let w = byTw.get(twid);
    if (!w) byTw.set(twid, w = new WindowTimeline(profileid, twid));
    if (w.size < this.maxEntries) return w;
    w.dropped++;
    return undefined;
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
