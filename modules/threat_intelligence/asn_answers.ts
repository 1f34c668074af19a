/**
 * What the threat-intelligence module knows about the AS of IPs: the answers ip_info publishes
 * on the `ip_asn` channel, and the records still waiting for the AS of one of their IPs. ip_info
 * runs in another worker, so its answer may come before or after the record that needs it;
 * nothing here asks anybody, it only matches answers with waiting records.
 */

/** The channel ip_info registers and publishes each IP's AS on. */
export const IP_ASN_CHANNEL = "ip_asn";

/** The `ip_asn` channel's payload, as ip_info publishes it for every IP it looks up. */
export interface IpAsnMessage {
  ip: string;
  /** `AS<number> <organisation>`, e.g. "AS15169 GOOGLE"; "" when the database has no AS for it. */
  asn: string;
}

export function isIpAsnMessage(data: unknown): data is IpAsnMessage {
  if (data === null || typeof data !== "object") return false;
  const d = data as Record<string, unknown>;
  return typeof d.ip === "string" && d.ip !== "" && typeof d.asn === "string";
}

/**
 * The AS text of each IP ("" for an IP known to have none), bounded: two generations of at most `limit` IPs each, so the oldest
 * answers are forgotten in bulk without scanning and recent ones always survive.
 */
export class AsnTable {
  #current = new Map<string, string>();
  #previous = new Map<string, string>();

  constructor(private readonly limit = 100_000) {}

  set(ip: string, asn: string): void {
    if (this.#current.size >= this.limit) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(ip, asn);
  }

  get(ip: string): string | undefined {
    return this.#current.get(ip) ?? this.#previous.get(ip);
  }
}

/**
 * Records waiting for an IP's AS, per (profile, window) and per IP. A window that closes keeps
 * waiting: ip_info runs in another worker at its own pace, so its answer may come long after
 * the flow (every IP gets one, "no AS" included). Closed windows are kept, oldest dropped first,
 * up to `lateLimit` waiting records in all.
 */
export class PendingAsn<T> {
  /** window key → IP → the first record of that window that needs it. */
  readonly #byWindow = new Map<string, Map<string, T>>();
  /** IP → window keys that wait for it. */
  readonly #byIp = new Map<string, Set<string>>();
  /** Closed windows that still wait, oldest first, and how many records they hold. */
  readonly #closed = new Set<string>();
  #lateCount = 0;

  constructor(private readonly perWindow: number, private readonly lateLimit = 200_000) {}

  /** Keeps the first record per IP and window; ignores new IPs once the window holds `perWindow`. */
  add(profileid: string, twid: number, ip: string, item: T): void {
    const w = `${profileid}|${twid}`;
    let m = this.#byWindow.get(w);
    if (!m) this.#byWindow.set(w, m = new Map());
    if (m.has(ip) || m.size >= this.perWindow) return;
    m.set(ip, item);
    let ws = this.#byIp.get(ip);
    if (!ws) this.#byIp.set(ip, ws = new Set());
    ws.add(w);
    if (this.#closed.has(w)) this.#lateCount++;
  }

  /**
   * Removes and returns every record waiting for `ip`, in open and recently closed windows;
   * `late` tells the records of closed windows.
   */
  takeIp(ip: string): { item: T; late: boolean }[] {
    const ws = this.#byIp.get(ip);
    if (!ws) return [];
    this.#byIp.delete(ip);
    const out: { item: T; late: boolean }[] = [];
    for (const w of ws) {
      const m = this.#byWindow.get(w);
      const item = m?.get(ip);
      if (item === undefined) continue;
      m!.delete(ip);
      const late = this.#closed.has(w);
      out.push({ item, late });
      if (late) {
        this.#lateCount--;
        if (m!.size === 0) this.#drop(w);
      }
    }
    return out;
  }

  /** The window closed: what it waits for stays until answered or pushed out by newer closes. */
  close(profileid: string, twid: number): void {
    const w = `${profileid}|${twid}`;
    const m = this.#byWindow.get(w);
    if (!m || this.#closed.has(w)) return;
    if (m.size === 0) {
      this.#byWindow.delete(w);
      return;
    }
    this.#closed.add(w);
    this.#lateCount += m.size;
    for (const old of this.#closed) {
      if (this.#lateCount <= this.lateLimit) break;
      this.#drop(old);
    }
  }

  #drop(w: string): void {
    const m = this.#byWindow.get(w);
    this.#byWindow.delete(w);
    if (this.#closed.delete(w)) this.#lateCount -= m?.size ?? 0;
    for (const ip of m?.keys() ?? []) {
      const ws = this.#byIp.get(ip);
      ws?.delete(w);
      if (ws?.size === 0) this.#byIp.delete(ip);
    }
  }

  /** Number of (window, IP) pairs still waiting. */
  get size(): number {
    let n = 0;
    for (const m of this.#byWindow.values()) n += m.size;
    return n;
  }
}
