/**
 * Maps and sets that forget their oldest entries past a size cap, so state kept across time
 * windows (resolutions, MAC bindings, uid joins) stays bounded on endless input. Composition
 * rather than subclassing Map: V8 keeps the built-in's fast paths that way.
 */

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
    if (m.size > this.cap) {
      for (const k of m.keys()) {
        m.delete(k);
        if (m.size <= this.cap) break;
      }
    }
    return this;
  }

  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
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

  add(value: T): this {
    const s = this.#set;
    if (s.has(value)) return this;
    s.add(value);
    if (s.size > this.cap) {
      for (const v of s) {
        s.delete(v);
        if (s.size <= this.cap) break;
      }
    }
    return this;
  }
}
