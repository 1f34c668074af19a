import type { ThreatLevel } from "../evidence/threat_level.ts";

/** An alert: enough evidence in one profile and time window. */
export interface Alert {
  id: string;
  profileIp: string;
  twid: number;
  /** Window start and end, unix seconds. */
  twStart: number;
  twEnd: number;
  accumulatedThreat: number;
  threatLevel: ThreatLevel;
  confidence: number;
  /** Ids of the evidence that made the alert. */
  correlIds: string[];
  /** Time of the last flow behind it, unix seconds. */
  lastFlowTs: number;
  /** Wall-clock time it was raised, unix ms. */
  createdAt: number;
}

export interface ProfileInfo {
  ip: string;
  firstSeen: number;
  /** Free-form facts other parts learned: MAC, vendor, hostname, user agent, … */
  fields: Record<string, string>;
}

export interface TimeWindowInfo {
  profileIp: string;
  twid: number;
  start: number;
  end: number;
}
