/** Threat levels with Slips' numeric values; the accumulated score adds value × confidence. */
export const THREAT_LEVELS = {
  info: 0,
  low: 0.2,
  medium: 0.5,
  high: 0.8,
  critical: 1,
} as const;

export type ThreatLevel = keyof typeof THREAT_LEVELS;

export function threatValue(level: ThreatLevel): number {
  return THREAT_LEVELS[level];
}

/** IDMEFv2 has no Critical severity, so critical maps to High. */
export function idmefSeverity(level: ThreatLevel): "Info" | "Low" | "Medium" | "High" {
  switch (level) {
    case "info":
      return "Info";
    case "low":
      return "Low";
    case "medium":
      return "Medium";
    default:
      return "High";
  }
}

/** The confidence label written into alerts.json notes (casing as Slips writes it). */
export function confidenceLabel(confidence: number): "High" | "Medium" | "low" {
  if (confidence >= 0.8) return "High";
  if (confidence >= 0.55) return "Medium";
  return "low";
}

export function isThreatLevel(s: string): s is ThreatLevel {
  return Object.hasOwn(THREAT_LEVELS, s);
}
