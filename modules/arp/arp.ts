import {
  type ArpRecord,
  type ChannelMessage,
  type CoreChannel,
  type EvidenceInput,
  Module,
  type Profiled,
} from "@slips/core";
import { ArpScanTracker, isScanRequest } from "./arp_scan.ts";
import { isGratuitousReply, isOutsideLocalnet, isUnsolicitedArp } from "./arp_checks.ts";
import { MacBindings } from "./mac_bindings.ts";

/** One report per (profile, window) and subject for the per-packet ARP checks. */
class Reported {
  readonly #byWindow = new Map<string, Set<string>>();

  first(profileid: string, twid: number, key: string): boolean {
    const w = `${profileid}_${twid}`;
    let s = this.#byWindow.get(w);
    if (!s) this.#byWindow.set(w, s = new Set());
    if (s.has(key)) return false;
    s.add(key);
    return true;
  }

  close(profileid: string, twid: number): void {
    this.#byWindow.delete(`${profileid}_${twid}`);
  }
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/;

/** Detects ARP scans, ARP outside the local network, unsolicited ARP and ARP spoofing (MITM). */
export default class Arp extends Module {
  readonly name = "arp";
  readonly description = "Detects ARP scans, unsolicited ARP and ARP man-in-the-middle attacks.";
  readonly authors = ["Slips for Deno developers"];
  override readonly channels: readonly CoreChannel[] = [
    "new_arp",
    "new_flow",
    "new_dhcp",
    "new_MAC",
    "new_notice",
    "tw_closed",
  ];

  #scan = new ArpScanTracker();
  #macs = new MacBindings();
  #reported = new Reported();

  main(message: ChannelMessage): void {
    switch (message.channel) {
      case "new_arp":
        return this.#arp(message.data);
      case "new_flow": {
        const f = message.data;
        this.#macs.learnFromFlow(f.saddr, f.daddr, f.smac, f.dmac);
        return;
      }
      case "new_dhcp":
        this.#macs.learn(message.data.clientAddr || message.data.saddr, message.data.mac);
        return;
      case "new_MAC":
        this.#macs.learn(message.data.ip, message.data.mac);
        return;
      case "new_notice": {
        const n = message.data;
        if (!n.note.includes("Gateway_addr_identified")) return;
        const ip = n.msg.match(IPV4)?.[0] ?? n.saddr;
        if (ip !== "") this.#macs.setGatewayIp(ip);
        return;
      }
      case "tw_closed": {
        const { profileid, twid } = message.data;
        this.#emit(this.#scan.close(profileid, twid));
        this.#reported.close(profileid, twid);
        return;
      }
    }
  }

  override shutdownGracefully(): void {
    this.#emit(this.#scan.flushAll());
  }

  #emit(evidence: EvidenceInput[]): void {
    for (const e of evidence) this.setEvidence(e);
  }

  #arp(r: Profiled<ArpRecord>): void {
    this.#emit(this.#scan.flushDue(r.ts));
    const src = { direction: "SRC", iocType: "IP", value: r.saddr } as const;
    const smac = r.smac || r.srcHw;

    if (isScanRequest(r) && r.saddr !== "0.0.0.0" && !this.#macs.isGateway(r.saddr)) {
      this.#emit(this.#scan.add(r));
    }

    if (isOutsideLocalnet(r) && this.#reported.first(r.profileid, r.twid, `out|${r.daddr}`)) {
      this.setEvidence({
        evidenceType: "ARP_OUTSIDE_LOCALNET",
        attacker: src,
        victim: { direction: "DST", iocType: "IP", value: r.daddr },
        threatLevel: "low",
        confidence: 0.6,
        profileIp: r.saddr,
        twid: r.twid,
        ts: r.ts,
        description:
          `${r.saddr} sent an ARP request for ${r.daddr}, an address outside its local network.`,
        uids: [r.uid],
        proto: "arp",
      });
    }

    if (isUnsolicitedArp(r) && this.#reported.first(r.profileid, r.twid, `unsolicited|${smac}`)) {
      this.setEvidence({
        evidenceType: "UNSOLICITED_ARP",
        attacker: src,
        threatLevel: "low",
        confidence: 0.8,
        profileIp: r.saddr,
        twid: r.twid,
        ts: r.ts,
        description:
          `${r.saddr} (MAC ${smac}) broadcast an unsolicited ARP reply, which updates every neighbour's ARP cache.`,
        uids: [r.uid],
        proto: "arp",
      });
    }

    if (isGratuitousReply(r)) this.#mitm(r, smac);
    this.#macs.learn(r.saddr, smac);
  }

  /** MITM_ARP_ATTACK: a gratuitous reply claims a MAC first seen with another IP. */
  #mitm(r: Profiled<ArpRecord>, smac: string): void {
    const original = this.#macs.firstIp(smac);
    if (original === undefined || original === r.saddr || r.saddr === "0.0.0.0") return;
    if (!this.#reported.first(r.profileid, r.twid, `mitm|${smac}|${original}`)) return;
    const gwIp = this.#macs.gatewayIp;
    const who = this.#macs.isGateway(r.saddr) ? `The gateway ${r.saddr}` : r.saddr;
    const mac = smac.toLowerCase() === this.#macs.gatewayMac ? `${smac} (the gateway's MAC)` : smac;
    const orig = original === gwIp ? `the gateway IP ${original}` : `IP ${original}`;
    this.setEvidence({
      evidenceType: "MITM_ARP_ATTACK",
      attacker: { direction: "SRC", iocType: "IP", value: r.saddr },
      victim: { direction: "DST", iocType: "IP", value: original },
      threatLevel: "critical",
      confidence: 0.2,
      profileIp: r.saddr,
      twid: r.twid,
      ts: r.ts,
      description:
        `${who} may be performing an ARP man-in-the-middle attack: it claims MAC ${mac}, which was first seen with ${orig}.`,
      uids: [r.uid],
      proto: "arp",
    });
  }
}
