import type { ModuleConfig } from "@slips/core";

/** The `[flow_alerts]` settings, with the reference defaults (pipeline.md §13). */
export interface FlowAlertsSettings {
  /** Seconds a single flow must exceed to be a long connection. */
  longConnectionThreshold: number;
  /** Bytes (both directions) above which an SSH session counts as a successful login. */
  sshSuccessfulThreshold: number;
  /** MB sent to one destination within one time window that count as exfiltration. */
  dataExfiltrationThresholdMb: number;
  /** Shannon bits per character from which a TXT answer counts as high-entropy. */
  entropyThreshold: number;
  /** Bytes a pastebin response must reach to be reported as a download. */
  pastebinDownloadThreshold: number;
}

export function readSettings(config: ModuleConfig): FlowAlertsSettings {
  return {
    longConnectionThreshold: config.number("long_connection_threshold", 1500),
    // The key is misspelt in Slips ("succesful"); we read it as users have it in their configs.
    sshSuccessfulThreshold: config.number("ssh_succesful_detection_threshold", 4290),
    dataExfiltrationThresholdMb: config.number("data_exfiltration_threshold", 500),
    entropyThreshold: config.number("entropy_threshold", 5),
    pastebinDownloadThreshold: config.number("pastebin_download_threshold", 700),
  };
}
