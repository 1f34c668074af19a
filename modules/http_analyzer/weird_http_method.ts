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
 * Keeps the most recent TCP connections and the weirds still waiting for theirs. Connections go
 * into a ring of `maxRecent` slots (uid, addresses and port in parallel arrays): a flow costs a
 * few stores and no allocation, and the rare weird that needs its connection scans the ring from
 * the newest slot.
 */
export class WeirdConnJoin {
  readonly #uids: string[];
  readonly #saddrs: string[];
  readonly #daddrs: string[];
  readonly #dports: Int32Array;
  /** Slot the next connection goes to. */
  #next = 0;
  readonly #waiting = new Map<string, Profiled<WeirdRecord>>();

  constructor(private readonly maxRecent = 20_000, private readonly maxWaiting = 200) {
    this.#uids = new Array<string>(maxRecent).fill("");
    this.#saddrs = new Array<string>(maxRecent).fill("");
    this.#daddrs = new Array<string>(maxRecent).fill("");
    this.#dports = new Int32Array(maxRecent);
  }

  /** Remembers a connection; returns the weird that was waiting for it, if any. */
  addConn(f: ConnRecord): JoinedWeird | undefined {
    if (f.proto !== "tcp" || f.uid === "") return undefined;
    if (this.#waiting.size > 0) {
      const w = this.#waiting.get(f.uid);
      if (w) {
        this.#waiting.delete(f.uid);
        return { weird: w, conn: { saddr: f.saddr, daddr: f.daddr, dport: f.dport, proto: "tcp" } };
      }
    }
    const i = this.#next;
    this.#uids[i] = f.uid;
    this.#saddrs[i] = f.saddr;
    this.#daddrs[i] = f.daddr;
    this.#dports[i] = f.dport;
    this.#next = i + 1 === this.maxRecent ? 0 : i + 1;
    return undefined;
  }

  /** The newest remembered connection with this uid. */
  #conn(uid: string): ConnEnds | undefined {
    if (uid === "") return undefined;
    const n = this.maxRecent;
    for (let k = 1; k <= n; k++) {
      const i = (this.#next - k + n) % n;
      if (this.#uids[i] === uid) {
        return {
          saddr: this.#saddrs[i],
          daddr: this.#daddrs[i],
          dport: this.#dports[i],
          proto: "tcp",
        };
      }
    }
    return undefined;
  }

  /** Joins the weird now when possible, otherwise keeps it until its connection arrives. */
  addWeird(w: Profiled<WeirdRecord>): JoinedWeird | undefined {
    if (w.saddr !== "" && w.daddr !== "") {
      const dport = w.dport || this.#conn(w.uid)?.dport || 0;
      return { weird: w, conn: { saddr: w.saddr, daddr: w.daddr, dport, proto: "tcp" } };
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
