import {
  type ChannelMessage,
  type CoreChannel,
  type EvidenceInput,
  Module,
  serviceName,
} from "@slips/core";
import { PortScanTracker } from "./port_scan.ts";
import { IcmpSweepTracker } from "./icmp_sweep.ts";
import { DhcpScanTracker } from "./dhcp_scan.ts";
import { noticeScanEvidence } from "./zeek_notice_scan.ts";

/** Finds hosts discovering the network: port scans, ICMP sweeps, DHCP scans, Zeek scan notices. */
export default class NetworkDiscovery extends Module {
  readonly name = "network_discovery";
  readonly description = "Detects port scans, ICMP sweeps and DHCP scans.";
  readonly authors = ["Slips for Deno developers"];
  override readonly channels: readonly CoreChannel[] = [
    "new_flow",
    "new_notice",
    "new_dhcp",
    "tw_closed",
  ];

  #scans = new PortScanTracker((port, proto) => serviceName(port, proto) ?? "");
  #icmp = new IcmpSweepTracker();
  #dhcp = new DhcpScanTracker();
  /** Windows already announced on port_scanner (profile_ip_twid). */
  #announced = new Set<string>();

  /** Raises the evidence and, for scans, tells other modules that this profile is a scanner. */
  #raise(e: EvidenceInput): void {
    this.setEvidence(e);
    if (e.evidenceType !== "HORIZONTAL_PORT_SCAN" && e.evidenceType !== "VERTICAL_PORT_SCAN") {
      return;
    }
    const key = `${e.profileIp}_${e.twid}`;
    if (this.#announced.has(key)) return;
    this.#announced.add(key);
    void this.db.publish("port_scanner", {
      profileid: `profile_${e.profileIp}`,
      ip: e.profileIp,
      twid: e.twid,
    });
  }

  main(message: ChannelMessage): void {
    switch (message.channel) {
      case "new_flow":
        for (const e of this.#scans.add(message.data)) this.#raise(e);
        for (const e of this.#icmp.add(message.data)) this.#raise(e);
        return;
      case "new_notice": {
        const e = noticeScanEvidence(message.data, (src, kind) => this.#icmp.tracks(src, kind));
        if (e) this.#raise(e);
        return;
      }
      case "new_dhcp":
        for (const e of this.#dhcp.add(message.data)) this.#raise(e);
        return;
      case "tw_closed":
        this.#scans.close(message.data.profileid, message.data.twid);
        this.#icmp.close(message.data.profileid, message.data.twid);
        this.#dhcp.close(message.data.profileid, message.data.twid);
        this.#announced.delete(`${message.data.ip}_${message.data.twid}`);
        return;
    }
  }
}
