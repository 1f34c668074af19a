/**
 * Reassembly of fragmented IP datagrams. Fragments are copied (the capture buffer is reused) and
 * held per (source, destination, id, protocol) until the datagram is complete, too old, or too
 * large. Later fragments overwrite overlapping bytes of earlier ones.
 */

interface Part {
  offset: number;
  data: Uint8Array;
}

interface Pending {
  firstTs: number;
  parts: Part[];
  /** Payload length once the last fragment arrived, else -1. */
  total: number;
  bytes: number;
}

/** A datagram's payload may not exceed what the 16-bit length fields allow. */
const MAX_PAYLOAD = 65535;
/** More fragments than this for one datagram is an attack, not traffic. */
const MAX_PARTS = 256;
/** Bytes held across all incomplete datagrams. */
const MAX_HELD_BYTES = 32 << 20;

export class FragmentReassembler {
  #pending = new Map<string, Pending>();
  #maxPending: number;
  #timeout: number;
  #heldBytes = 0;
  /** Datagrams given up on (too big, too many parts, timed out, evicted). */
  dropped = 0;

  constructor(maxPending = 8192, timeoutSeconds = 30) {
    this.#maxPending = maxPending;
    this.#timeout = timeoutSeconds;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Adds one fragment; returns the whole payload once every byte from 0 to the end is present.
   * `offset` is in bytes; `more` is the more-fragments flag.
   */
  add(
    key: string,
    ts: number,
    offset: number,
    more: boolean,
    src: Uint8Array,
    srcOff: number,
    len: number,
  ): Uint8Array | null {
    let p = this.#pending.get(key);
    if (p === undefined) {
      if (this.#pending.size >= this.#maxPending) this.#evictOldest(ts);
      p = { firstTs: ts, parts: [], total: -1, bytes: 0 };
      this.#pending.set(key, p);
    }
    if (offset + len > MAX_PAYLOAD || p.parts.length >= MAX_PARTS) {
      this.#drop(key, p);
      return null;
    }
    while (this.#heldBytes + len > MAX_HELD_BYTES && this.#pending.size > 1) {
      const [k, oldest] = this.#pending.entries().next().value!;
      if (k === key) break;
      this.#drop(k, oldest);
    }
    p.parts.push({ offset, data: src.slice(srcOff, srcOff + len) });
    p.bytes += len;
    this.#heldBytes += len;
    if (!more) p.total = offset + len;
    if (p.total < 0 || p.bytes < p.total) return null;
    // Covered from 0 to the end without holes?
    const parts = p.parts.slice().sort((a, b) => a.offset - b.offset);
    let reach = 0;
    for (const part of parts) {
      if (part.offset > reach) return null;
      reach = Math.max(reach, part.offset + part.data.length);
    }
    if (reach < p.total) return null;
    const out = new Uint8Array(p.total);
    // Arrival order, so that a later fragment wins an overlap.
    for (const part of p.parts) {
      const room = p.total - part.offset;
      if (room <= 0) continue;
      out.set(room >= part.data.length ? part.data : part.data.subarray(0, room), part.offset);
    }
    this.#pending.delete(key);
    this.#heldBytes -= p.bytes;
    return out;
  }

  #drop(key: string, p: Pending): void {
    this.#pending.delete(key);
    this.#heldBytes -= p.bytes;
    this.dropped++;
  }

  /** Forgets datagrams whose first fragment is older than the timeout. */
  expire(now: number): void {
    for (const [k, p] of this.#pending) {
      if (now - p.firstTs > this.#timeout) this.#drop(k, p);
      else {
        break;
      }
    }
  }

  #evictOldest(now: number): void {
    this.expire(now);
    if (this.#pending.size < this.#maxPending) return;
    const first = this.#pending.entries().next();
    if (!first.done) this.#drop(first.value[0], first.value[1]);
  }
}
