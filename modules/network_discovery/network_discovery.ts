import { type ChannelMessage, type CoreChannel, Module } from "@slips/core";
import { PortScanTracker } from "./port_scan.ts";

/** Finds hosts discovering the network: port scans (horizontal and vertical). */
export default class NetworkDiscovery extends Module {
  readonly name = "network_discovery";
  readonly description = "Detects horizontal and vertical port scans.";
  readonly authors = ["Slips for Deno developers"];
  override readonly channels: readonly CoreChannel[] = ["new_flow", "tw_closed"];

  #scans = new PortScanTracker();

  main(message: ChannelMessage): void {
    switch (message.channel) {
      case "new_flow":
        for (const e of this.#scans.add(message.data)) this.setEvidence(e);
        return;
      case "tw_closed":
        this.#scans.close(message.data.profileid, message.data.twid);
        return;
    }
  }
}
