/**
 * One subscriber's ordered, bounded queue of batches. Publishers await `push` while the queue holds
 * more than `highWater` messages, so a slow subscriber slows the publisher instead of losing
 * messages or growing memory without bound.
 */
export class BoundedQueue<T> {
  #batches: T[][] = [];
  /** Index of the next batch to hand over; the array is compacted now and then (shift is O(n)). */
  #head = 0;
  #size = 0;
  #pumping = false;
  #roomWaiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];
  #closed = false;

  constructor(
    private readonly handler: (batch: T[]) => void | Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly highWater = 50_000,
  ) {}

  get size(): number {
    return this.#size;
  }

  async push(batch: T[]): Promise<void> {
    if (this.#closed || batch.length === 0) return;
    while (this.#size >= this.highWater && !this.#closed) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
    }
    this.#batches.push(batch);
    this.#size += batch.length;
    if (!this.#pumping) this.#pump();
  }

  /** Resolves when everything pushed so far has been handled. */
  idle(): Promise<void> {
    if (!this.#pumping && this.#head >= this.#batches.length) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): void {
    this.#closed = true;
    this.#batches = [];
    this.#head = 0;
    this.#size = 0;
    this.#wake();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#head < this.#batches.length) {
      const batch = this.#batches[this.#head];
      this.#batches[this.#head++] = undefined as unknown as T[];
      if (this.#head >= 1024 && this.#head * 2 >= this.#batches.length) {
        this.#batches = this.#batches.slice(this.#head);
        this.#head = 0;
      }
      try {
        await this.handler(batch);
      } catch (err) {
        this.onError(err);
      }
      this.#size -= batch.length;
      if (this.#size < this.highWater / 2) this.#wake();
    }
    this.#pumping = false;
    this.#batches = [];
    this.#head = 0;
    this.#wake();
    const idle = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of idle) w();
  }

  #wake(): void {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const w of waiters) w();
  }
}
