/**
 * Maps and sets that forget their oldest entries past a size cap, so state kept across time
 * windows (resolutions, MAC bindings, uid joins) stays bounded on endless input.
 *
 * A full table forgets its oldest tenth in one pass. Forgetting one entry per insert looks the
 * same but is quadratic in V8: a Map keeps deleted slots until it rehashes, and every later walk
 * from the start (`keys().next()`) steps over all of them.
 */

function evictionCount(size: number, cap: number): number {
  return Math.max(size - cap, Math.ceil(cap / 10));
}

export class BoundedMap<K, V> {
  readonly #map = new Map<K, V>();

  /**
   * @param cap entries kept at most
   * @param refresh whether setting an existing key makes it the newest (LRU-like); off for
   *   keys that are written once, where the extra delete would be wasted work
   */
  constructor(readonly cap: number, readonly refresh = true) {}

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  set(key: K, value: V): this {
    const m = this.#map;
    if (this.refresh && m.has(key)) m.delete(key);
    m.set(key, value);
    if (m.size > this.cap) forgetOldest(m, evictionCount(m.size, this.cap));
    return this;
  }

  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }

  keys(): IterableIterator<K> {
    return this.#map.keys();
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  clear(): void {
    this.#map.clear();
  }
}

export class BoundedSet<T> {
  readonly #set = new Set<T>();

  constructor(readonly cap: number) {}

  get size(): number {
    return this.#set.size;
  }

  has(value: T): boolean {
    return this.#set.has(value);
  }

  delete(value: T): boolean {
    return this.#set.delete(value);
  }

  add(value: T): this {
    const s = this.#set;
    if (s.has(value)) return this;
    s.add(value);
    if (s.size > this.cap) forgetOldest(s, evictionCount(s.size, this.cap));
    return this;
  }

  values(): IterableIterator<T> {
    return this.#set.values();
  }
}

/** Deletes the `n` oldest keys (by default the oldest tenth) of a Map or Set in one walk. */
export function forgetOldest<K>(
  table: Map<K, unknown> | Set<K>,
  n = Math.max(1, Math.floor(table.size / 10)),
): void {
  for (const k of table.keys()) {
    table.delete(k);
    if (--n <= 0) break;
  }
}
