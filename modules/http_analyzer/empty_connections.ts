/**
 * Empty connections to search engines: requests for "/" with no body, which malware sends to
 * check that it is online.
 */
import type { HttpRecord } from "@slips/core";

const SEARCH_HOSTS = new Set([
  "bing.com",
  "google.com",
  "yandex.com",
  "yahoo.com",
  "duckduckgo.com",
  "gmail.com",
]);

/** The search host a request went to ("www." removed), or undefined when it is not one. */
export function searchHost(host: string): string | undefined {
  const h = host.toLowerCase().replace(/:\d+$/, "");
  const bare = h.startsWith("www.") ? h.slice(4) : h;
  return SEARCH_HOSTS.has(bare) ? bare : undefined;
}

export function isEmptyRequest(r: HttpRecord): boolean {
  return r.uri === "/" && r.requestBodyLen === 0;
}

/**
 * Counts empty requests per (profile, time window, search host). Slips keys the counter by
 * host alone, so every host of the network shares it and it never expires (quirk Q3); per
 * profile and window blames the host that made the requests and keeps memory bounded.
 */
export class EmptyConnections {
  readonly #counts = new Map<string, Map<string, { n: number; uids: string[] }>>();

  constructor(private readonly threshold = 4) {}

  /** EMPTY_CONNECTIONS: the 4th empty request to one search host reports, then the count restarts. */
  add(profileid: string, twid: number, host: string, uid: string): string[] | undefined {
    const w = `${profileid}_${twid}`;
    let m = this.#counts.get(w);
    if (!m) this.#counts.set(w, m = new Map());
    let c = m.get(host);
    if (!c) m.set(host, c = { n: 0, uids: [] });
    c.n++;
    c.uids.push(uid);
    if (c.n < this.threshold) return undefined;
    const uids = c.uids;
    m.delete(host);
    return uids;
  }

  close(profileid: string, twid: number): void {
    this.#counts.delete(`${profileid}_${twid}`);
  }
}
