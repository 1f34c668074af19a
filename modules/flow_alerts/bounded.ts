/**
 * Insertion-ordered containers that forget their oldest entries past a size cap, so state kept
 * across time windows (resolutions, MAC bindings, uid joins) stays bounded on endless input.
 */

export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly cap: number) {
    super();
  }

  /** Sets and moves the key to the newest end; evicts the oldest entries over the cap. */
  override set(key: K, value: V): this {
    if (super.has(key)) super.delete(key);
    super.set(key, value);
    if (this.size > this.cap) {
      for (const k of this.keys()) {
        super.delete(k);
        if (this.size <= this.cap) break;
      }
    }
    return this;
  }
}

export class BoundedSet<T> extends Set<T> {
  constructor(readonly cap: number) {
    super();
  }

  override add(value: T): this {
    if (super.has(value)) return this;
    super.add(value);
    if (this.size > this.cap) {
      for (const v of this.values()) {
        super.delete(v);
        if (this.size <= this.cap) break;
      }
    }
    return this;
  }
}
