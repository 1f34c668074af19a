/**
 * What the traffic tells about the local network's gateway: its MAC (where local hosts send
 * traffic for the internet) and its IP (the local address bound to that MAC, or else the DHCP
 * server, which on most small networks is the router).
 */
import { isGlobal, isRfc1918, isUsableMac } from "@slips/core";

export type GatewayIpSource = "mac" | "dhcp";

export class GatewayTracker {
  mac = "";
  ip = "";
  ipSource: GatewayIpSource | "" = "";
  /** The first MAC seen for each local IP, to find the gateway's IP once its MAC is known. */
  readonly #ipOfMac = new Map<string, string>();

  // A private source sending to a public destination addresses the frame to the gateway (dmac).
  /** Learns the gateway MAC from a flow; true when this flow taught it. */
  learnFromFlow(saddr: string, daddr: string, dmac: string): boolean {
    if (this.mac !== "" || dmac === "" || !isUsableMac(dmac)) return false;
    if (!isRfc1918(saddr) || !isGlobal(daddr)) return false;
    this.mac = dmac.toLowerCase();
    const ip = this.#ipOfMac.get(this.mac);
    if (ip !== undefined) this.#setIp(ip, "mac");
    return true;
  }

  /** Records an IP↔MAC binding; true when it revealed the gateway's IP. */
  learnBinding(ip: string, mac: string): boolean {
    if (!isRfc1918(ip) || !isUsableMac(mac)) return false;
    const m = mac.toLowerCase();
    if (!this.#ipOfMac.has(m)) this.#ipOfMac.set(m, ip);
    if (m !== this.mac || this.ipSource === "mac") return false;
    return this.#setIp(ip, "mac");
  }

  /** The DHCP server stands in for the gateway IP until the gateway MAC names a better one. */
  learnFromDhcp(serverAddr: string): boolean {
    if (this.ip !== "" || !isRfc1918(serverAddr)) return false;
    return this.#setIp(serverAddr, "dhcp");
  }

  #setIp(ip: string, source: GatewayIpSource): boolean {
    if (this.ip === ip) {
      this.ipSource = source;
      return false;
    }
    this.ip = ip;
    this.ipSource = source;
    return true;
  }
}
