/**
 * Everything flow_alerts keeps per (profile, time window), in one object so that closing the
 * window releases all of it at once.
 */
import type { PendingDnsCheck } from "./dns_without_connection.ts";
import type { PortSet } from "./multiple_ports.ts";
import type { UploadTotal } from "./data_upload.ts";

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
  uploads?: Map<string, UploadTotal>;
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
  #windows = new Map<string, WindowState>();
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
    const key = profileid + "\u0000" + twid;
    let w = this.#windows.get(key);
    if (w === undefined) {
      w = new WindowState(profileid, twid);
      this.#windows.set(key, w);
      if (twid > this.#maxTwid) this.#maxTwid = twid;
    }
    w.lastUse = use;
    this.#last = w;
    return w;
  }

  peek(profileid: string, twid: number): WindowState | undefined {
    return this.#windows.get(profileid + "\u0000" + twid);
  }

  /** Removes a window and returns it, so its final checks can run. */
  release(profileid: string, twid: number): WindowState | undefined {
    const key = profileid + "\u0000" + twid;
    const w = this.#windows.get(key);
    if (w === undefined) return undefined;
    this.#windows.delete(key);
    if (this.#last === w) this.#last = undefined;
    return w;
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
    for (const [key, w] of this.#windows) {
      if (w.twid <= limit && w.lastUse <= unusedSince) {
        this.#windows.delete(key);
        out.push(w);
      }
    }
    if (
      this.#last !== undefined &&
      !this.#windows.has(this.#last.profileid + "\u0000" + this.#last.twid)
    ) {
      this.#last = undefined;
    }
    return out;
  }

  get maxTwid(): number {
    return this.#maxTwid;
  }

  get size(): number {
    return this.#windows.size;
  }

  /** Removes and returns every window (shutdown). */
  releaseAll(): WindowState[] {
    const out = [...this.#windows.values()];
    this.#windows.clear();
    this.#last = undefined;
    return out;
  }
}
