/** A binary min-heap of items ordered by a numeric key and, on ties, by insertion order. */
export class MinHeap<T> {
  #keys: number[] = [];
  #seqs: number[] = [];
  #items: T[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  /** The smallest key, Infinity when empty. */
  peekKey(): number {
    return this.#items.length > 0 ? this.#keys[0] : Infinity;
  }

  push(key: number, item: T): void {
    const k = this.#keys;
    const s = this.#seqs;
    const it = this.#items;
    let i = it.length;
    k.push(key);
    s.push(this.#seq++);
    it.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const it = this.#items;
    if (it.length === 0) return undefined;
    const top = it[0];
    const last = it.length - 1;
    this.#swap(0, last);
    this.#keys.pop();
    this.#seqs.pop();
    it.pop();
    let i = 0;
    const n = it.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#less(l, m)) m = l;
      if (r < n && this.#less(r, m)) m = r;
      if (m === i) break;
      this.#swap(i, m);
      i = m;
    }
    return top;
  }

  #less(a: number, b: number): boolean {
    const ka = this.#keys[a];
    const kb = this.#keys[b];
    return ka < kb || (ka === kb && this.#seqs[a] < this.#seqs[b]);
  }

  #swap(a: number, b: number): void {
    const k = this.#keys;
    const s = this.#seqs;
    const it = this.#items;
    const tk = k[a];
    k[a] = k[b];
    k[b] = tk;
    const ts = s[a];
    s[a] = s[b];
    s[b] = ts;
    const ti = it[a];
    it[a] = it[b];
    it[b] = ti;
  }
}
