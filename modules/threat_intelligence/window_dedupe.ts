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
