import type { InterpretedState } from "./records.ts";

const ZEEK_ESTABLISHED = new Set(["S1", "SF", "S2", "S3", "RSTO", "RSTP", "OTH"]);
const ZEEK_NOT_ESTABLISHED = new Set(["S0", "REJ", "RSTOS0", "RSTRH", "SH", "SHR"]);

/** Zeek conn_state; states in neither list (RSTR) fall back to the packet rule (> 3 packets). */
export function zeekState(state: string, pkts: number): InterpretedState {
  if (ZEEK_ESTABLISHED.has(state)) return "Established";
  if (ZEEK_NOT_ESTABLISHED.has(state)) return "Not Established";
  return pkts > 3 ? "Established" : "Not Established";
}

/** Suricata flow.state: `new` and `established` count as established, `closed` does not. */
export function suricataState(state: string): InterpretedState {
  const s = state.toLowerCase();
  if (s.includes("new") || s.includes("established")) return "Established";
  return "Not Established";
}

/**
 * Argus state. Two halves `X_Y`: established when both halves hold S and A, or both hold PA.
 * A single word: CON, EST, ECO, UNK are established; RST and FIN only with more than 3 packets.
 */
export function argusState(state: string, pkts: number): InterpretedState {
  const s = state.toUpperCase();
  const sep = s.indexOf("_");
  if (sep >= 0) {
    const a = s.slice(0, sep);
    const b = s.slice(sep + 1);
    if (a.includes("S") && a.includes("A") && b.includes("S") && b.includes("A")) {
      return "Established";
    }
    if (a.includes("PA") && b.includes("PA")) return "Established";
    return "Not Established";
  }
  if (s === "CON" || s === "EST" || s === "ECO" || s === "UNK") return "Established";
  if ((s === "RST" || s === "FIN") && pkts > 3) return "Established";
  return "Not Established";
}
