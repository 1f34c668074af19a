/**
 * What the threat-intelligence module knows about the AS of IPs: the answers ip_info publishes
 * on the `ip_asn` channel, and the records still waiting for the AS of one of their IPs. ip_info
 * runs in another worker, so its answer may come before or after the record that needs it;
 * nothing here asks anybody, it only matches answers with waiting records.
 */

/** The channel ip_info registers and publishes each IP's AS on. */
export const IP_ASN_CHANNEL = "ip_asn";

/** The `ip_asn` channel's payload, as ip_info publishes it. */
export interface IpAsnMessage {
  ip: string;
  /** `AS<number> <organisation>`, e.g. "AS15169 GOOGLE". */
  asn: string;
}

export function isIpAsnMessage(data: unknown): data is IpAsnMessage {
  if (data === null || typeof data !== "object") return false;
  const d = data as Record<string, unknown>;
  return typeof d.ip === "string" && d.ip !== "" && typeof d.asn === "string" && d.asn !== "";
}

/**
 * The AS text of each IP, bounded: two generations of at most `limit` IPs each, so the oldest
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

/** Records waiting for an IP's AS, per (profile, window) and per IP. */
export class PendingAsn<T> {
  /** window key → IP → the first record of that window that needs it. */
  readonly #byWindow = new Map<string, Map<string, T>>();
  /** IP → window keys that wait for it. */
  readonly #byIp = new Map<string, Set<string>>();

  constructor(private readonly perWindow: number) {}

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
  }

  /** Removes and returns every record waiting for `ip`, in any open window. */
  takeIp(ip: string): T[] {
    const ws = this.#byIp.get(ip);
    if (!ws) return [];
    this.#byIp.delete(ip);
    const out: T[] = [];
    for (const w of ws) {
      const m = this.#byWindow.get(w);
      const item = m?.get(ip);
      if (item === undefined) continue;
      m!.delete(ip);
      out.push(item);
    }
    return out;
  }

  /** Removes and returns what the window still waits for. */
  takeWindow(profileid: string, twid: number): Map<string, T> {
    const w = `${profileid}|${twid}`;
    const m = this.#byWindow.get(w);
    if (!m) return new Map();
    this.#byWindow.delete(w);
    for (const ip of m.keys()) {
      const ws = this.#byIp.get(ip);
      ws?.delete(w);
      if (ws?.size === 0) this.#byIp.delete(ip);
    }
    return m;
  }

  /** Number of (window, IP) pairs still waiting. */
  get size(): number {
    let n = 0;
    for (const m of this.#byWindow.values()) n += m.size;
    return n;
  }
}
