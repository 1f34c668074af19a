/**
 * Zeek's `unknown_HTTP_method` weird, joined to its connection by uid. A weird line normally
 * carries its 5-tuple; when it does not, the connection supplies it, whichever arrives first.
 */
import type { ConnRecord, Profiled, WeirdRecord } from "@slips/core";

/** WEIRD_HTTP_METHOD: a weird whose name contains unknown_HTTP_method. */
export function isWeirdHttpMethod(w: WeirdRecord): boolean {
  return w.name.includes("unknown_HTTP_method");
}

export interface ConnEnds {
  saddr: string;
  daddr: string;
  dport: number;
  proto: string;
}

export interface JoinedWeird {
  weird: Profiled<WeirdRecord>;
  conn: ConnEnds;
}

/** Keeps the most recent TCP connections by uid and the weirds still waiting for theirs. */
export class WeirdConnJoin {
  readonly #recent = new Map<string, ConnEnds>();
  readonly #waiting = new Map<string, Profiled<WeirdRecord>>();

  constructor(private readonly maxRecent = 20_000, private readonly maxWaiting = 200) {}

  /** Remembers a connection; returns the weirds that were waiting for it. */
  addConn(f: ConnRecord): JoinedWeird[] {
    if (f.proto !== "tcp" || f.uid === "") return [];
    const ends = { saddr: f.saddr, daddr: f.daddr, dport: f.dport, proto: f.proto };
    const w = this.#waiting.get(f.uid);
    if (w) {
      this.#waiting.delete(f.uid);
      return [{ weird: w, conn: ends }];
    }
    this.#recent.set(f.uid, ends);
    if (this.#recent.size > this.maxRecent) {
      this.#recent.delete(this.#recent.keys().next().value as string);
    }
    return [];
  }

  /** Joins the weird now when possible, otherwise keeps it until its connection arrives. */
  addWeird(w: Profiled<WeirdRecord>): JoinedWeird | undefined {
    if (w.saddr !== "" && w.daddr !== "") {
      const c = this.#recent.get(w.uid);
      return {
        weird: w,
        conn: { saddr: w.saddr, daddr: w.daddr, dport: w.dport || c?.dport || 0, proto: "tcp" },
      };
    }
    const c = this.#recent.get(w.uid);
    if (c) return { weird: w, conn: c };
    if (w.uid !== "" && this.#waiting.size < this.maxWaiting) this.#waiting.set(w.uid, w);
    return undefined;
  }

  /** Weirds whose connection never came (dropped at shutdown, as Slips does after its wait). */
  get unmatched(): number {
    return this.#waiting.size;
  }
}
