/**
 * One direction of a TCP byte stream put back in order for an application analyzer. Segments
 * ahead of the expected position are copied and held (within a budget); when the budget runs out
 * the missing bytes are declared a gap and delivery goes on from the held data.
 */
import type { AppAnalyzer } from "./app/app_analyzer.ts";

interface Held {
  at: number;
  data: Uint8Array;
}

const MAX_HELD_BYTES = 128 * 1024;
const MAX_HELD_SEGMENTS = 64;

/** Bytes all streams together may hold; past it, holes become gaps at once. */
export class HoldBudget {
  used = 0;
  readonly max: number;
  constructor(max = 64 << 20) {
    this.max = max;
  }
}

export class TcpStream {
  /** Next expected data offset. */
  next = 0;
  started = false;
  gaps = 0;
  #held: Held[] = [];
  #heldBytes = 0;
  #isOrig: boolean;
  #budget: HoldBudget;

  /** `fromStart`: the handshake was seen, so the stream begins at offset 0. */
  constructor(isOrig: boolean, fromStart: boolean, budget: HoldBudget) {
    this.#isOrig = isOrig;
    this.started = fromStart;
    this.#budget = budget;
  }

  /** Feeds a segment whose first byte is at data offset `at`. */
  segment(
    sink: AppAnalyzer,
    at: number,
    buf: Uint8Array,
    off: number,
    len: number,
    ts: number,
  ): void {
    if (!this.started) {
      // Mid-stream pickup: the first segment seen defines the start.
      this.started = true;
      this.next = at;
    }
    if (at + len <= this.next) return;
    if (at < this.next) {
      const skip = this.next - at;
      off += skip;
      len -= skip;
      at = this.next;
    }
    if (at === this.next) {
      sink.data(this.#isOrig, buf, off, len, ts);
      this.next += len;
      if (this.#held.length > 0) this.#drain(sink, ts);
      return;
    }
    this.#hold(at, buf.slice(off, off + len));
    if (
      this.#heldBytes > MAX_HELD_BYTES || this.#held.length > MAX_HELD_SEGMENTS ||
      this.#budget.used > this.#budget.max
    ) {
      this.#skipToHeld(sink, ts);
    }
  }

  /** Delivers everything held, declaring the holes as gaps (end of connection). */
  flush(sink: AppAnalyzer, ts: number): void {
    while (this.#held.length > 0 && !sink.done) this.#skipToHeld(sink, ts);
    this.release();
  }

  /** Forgets held data (the connection is gone or its analyzer is done). */
  release(): void {
    this.#budget.used -= this.#heldBytes;
    this.#held = [];
    this.#heldBytes = 0;
  }

  #hold(at: number, data: Uint8Array): void {
    let i = this.#held.length;
    while (i > 0 && this.#held[i - 1].at > at) i--;
    this.#held.splice(i, 0, { at, data });
    this.#heldBytes += data.length;
    this.#budget.used += data.length;
  }

  #skipToHeld(sink: AppAnalyzer, ts: number): void {
    const first = this.#held[0];
    if (first.at > this.next) {
      this.gaps++;
      sink.gap(this.#isOrig, first.at - this.next);
      this.next = first.at;
    }
    this.#drain(sink, ts);
  }

  #drain(sink: AppAnalyzer, ts: number): void {
    while (this.#held.length > 0 && this.#held[0].at <= this.next) {
      const h = this.#held.shift()!;
      this.#heldBytes -= h.data.length;
      this.#budget.used -= h.data.length;
      const end = h.at + h.data.length;
      if (end <= this.next) continue;
      const skip = this.next - h.at;
      sink.data(this.#isOrig, h.data, skip, h.data.length - skip, ts);
      this.next = end;
      if (sink.done) return;
    }
  }
}
