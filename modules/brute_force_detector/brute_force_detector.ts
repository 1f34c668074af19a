import { type ChannelMessage, type CoreChannel, Module } from "@slips/core";
import { SshGuessingTracker } from "./ssh_guessing.ts";

/** Detects SSH password guessing from ssh.log sessions, client banners and Zeek notices. */
export default class BruteForceDetector extends Module {
  readonly name = "brute_force_detector";
  readonly description = "Detects SSH password guessing.";
  readonly authors = ["Slips for Deno developers"];
  override readonly channels: readonly CoreChannel[] = [
    "new_ssh",
    "new_software",
    "new_notice",
    "tw_closed",
  ];

  #ssh = new SshGuessingTracker();

  override init(): void {
    this.#ssh = new SshGuessingTracker(this.config.number("ssh_attempt_threshold", 9));
  }

  main(message: ChannelMessage): void {
    switch (message.channel) {
      case "new_ssh": {
        const e = this.#ssh.add(message.data);
        if (e) this.setEvidence(e);
        return;
      }
      case "new_software":
        this.#ssh.addSoftware(message.data);
        return;
      case "new_notice": {
        const e = this.#ssh.addNotice(message.data);
        if (e) this.setEvidence(e);
        return;
      }
      case "tw_closed":
        this.#ssh.close(message.data.profileid, message.data.twid);
        return;
    }
  }
}
