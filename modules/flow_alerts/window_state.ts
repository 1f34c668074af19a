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

  constructor(readonly profileid: string, readonly twid: number) {}

  /** True the first time `key` is seen in this window. */
  firstReport(key: string): boolean {
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    return true;
  }
}

/** How many windows behind the newest one a window is assumed closed even without tw_closed. */
const STALE_AFTER = 3;

export class WindowRegistry {
  #windows = new Map<string, WindowState>();
  #last?: WindowState;
  #maxTwid = 0;

  /** The window of a record, created on first use. */
  get(profileid: string, twid: number): WindowState {
    const last = this.#last;
    if (last !== undefined && last.twid === twid && last.profileid === profileid) return last;
    const key = profileid + "\u0000" + twid;
    let w = this.#windows.get(key);
    if (w === undefined) {
      w = new WindowState(profileid, twid);
      this.#windows.set(key, w);
      if (twid > this.#maxTwid) this.#maxTwid = twid;
    }
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

  /**
   * Removes and returns windows so far behind the newest one that the traffic clock must have
   * closed them: a backstop for a tw_closed that raced ahead of the window's last records.
   */
  releaseStale(): WindowState[] {
    const limit = this.#maxTwid - STALE_AFTER;
    if (limit < 1) return [];
    const out: WindowState[] = [];
    for (const [key, w] of this.#windows) {
      if (w.twid <= limit) {
        this.#windows.delete(key);
        out.push(w);
      }
    }
    if (this.#last !== undefined && this.#last.twid <= limit) this.#last = undefined;
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
