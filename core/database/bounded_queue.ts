/**
 * One subscriber's ordered, bounded queue of batches, shared by every channel it subscribes to:
 * batches are handed over in publication order across channels, so a subscriber never sees a
 * `tw_closed` before the flows published ahead of it. Publishers await `push` while the queue
 * holds more than `highWater` messages, so a slow subscriber slows the publisher instead of losing
 * messages or growing memory without bound.
 */
import { Fifo } from "../collections/fifo.ts";

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
  #entries = new Fifo<Entry<T>>();
  /** Messages (not batches) waiting or in hand: what the high-water mark counts. */
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
    if (!this.#pumping && this.#entries.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops what waits for `target` (its channel was unsubscribed) and lets blocked publishers go. */
  forget(target: QueueTarget<T>): void {
    target.closed = true;
    this.#wake();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    for (let entry = this.#entries.shift(); entry !== undefined; entry = this.#entries.shift()) {
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
