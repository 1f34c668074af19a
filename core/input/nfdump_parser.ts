/**
 * nfdump CSV (`nfdump -o csv`). The `ts,te,td,sa,…` header names the columns when present;
 * otherwise the classic positions are used (pipeline.md §2.3). nfdump prints local time without a
 * zone; the binary reader runs it with TZ=UTC and CSV text is taken as UTC. The summary block
 * after the rows ends the input.
 */
import type { ConnRecord, FlowRecord, InterpretedState } from "../records/records.ts";
import { parseCount, parsePort } from "./numbers.ts";
import type { LineParser, ParseContext } from "./parse_context.ts";
import { parseTimestamp } from "./timestamps.ts";
import { generatedUid } from "./uid.ts";

type Col =
  | "ts"
  | "te"
  | "td"
  | "sa"
  | "da"
  | "sp"
  | "dp"
  | "pr"
  | "flg"
  | "ipkt"
  | "ibyt"
  | "opkt"
  | "obyt";

const COLS: Col[] = [
  "ts",
  "te",
  "td",
  "sa",
  "da",
  "sp",
  "dp",
  "pr",
  "flg",
  "ipkt",
  "ibyt",
  "opkt",
  "obyt",
];

const DEFAULT_POSITIONS: Record<Col, number> = {
  ts: 0,
  te: 1,
  td: 2,
  sa: 3,
  da: 4,
  sp: 5,
  dp: 6,
  pr: 7,
  flg: 8,
  ipkt: 11,
  ibyt: 12,
  opkt: 13,
  obyt: 14,
};

/**
 * nfdump has TCP flags, not a connection state. Established when the flags show a completed
 * handshake (SYN and ACK) or data (PSH and ACK); other protocols when the reply side sent packets.
 */
export function nfdumpState(proto: string, flags: string, dpkts: number): InterpretedState {
  if (proto === "tcp") {
    const ack = flags.includes("A");
    return ack && (flags.includes("S") || flags.includes("P")) ? "Established" : "Not Established";
  }
  return dpkts > 0 ? "Established" : "Not Established";
}

export class NfdumpCsvParser implements LineParser {
  ended = false;
  #pos: Record<Col, number> | null = null;
  #minWidth = 15;

  constructor(readonly ctx: ParseContext) {}

  parse(line: string, lineNo: number, out: FlowRecord[]): void {
    const t = line.trim();
    if (t === "") {
      // A blank line separates the rows from the summary block.
      if (this.#pos !== null) this.ended = true;
      return;
    }
    if (t === "Summary" || t === "No matching flows") {
      this.ended = true;
      return;
    }
    if (t.indexOf("\uFFFD") >= 0) {
      this.ctx.badLine(lineNo, "the line holds bytes that are not valid UTF-8; it was skipped.");
      return;
    }
    const cols = line.split(",");
    if (this.#pos === null) {
      if (cols[0].trim() === "ts") {
        const pos = { ...DEFAULT_POSITIONS };
        const names = cols.map((c) => c.trim());
        let max = 0;
        for (const c of COLS) {
          const i = names.indexOf(c);
          if (i >= 0) pos[c] = i;
          max = Math.max(max, pos[c]);
        }
        this.#pos = pos;
        this.#minWidth = max + 1;
        return;
      }
      this.#pos = DEFAULT_POSITIONS;
    }
    this.#row(cols, lineNo, out);
  }

  #row(cols: string[], lineNo: number, out: FlowRecord[]): void {
    if (cols.length < this.#minWidth) {
      this.ctx.badLine(
        lineNo,
        `expected at least ${this.#minWidth} comma-separated nfdump fields, found ${cols.length}; the line was skipped.`,
      );
      return;
    }
    const p = this.#pos as Record<Col, number>;
    const get = (c: Col) => cols[p[c]].trim();
    const ts = parseTimestamp(get("ts"));
    if (Number.isNaN(ts)) {
      this.ctx.badLine(
        lineNo,
        `expected a start time (YYYY-MM-DD hh:mm:ss) in the ts column, found "${
          get("ts")
        }"; the line was skipped.`,
      );
      return;
    }
    const proto = get("pr").toLowerCase();
    const icmp = proto === "icmp" || proto === "ipv6-icmp" || proto === "icmp6";
    let sport = parsePort(get("sp"));
    let dport: number;
    let icmpType = -1;
    let icmpCode = -1;
    const dpText = get("dp");
    if (icmp && dpText.includes(".")) {
      // nfdump prints ICMP type and code as "type.code" in the destination port.
      const [ty, co] = dpText.split(".");
      icmpType = parseCount(ty);
      icmpCode = parseCount(co);
      sport = icmpType;
      dport = icmpCode;
    } else {
      dport = parsePort(dpText);
      if (icmp) {
        icmpType = (dport >> 8) & 0xff;
        icmpCode = dport & 0xff;
      }
    }
    const dur = parseCount(get("td"));
    const spkts = parseCount(get("ipkt"));
    const sbytes = parseCount(get("ibyt"));
    const dpkts = parseCount(get("opkt"));
    const dbytes = parseCount(get("obyt"));
    const checks: [string, number][] = [
      ["sp", sport],
      ["dp", dport],
      ["td", dur],
      ["ipkt", spkts],
      ["ibyt", sbytes],
      ["opkt", dpkts],
      ["obyt", dbytes],
      ["icmp type/code", icmpType + icmpCode],
    ];
    for (const [name, v] of checks) {
      if (Number.isNaN(v)) {
        this.ctx.badLine(lineNo, `expected a number in the ${name} column; the line was skipped.`);
        return;
      }
    }
    const flags = get("flg");
    const rec: ConnRecord = {
      kind: "conn",
      uid: generatedUid("F"),
      ts,
      saddr: get("sa"),
      daddr: get("da"),
      sport,
      dport,
      proto,
      source: "nfdump",
      label: "",
      detailedLabel: "",
      appproto: "",
      dur,
      sbytes,
      dbytes,
      spkts,
      dpkts,
      sipBytes: 0,
      dipBytes: 0,
      state: flags,
      interpreted: nfdumpState(proto, flags, dpkts),
      history: "",
      smac: "",
      dmac: "",
      icmpType,
      icmpCode,
    };
    this.ctx.stats.records++;
    out.push(rec);
  }
}
