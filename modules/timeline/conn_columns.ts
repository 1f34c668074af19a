/**
 * The conn lines of one window, kept as columns until the window is written: numbers in one
 * Float64Array, strings in one array. A flow then costs a few stores instead of an object that
 * lives for a whole window, which is what made the garbage collector copy every line it kept.
 */
import type { ConnRecord, Profiled } from "@slips/core";
import { type ConnFacts, isOutgoing, type NameOf } from "./timeline_entry.ts";

/** Numbers per line: ts, dport, icmpType, sent, received, dur, flags. */
const NUMS = 7;
/** Strings per line: peer, proto, appproto, name. */
const STRS = 4;
const OUTGOING = 1;
const ESTABLISHED = 2;

export class ConnColumns {
  length = 0;
  #nums = new Float64Array(8 * NUMS);
  #strs: (string | undefined)[] = [];

  add(f: Profiled<ConnRecord>, nameOf: NameOf): void {
    if ((this.length + 1) * NUMS > this.#nums.length) {
      const bigger = new Float64Array(this.#nums.length * 2);
      bigger.set(this.#nums);
      this.#nums = bigger;
    }
    const outgoing = isOutgoing(f);
    const peer = outgoing ? f.daddr : f.saddr;
    const n = this.#nums;
    const o = this.length * NUMS;
    n[o] = f.ts;
    n[o + 1] = f.dport;
    n[o + 2] = f.icmpType >= 0 ? f.icmpType : f.sport;
    n[o + 3] = outgoing ? f.sbytes : f.dbytes;
    n[o + 4] = outgoing ? f.dbytes : f.sbytes;
    n[o + 5] = f.dur;
    n[o + 6] = (outgoing ? OUTGOING : 0) | (f.interpreted === "Established" ? ESTABLISHED : 0);
    this.#strs.push(peer, f.proto || "?", f.appproto, nameOf(peer));
    this.length++;
  }

  ts(i: number): number {
    return this.#nums[i * NUMS];
  }

  facts(i: number): ConnFacts {
    const n = this.#nums;
    const o = i * NUMS;
    const s = i * STRS;
    return {
      ts: n[o],
      kind: "conn",
      peer: this.#strs[s]!,
      dport: n[o + 1],
      proto: this.#strs[s + 1]!,
      outgoing: (n[o + 6] & OUTGOING) !== 0,
      name: this.#strs[s + 3],
      appproto: this.#strs[s + 2]!,
      icmpType: n[o + 2],
      sent: n[o + 3],
      received: n[o + 4],
      dur: n[o + 5],
      established: (n[o + 6] & ESTABLISHED) !== 0,
    };
  }
}
