/**
 * Everything flow_alerts keeps per (profile, time window), in one object so that closing the
 * window releases all of it at once.
 */
import type { PendingDnsCheck } from "./dns_without_connection.ts";
import type { PortSet } from "./multiple_ports.ts";
import type { WindowUploads } from "./data_upload.ts";

export class WindowState {
  /** Keys of evidence already raised in this window, so the same finding is not repeated. */
  readonly reported = new Set<string>();
  /** Destination IPs this profile contacted in the window (for DNS without connection). */
  readonly contacted = new Set<string>();
  /** REJ counts per `saddr|daddr|dport`, and failed telnet attempts per `saddr|daddr`. */
  rejected?: Map<string, number>;
  telnet?: Map<string, number>;
  /** Set when another module reported this profile as a port scanner in this window. */
  portScanner = false;
  multiplePorts?: Map<string, PortSet>;
  uploads?: WindowUploads;
  nxdomains?: Set<string>;
  pendingDns?: PendingDnsCheck[];
  /** The registry's record count when this window was last used. */
  lastUse = 0;

  constructor(readonly profileid: string, readonly twid: number) {}

  /** True the first time `key` is seen in this window. */
  firstReport(key: string): boolean {
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    return true;
  }
}

/** How many windows behind the newest one a window must be before it may be swept. */
const STALE_AFTER = 3;
/** Records between sweeps; a window unused for a whole period (and old) is swept. */
export const SWEEP_EVERY = 65_536;

export class WindowRegistry {
  /** profileid → twid → window: two lookups, but no key string built per record. */
  #windows = new Map<string, Map<number, WindowState>>();
  #count = 0;
  #last?: WindowState;
  #maxTwid = 0;
  #uses = 0;
  #lastSweep = 0;

  /** The window of a record, created on first use. */
  get(profileid: string, twid: number): WindowState {
    const use = ++this.#uses;
    const last = this.#last;
    if (last !== undefined && last.twid === twid && last.profileid === profileid) {
      last.lastUse = use;
      return last;
    }
    let byTw = this.#windows.get(profileid);
    if (byTw === undefined) this.#windows.set(profileid, byTw = new Map());
    let w = byTw.get(twid);
    if (w === undefined) {
      w = new WindowState(profileid, twid);
      byTw.set(twid, w);
      this.#count++;
      if (twid > this.#maxTwid) this.#maxTwid = twid;
    }
    w.lastUse = use;
    this.#last = w;
    return w;
  }

  peek(profileid: string, twid: number): WindowState | undefined {
    return this.#windows.get(profileid)?.get(twid);
  }

  /** Removes a window and returns it, so its final checks can run. */
  release(profileid: string, twid: number): WindowState | undefined {
    const byTw = this.#windows.get(profileid);
    const w = byTw?.get(twid);
    if (byTw === undefined || w === undefined) return undefined;
    this.#remove(byTw, w);
    return w;
  }

  #remove(byTw: Map<number, WindowState>, w: WindowState): void {
    byTw.delete(w.twid);
    if (byTw.size === 0) this.#windows.delete(w.profileid);
    this.#count--;
    if (this.#last === w) this.#last = undefined;
  }

  /** Whether enough records went by since the last sweep for another one. */
  get sweepDue(): boolean {
    return this.#uses - this.#lastSweep >= SWEEP_EVERY;
  }

  /**
   * Removes and returns windows that are well behind the newest one and were not used for a
   * whole sweep period: a backstop for records that arrived after their window's tw_closed (the
   * channels are delivered independently), which would otherwise hold state forever. Requiring
   * disuse keeps one record with a far-future timestamp from sweeping live windows.
   */
  releaseStale(): WindowState[] {
    const limit = this.#maxTwid - STALE_AFTER;
    const unusedSince = this.#lastSweep;
    this.#lastSweep = this.#uses;
    const out: WindowState[] = [];
    if (limit < 1) return out;
    for (const byTw of this.#windows.values()) {
      for (const w of byTw.values()) {
        if (w.twid <= limit && w.lastUse <= unusedSince) out.push(w);
      }
    }
    for (const w of out) this.#remove(this.#windows.get(w.profileid)!, w);
    return out;
  }

  get maxTwid(): number {
    return this.#maxTwid;
  }

  get size(): number {
    return this.#count;
  }

  /** Removes and returns every window (shutdown). */
  releaseAll(): WindowState[] {
    const out: WindowState[] = [];
    for (const byTw of this.#windows.values()) out.push(...byTw.values());
    this.#windows.clear();
    this.#count = 0;
    this.#last = undefined;
    return out;
  }
}
