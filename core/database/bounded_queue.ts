/**
 * One subscriber's ordered, bounded queue of batches, shared by every channel it subscribes to:
 * batches are handed over in publication order across channels, so a subscriber never sees a
 * `tw_closed` before the flows published ahead of it. Publishers await `push` while the queue
 * holds more than `highWater` messages, so a slow subscriber slows the publisher instead of losing
 * messages or growing memory without bound.
 */

/** One channel's registration on a queue: its handler, and whether it still wants batches. */
export interface QueueTarget<T> {
  handler: (batch: T[]) => void | Promise<void>;
  onError: (err: unknown) => void;
  closed: boolean;
}

interface Entry<T> {
  target: QueueTarget<T>;
  batch: T[];
}

export class BoundedQueue<T> {
  #entries: (Entry<T> | undefined)[] = [];
  /** Index of the next entry to hand over; the array is compacted now and then (shift is O(n)). */
  #head = 0;
  #size = 0;
  #pumping = false;
  #roomWaiters: (() => void)[] = [];
  #idleWaiters: (() => void)[] = [];

  constructor(private readonly highWater = 50_000) {}

  get size(): number {
    return this.#size;
  }

  async push(target: QueueTarget<T>, batch: T[]): Promise<void> {
    if (target.closed || batch.length === 0) return;
    while (this.#size >= this.highWater && !target.closed) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
    }
    if (target.closed) return;
    this.#entries.push({ target, batch });
    this.#size += batch.length;
    if (!this.#pumping) this.#pump();
  }

  /** Resolves when everything pushed so far has been handled. */
  idle(): Promise<void> {
    if (!this.#pumping && this.#head >= this.#entries.length) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops what waits for `target` (its channel was unsubscribed) and lets blocked publishers go. */
  forget(target: QueueTarget<T>): void {
    target.closed = true;
    this.#wake();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head]!;
      this.#entries[this.#head++] = undefined;
      if (this.#head >= 1024 && this.#head * 2 >= this.#entries.length) {
        this.#entries = this.#entries.slice(this.#head);
        this.#head = 0;
      }
      if (!entry.target.closed) {
        try {
          await entry.target.handler(entry.batch);
        } catch (err) {
          entry.target.onError(err);
        }
      }
      this.#size -= entry.batch.length;
      if (this.#size < this.highWater / 2) this.#wake();
    }
    this.#pumping = false;
    this.#entries = [];
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
