/**
 * Joins application records (ssh.log, ssl.log) to the conn flow with the same uid, whichever of
 * the two is handled first: they travel on different channels, and a long connection's conn
 * record is written after its application record. Both sides are bounded.
 */
import type { ConnRecord } from "@slips/core";
import { BoundedMap } from "@slips/core";

/** What an application record needs from its conn flow. */
export interface ConnBytes {
  sbytes: number;
  dbytes: number;
}

interface Waiting<T> {
  item: T;
  /** Conn-stream traffic time after which the conn is taken as missing. */
  deadline: number;
}

export class UidJoin<T> {
  #conns = new BoundedMap<string, ConnBytes>(100_000, false);
  #waiting = new Map<string, Waiting<T>>();

  constructor(readonly maxWaiting = 50_000) {}

  /** Whether a conn flow may be wanted later: by its service, or because a record waits for it. */
  wants(f: ConnRecord, services: readonly string[]): boolean {
    if (this.#waiting.size > 0 && this.#waiting.has(f.uid)) return true;
    if (f.appproto === "") return false;
    for (const s of services) if (f.appproto.includes(s)) return true;
    return false;
  }

  isWaiting(uid: string): boolean {
    return this.#waiting.size > 0 && this.#waiting.has(uid);
  }

  /** Offers a conn flow; returns the record that was waiting for it, if any. */
  addConn(f: ConnRecord): [T, ConnBytes] | undefined {
    const bytes = { sbytes: f.sbytes, dbytes: f.dbytes };
    const w = this.#waiting.get(f.uid);
    if (w !== undefined) {
      this.#waiting.delete(f.uid);
      return [w.item, bytes];
    }
    this.#conns.set(f.uid, bytes);
    return undefined;
  }

  /**
   * Offers a record; returns its conn's bytes when the conn was already seen. Otherwise the
   * record waits until the conn stream passes `deadline`; records pushed out by the cap are
   * returned in `evicted` to be decided without their conn.
   */
  addRecord(uid: string, item: T, deadline: number): { bytes?: ConnBytes; evicted: T[] } {
    const bytes = this.#conns.get(uid);
    if (bytes !== undefined) {
      this.#conns.delete(uid);
      return { bytes, evicted: [] };
    }
    this.#waiting.set(uid, { item, deadline });
    const evicted: T[] = [];
    while (this.#waiting.size > this.maxWaiting) {
      const [oldest, w] = this.#waiting.entries().next().value!;
      this.#waiting.delete(oldest);
      evicted.push(w.item);
    }
    return { evicted };
  }

  /** Records whose conn did not come before the conn stream reached `clock`. */
  expired(clock: number): T[] {
    const out: T[] = [];
    for (const [uid, w] of this.#waiting) {
      // Deadlines grow with arrival order, so the first live one ends the scan.
      if (w.deadline > clock) break;
      this.#waiting.delete(uid);
      out.push(w.item);
    }
    return out;
  }

  /** Every waiting record (end of input). */
  drain(): T[] {
    const out = [...this.#waiting.values()].map((w) => w.item);
    this.#waiting.clear();
    return out;
  }

  get waiting(): number {
    return this.#waiting.size;
  }
}
