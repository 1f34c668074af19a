/**
 * The DNS answers flow_alerts has seen: which IPs were resolved and when (for connections
 * without DNS), which names an IP was resolved from (to recognise organisations' servers) and
 * which IPs a name resolved to (for DNS resolutions without connection).
 */
import { isIp } from "@slips/core";
import { BoundedMap } from "@slips/core";

interface Resolution {
  /** Traffic time of the latest answer holding the IP. */
  ts: number;
  /** The name it answered. */
  name: string;
}

/** IPs kept per name; answers beyond this are rotated (CDNs hand out many). */
const IPS_PER_NAME = 16;

export class DnsResolutions {
  #byIp = new BoundedMap<string, Resolution>(500_000);
  #byName = new BoundedMap<string, string[]>(200_000);

  /** Records the IP answers of a query (the other answers are CNAMEs or typed records). */
  add(name: string, answers: readonly string[], ts: number): void {
    const lname = name.toLowerCase();
    let ips = this.#byName.get(lname);
    for (const a of answers) {
      if (!isIp(a)) continue;
      const prev = this.#byIp.get(a);
      if (prev === undefined || prev.ts <= ts) this.#byIp.set(a, { ts, name: lname });
      if (ips === undefined) ips = [];
      if (!ips.includes(a)) {
        ips.push(a);
        if (ips.length > IPS_PER_NAME) ips.shift();
      }
    }
    if (ips !== undefined) this.#byName.set(lname, ips);
  }

  /** Whether `ip` was resolved at or after `since` (traffic time). */
  resolvedSince(ip: string, since: number): boolean {
    const r = this.#byIp.get(ip);
    return r !== undefined && r.ts >= since;
  }

  /** The name `ip` was last resolved from. */
  nameOf(ip: string): string | undefined {
    return this.#byIp.get(ip)?.name;
  }

  /** IPs `name` resolved to recently. */
  ipsOf(name: string): readonly string[] {
    return this.#byName.get(name.toLowerCase()) ?? [];
  }

  /** Forgets a resolution (an invalid answer must not vouch for connections). */
  forget(ip: string): void {
    this.#byIp.delete(ip);
  }
}
