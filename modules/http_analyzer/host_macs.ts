/**
 * The MAC address of each local host, learned from flows, DHCP and ARP, so its vendor can be
 * compared with the OS its user agents claim. The first binding of an IP is kept.
 */
import { isLinkLocal, isRfc1918, isUsableMac } from "@slips/core";
import { forgetOldest } from "@slips/core";

export class HostMacs {
  readonly #macs = new Map<string, string>();

  constructor(private readonly max = 100_000) {}

  /** Only local addresses: packets from remote hosts carry the router's MAC, not theirs. */
  learn(ip: string, mac: string): void {
    if (ip === "" || this.#macs.has(ip) || !isUsableMac(mac)) return;
    if (!isRfc1918(ip) && !isLinkLocal(ip)) return;
    if (this.#macs.size >= this.max) {
      forgetOldest(this.#macs);
    }
    this.#macs.set(ip, mac.toLowerCase());
  }

  get(ip: string): string | undefined {
    return this.#macs.get(ip);
  }
}
