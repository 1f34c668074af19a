/**
 * Remembers which indicators were already reported in a profile's time window, so one listed IP
 * contacted a thousand times is one evidence per window, not a thousand. Released on tw_closed.
 */
export class WindowDedupe {
  readonly #seen = new Map<string, Set<string>>();

  /** True the first time `key` is seen in (profile, window); false afterwards. */
  firstTime(profileid: string, twid: number, key: string): boolean {
    const w = `${profileid}|${twid}`;
    let set = this.#seen.get(w);
    if (!set) this.#seen.set(w, set = new Set());
    if (set.has(key)) return false;
    set.add(key);
    return true;
  }

  release(profileid: string, twid: number): void {
    this.#seen.delete(`${profileid}|${twid}`);
  }

  /** Number of open windows with remembered keys. */
  get windows(): number {
    return this.#seen.size;
  }
}

/** Items kept per (profile, window) until it closes, at most `limit` keys per window. */
export class PendingPerWindow<T> {
  readonly #items = new Map<string, Map<string, T>>();

  constructor(private readonly limit: number) {}

  /** Keeps the first item per key; ignores new keys once the window holds `limit`. */
  add(profileid: string, twid: number, key: string, item: T): void {
    const w = `${profileid}|${twid}`;
    let m = this.#items.get(w);
    if (!m) this.#items.set(w, m = new Map());
    if (!m.has(key) && m.size < this.limit) m.set(key, item);
  }

  /** Removes and returns what the window holds. */
  take(profileid: string, twid: number): Map<string, T> {
    const w = `${profileid}|${twid}`;
    const m = this.#items.get(w) ?? new Map<string, T>();
    this.#items.delete(w);
    return m;
  }
}
