/**
 * "Already reported" keys grouped by (profile, time window), so each window's keys are released
 * together when the window closes.
 */
export class WindowKeys {
  readonly #byWindow = new Map<string, Set<string>>();

  /** Adds the key; true when it was not there yet (i.e. the caller should report). */
  add(profileid: string, twid: number, key: string): boolean {
    const w = `${profileid}_${twid}`;
    let s = this.#byWindow.get(w);
    if (!s) this.#byWindow.set(w, s = new Set());
    if (s.has(key)) return false;
    s.add(key);
    return true;
  }

  has(profileid: string, twid: number, key: string): boolean {
    return this.#byWindow.get(`${profileid}_${twid}`)?.has(key) ?? false;
  }

  close(profileid: string, twid: number): void {
    this.#byWindow.delete(`${profileid}_${twid}`);
  }

  get windows(): number {
    return this.#byWindow.size;
  }
}
