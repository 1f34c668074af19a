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

/**
 * Keeps the most recent TCP connections by uid and the weirds still waiting for theirs. Recent
 * connections live in two generations of at most `maxRecent` each: when the newer one is full it
 * becomes the older one and the oldest generation is dropped whole, so forgetting costs nothing
 * per connection (deleting a Map's first key one by one makes every later lookup of the first key
 * skip the deleted slots).
 */
export class WeirdConnJoin {
  #recent = new Map<string, ConnEnds>();
  #older = new Map<string, ConnEnds>();
  readonly #waiting = new Map<string, Profiled<WeirdRecord>>();

  constructor(private readonly maxRecent = 20_000, private readonly maxWaiting = 200) {}

  /** Remembers a connection; returns the weird that was waiting for it, if any. */
  addConn(f: ConnRecord): JoinedWeird | undefined {
    if (f.proto !== "tcp" || f.uid === "") return undefined;
    const ends = { saddr: f.saddr, daddr: f.daddr, dport: f.dport, proto: f.proto };
    if (this.#waiting.size > 0) {
      const w = this.#waiting.get(f.uid);
      if (w) {
        this.#waiting.delete(f.uid);
        return { weird: w, conn: ends };
      }
    }
    if (this.#recent.size >= this.maxRecent) {
      this.#older = this.#recent;
      this.#recent = new Map();
    }
    this.#recent.set(f.uid, ends);
    return undefined;
  }

  #conn(uid: string): ConnEnds | undefined {
    return this.#recent.get(uid) ?? this.#older.get(uid);
  }

  /** Joins the weird now when possible, otherwise keeps it until its connection arrives. */
  addWeird(w: Profiled<WeirdRecord>): JoinedWeird | undefined {
    if (w.saddr !== "" && w.daddr !== "") {
      const c = this.#conn(w.uid);
      return {
        weird: w,
        conn: { saddr: w.saddr, daddr: w.daddr, dport: w.dport || c?.dport || 0, proto: "tcp" },
      };
    }
    const c = this.#conn(w.uid);
    if (c) return { weird: w, conn: c };
    if (w.uid !== "" && this.#waiting.size < this.maxWaiting) this.#waiting.set(w.uid, w);
    return undefined;
  }

  /** Weirds whose connection never came (dropped at shutdown, as Slips does after its wait). */
  get unmatched(): number {
    return this.#waiting.size;
  }
}
