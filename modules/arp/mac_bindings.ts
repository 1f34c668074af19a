/**
 * Which IP each MAC address was first seen with (from ARP, DHCP, flows and the profiler's MAC
 * announcements), and the network's gateway as far as the records reveal it.
 */
import { isGlobal, isLinkLocal, isRfc1918, isUsableMac } from "@slips/core";
import { forgetOldest } from "@slips/core";

const MAX_BINDINGS = 100_000;

/** Addresses whose packets carry their own MAC: remote hosts' packets carry the router's. */
function isLocal(ip: string): boolean {
  return isRfc1918(ip) || isLinkLocal(ip);
}

export class MacBindings {
  readonly #firstIp = new Map<string, string>();
  #gatewayIp = "";
  #gatewayMac = "";

  /** Binds the MAC to the IP unless it is already bound; 0.0.0.0 (ARP probes) binds nothing. */
  learn(ip: string, mac: string): void {
    if (ip === "" || mac === "") return;
    const m = mac.toLowerCase();
    // Checked first: almost every call repeats a known binding.
    if (this.#firstIp.has(m)) return;
    if (ip === "0.0.0.0" || !isLocal(ip) || !isUsableMac(m)) return;
    if (this.#firstIp.size >= MAX_BINDINGS) {
      forgetOldest(this.#firstIp);
    }
    this.#firstIp.set(m, ip);
  }

  /** The IP this MAC was first bound to. */
  firstIp(mac: string): string | undefined {
    return this.#firstIp.get(mac.toLowerCase());
  }

  /** A local host talking to a public address sends to the gateway's MAC. */
  learnFromFlow(saddr: string, daddr: string, smac: string, dmac: string): void {
    if (smac !== "") this.learn(saddr, smac);
    if (
      this.#gatewayMac === "" && dmac !== "" && isUsableMac(dmac) && isLocal(saddr) &&
      isGlobal(daddr)
    ) {
      this.#gatewayMac = dmac.toLowerCase();
    }
  }

  /** From Zeek's Gateway_addr_identified notice (Slips' DHCP script). */
  setGatewayIp(ip: string): void {
    if (this.#gatewayIp === "") this.#gatewayIp = ip;
  }

  get gatewayIp(): string {
    if (this.#gatewayIp !== "") return this.#gatewayIp;
    return this.#gatewayMac === "" ? "" : this.firstIp(this.#gatewayMac) ?? "";
  }

  get gatewayMac(): string {
    return this.#gatewayMac;
  }

  isGateway(ip: string): boolean {
    return ip !== "" && ip === this.gatewayIp;
  }
}
