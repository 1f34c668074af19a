/**
 * Argus binetflow text, comma- or tab-separated. The header row names the columns (any order,
 * case-insensitive); without one the classic positions are used (pipeline.md §2.3). Rows of non-IP
 * protocols (man, llc, arp, …) carry no IP flow and are skipped with a single notice.
 */
import type { ConnRecord, FlowRecord } from "../records/records.ts";
import { argusState } from "../records/state.ts";
import { parseCount, parsePort } from "./numbers.ts";
import type { LineParser, ParseContext } from "./parse_context.ts";
import { parseTimestamp } from "./timestamps.ts";
import { generatedUid } from "./uid.ts";

type Col =
  | "ts"
  | "dur"
  | "proto"
  | "saddr"
  | "sport"
  | "dir"
  | "daddr"
  | "dport"
  | "state"
  | "pkts"
  | "bytes"
  | "sbytes"
  | "dbytes"
  | "spkts"
  | "dpkts"
  | "label"
  | "appproto";

const NAMES: Record<string, Col> = {
  starttime: "ts",
  stime: "ts",
  time: "ts",
  dur: "dur",
  proto: "proto",
  srcaddr: "saddr",
  saddr: "saddr",
  sport: "sport",
  dir: "dir",
  dstaddr: "daddr",
  daddr: "daddr",
  dport: "dport",
  state: "state",
  totpkts: "pkts",
  totbytes: "bytes",
  srcbytes: "sbytes",
  sbytes: "sbytes",
  dstbytes: "dbytes",
  dbytes: "dbytes",
  srcpkts: "spkts",
  spkts: "spkts",
  dstpkts: "dpkts",
  dpkts: "dpkts",
  label: "label",
  appproto: "appproto",
};

/** Positions used when the file has no header row. */
const DEFAULT_POSITIONS: Partial<Record<Col, number>> = {
  ts: 0,
  dur: 1,
  proto: 2,
  saddr: 3,
  sport: 4,
  dir: 5,
  daddr: 6,
  dport: 7,
  state: 8,
  pkts: 11,
  bytes: 12,
  sbytes: 13,
  spkts: 14,
  label: 15,
};

const NON_IP = new Set([
  "man",
  "llc",
  "arp",
  "rarp",
  "stp",
  "lldp",
  "ipx",
  "cdp",
  "ipx/spx",
  "802.1q",
]);

export class ArgusParser implements LineParser {
  ended = false;
  #sep: string | null = null;
  #pos: Partial<Record<Col, number>> | null = null;
  #width = 0;

  constructor(readonly ctx: ParseContext) {}

  parse(line: string, lineNo: number, out: FlowRecord[]): void {
    if (line.trim() === "" || line.charCodeAt(0) === 35 /* # comment */) return;
    if (this.#sep === null) this.#sep = line.includes("\t") ? "\t" : ",";
    if (line.indexOf("\uFFFD") >= 0) {
      this.ctx.badLine(lineNo, "the line holds bytes that are not valid UTF-8; it was skipped.");
      return;
    }
    const cols = line.split(this.#sep);
    if (this.#pos === null) {
      if (this.#header(cols)) return;
      this.#pos = DEFAULT_POSITIONS;
      this.#width = 0;
    }
    this.#row(cols, lineNo, out);
  }

  /** Reads a header row; false when the row is data (the file has no header). */
  #header(cols: string[]): boolean {
    const pos: Partial<Record<Col, number>> = {};
    let known = 0;
    cols.forEach((c, i) => {
      const key = NAMES[c.trim().toLowerCase()];
      if (key !== undefined && pos[key] === undefined) {
        pos[key] = i;
        known++;
      }
    });
    if (known < 3 || pos.saddr === undefined) return false;
    for (const need of ["ts", "proto", "daddr"] as Col[]) {
      if (pos[need] === undefined) {
        this.ctx.noticeOnce(
          `argus-col:${need}`,
          `The Argus header of ${this.ctx.file} has no ${need} column; that value stays empty.`,
        );
      }
    }
    this.#pos = pos;
    this.#width = cols.length;
    return true;
  }

  #row(cols: string[], lineNo: number, out: FlowRecord[]): void {
    const p = this.#pos as Partial<Record<Col, number>>;
    if (this.#width > 0) {
      // Trailing separators after the last column are common; extra empty fields are harmless.
      let n = cols.length;
      while (n > this.#width && cols[n - 1].trim() === "") n--;
      if (n !== this.#width) {
        this.ctx.badLine(
          lineNo,
          `expected ${this.#width} fields as named by the header row, found ${cols.length}; the line was skipped.`,
        );
        return;
      }
    } else if (cols.length < 13) {
      this.ctx.badLine(
        lineNo,
        `expected at least 13 fields (StartTime … TotBytes) in a headerless Argus row, found ${cols.length}; the line was skipped.`,
      );
      return;
    }
    const get = (c: Col): string => {
      const i = p[c];
      return i === undefined || i >= cols.length ? "" : cols[i].trim();
    };
    const proto = get("proto").toLowerCase();
    if (NON_IP.has(proto)) {
      this.ctx.noticeOnce(
        `argus-nonip:${proto}`,
        `${this.ctx.file}: rows of the non-IP protocol "${proto}" carry no IP flow and are skipped.`,
      );
      return;
    }
    const ts = parseTimestamp(get("ts"));
    if (Number.isNaN(ts)) {
      this.ctx.badLine(
        lineNo,
        `expected a start time (YYYY/MM/DD hh:mm:ss.ffffff or unix seconds) in the first column, found "${
          get("ts")
        }"; the line was skipped.`,
      );
      return;
    }
    const sport = parsePort(get("sport"));
    const dport = parsePort(get("dport"));
    const dur = parseCount(get("dur"));
    const pkts = parseCount(get("pkts"));
    const bytes = parseCount(get("bytes"));
    const sbytes = parseCount(get("sbytes"));
    const spkts = parseCount(get("spkts"));
    const hasDbytes = p.dbytes !== undefined;
    const hasDpkts = p.dpkts !== undefined;
    const dbytes = hasDbytes ? parseCount(get("dbytes")) : bytes - sbytes;
    const dpkts = hasDpkts ? parseCount(get("dpkts")) : pkts - spkts;
    const numbers: [string, number][] = [
      ["Sport", sport],
      ["Dport", dport],
      ["Dur", dur],
      ["TotPkts", pkts],
      ["TotBytes", bytes],
      ["SrcBytes", sbytes],
      ["SrcPkts", spkts],
      ["DstBytes", dbytes],
      ["DstPkts", dpkts],
    ];
    for (const [name, v] of numbers) {
      if (Number.isNaN(v)) {
        this.ctx.badLine(lineNo, `expected a number in the ${name} column; the line was skipped.`);
        return;
      }
    }
    const state = get("state");
    const icmp = proto === "icmp" || proto === "ipv6-icmp";
    const rec: ConnRecord = {
      kind: "conn",
      uid: generatedUid("R"),
      ts,
      saddr: get("saddr"),
      daddr: get("daddr"),
      sport,
      dport,
      proto,
      source: "argus",
      label: get("label"),
      detailedLabel: "",
      appproto: get("appproto"),
      dur,
      sbytes,
      dbytes,
      spkts,
      dpkts,
      sipBytes: 0,
      dipBytes: 0,
      state,
      interpreted: argusState(state, pkts),
      history: "",
      smac: "",
      dmac: "",
      // Argus packs the ICMP type in the low byte of Sport and the code in the high byte.
      icmpType: icmp ? sport & 0xff : -1,
      icmpCode: icmp ? (sport >> 8) & 0xff : -1,
    };
    this.ctx.stats.records++;
    out.push(rec);
  }
}
