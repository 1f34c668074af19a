/**
 * One Zeek log file, TSV or JSON (decided line by line: `#` starts a header, `{` a JSON object,
 * anything else is a TSV row). TSV rows are split once and read through the column indices of the
 * file's `#fields` header; a later `#fields` header (concatenated files) re-indexes.
 */
import type { FlowRecord } from "../records/records.ts";
import { type Fields, JsonFields, TsvFields, unescapeZeek } from "./fields.ts";
import type { LineParser, ParseContext } from "./parse_context.ts";
import { ZEEK_MAPPERS } from "./zeek_mappers.ts";
import { isKnownField, isZeekLogType, ZEEK_LOG_TYPES, type ZeekLogType } from "./zeek_log_types.ts";

/** How often JSON lines are checked for unknown field names after the first ones. */
const JSON_FIELD_CHECK_EVERY = 1000;
const JSON_FIELD_CHECK_FIRST = 100;

export class ZeekLogParser implements LineParser {
  ended = false;
  #type: ZeekLogType | null;
  #typeKnownFromName: boolean;
  #mapper: ((f: Fields) => FlowRecord | null) | null;
  #sep = "\t";
  #setSep = ",";
  #unset = "-";
  #empty = "(empty)";
  #fieldCount = 0;
  #spaceJoined = false;
  #tsv: TsvFields | null = null;
  #json = new JsonFields();
  #jsonLines = 0;
  /** A type we cannot read (from `#path`), so the rest of the file is skipped quietly. */
  #skipping = false;

  constructor(readonly ctx: ParseContext, type: ZeekLogType | null) {
    this.#type = type;
    this.#typeKnownFromName = type !== null;
    this.#mapper = type === null ? null : ZEEK_MAPPERS[type];
  }

  get type(): ZeekLogType | null {
    return this.#type;
  }

  parse(line: string, lineNo: number, out: FlowRecord[]): void {
    if (line.length === 0) return;
    let c = line.charCodeAt(0);
    if (c === 9 || c === 32) {
      // Some tools leave whitespace before the first header (a stray tab in test10's conn.log).
      const t = line.trimStart();
      if (t === "") return;
      c = t.charCodeAt(0);
      if (c === 35 || c === 123) line = t;
    }
    if (c === 35 /* # */) {
      this.#header(line, lineNo);
      return;
    }
    if (this.#skipping) return;
    if (line.indexOf("\uFFFD") >= 0) {
      this.ctx.badLine(lineNo, "the line holds bytes that are not valid UTF-8; it was skipped.");
      return;
    }
    if (c === 123 /* { */) this.#jsonLine(line, lineNo, out);
    else this.#tsvLine(line, lineNo, out);
  }

  #header(line: string, lineNo: number): void {
    if (line.startsWith("#separator")) {
      const v = line.slice("#separator".length).trim();
      const sep = unescapeZeek(v);
      if (sep.length === 0) {
        this.ctx.badLine(lineNo, "the #separator header names no separator; a tab is assumed.");
        this.#sep = "\t";
      } else {
        this.#sep = sep;
      }
      return;
    }
    const parts = line.split(this.#sep);
    const key = parts[0].slice(1);
    const values = parts.slice(1);
    switch (key) {
      case "set_separator":
        if (values[0]) this.#setSep = unescapeZeek(values[0]);
        break;
      case "empty_field":
        if (values[0] !== undefined) this.#empty = values[0];
        break;
      case "unset_field":
        if (values[0] !== undefined) this.#unset = values[0];
        break;
      case "path":
        this.#path(values[0] ?? "");
        break;
      case "fields":
        this.#fields(values);
        break;
      case "close":
        this.ended = true;
        break;
      default:
        // #open, #types and comments carry nothing the records need.
        break;
    }
  }

  #path(path: string): void {
    if (this.#typeKnownFromName) return;
    if (isZeekLogType(path)) {
      this.#setType(path);
    } else {
      this.#skipping = true;
      this.ctx.noticeOnce(
        `zeek-path:${this.ctx.file}`,
        `${this.ctx.file} is a Zeek "${path}" log, which is not analysed; it is skipped.`,
      );
    }
  }

  #setType(t: ZeekLogType): void {
    this.#type = t;
    this.#mapper = ZEEK_MAPPERS[t];
  }

  #fields(written: string[]): void {
    // Some labelled datasets (CTU IoT-23) join the label columns to the last one with spaces.
    const names = written.flatMap((n) => n.trim().split(/\s+/)).filter((n) => n !== "");
    this.#spaceJoined = names.length !== written.length;
    const index = new Map<string, number>();
    names.forEach((n, i) => index.set(n, i));
    this.#fieldCount = names.length;
    this.#tsv = new TsvFields(index, this.#setSep, this.#unset, this.#empty);
    // Neither the file name nor a #path told the type: the field names usually do.
    if (this.#type === null && !this.#skipping) {
      const guessed = guessType(Object.fromEntries(names.map((n) => [n, true])));
      if (guessed) this.#setType(guessed);
    }
    if (this.#type !== null) { for (const n of names) this.#checkField(n); }
  }

  #checkField(name: string): void {
    const t = this.#type as ZeekLogType;
    if (isKnownField(t, name)) return;
    this.ctx.noticeOnce(
      `zeek-field:${t}:${name}`,
      `The Zeek ${t} log field "${name}" (first seen in ${this.ctx.file}) is not used.`,
    );
  }

  #tsvLine(line: string, lineNo: number, out: FlowRecord[]): void {
    const f = this.#tsv;
    if (f === null) {
      this.ctx.badLine(
        lineNo,
        "expected a #fields header line before the first data line of a Zeek TSV log; the line was skipped.",
      );
      return;
    }
    const mapper = this.#mapper;
    if (mapper === null) {
      this.#unknownType();
      return;
    }
    let cols = line.split(this.#sep);
    if (cols.length !== this.#fieldCount && this.#spaceJoined) cols = splitSpaceJoined(cols);
    if (cols.length !== this.#fieldCount) {
      this.ctx.badLine(
        lineNo,
        `expected ${this.#fieldCount} tab-separated fields as named by the #fields header, found ${cols.length}; the line was skipped.`,
      );
      return;
    }
    f.cols = cols;
    f.bad = "";
    this.#emit(mapper(f), f, lineNo, out);
  }

  #jsonLine(line: string, lineNo: number, out: FlowRecord[]): void {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      this.ctx.badLine(
        lineNo,
        "expected one JSON object per line, but the line is not valid JSON; it was skipped.",
      );
      return;
    }
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
      this.ctx.badLine(lineNo, "expected a JSON object; the line was skipped.");
      return;
    }
    const rec = obj as Record<string, unknown>;
    if (this.#mapper === null) {
      const guessed = guessType(rec);
      if (guessed === null) {
        this.#unknownType();
        return;
      }
      this.#setType(guessed);
    }
    this.#jsonLines++;
    if (
      this.#jsonLines <= JSON_FIELD_CHECK_FIRST || this.#jsonLines % JSON_FIELD_CHECK_EVERY === 0
    ) {
      for (const k in rec) {
        const v = rec[k];
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
          for (const sub in v as Record<string, unknown>) this.#checkField(`${k}.${sub}`);
        } else {
          this.#checkField(k);
        }
      }
    }
    const f = this.#json;
    f.obj = rec;
    f.bad = "";
    this.#emit((this.#mapper as (f: Fields) => FlowRecord | null)(f), f, lineNo, out);
  }

  #emit(r: FlowRecord | null, f: Fields, lineNo: number, out: FlowRecord[]): void {
    if (r === null) {
      this.ctx.badLine(
        lineNo,
        "expected a timestamp (unix seconds) in the ts field; the line was skipped.",
      );
      return;
    }
    if (f.bad !== "") {
      this.ctx.badLine(lineNo, `expected a number in the ${f.bad} field; the line was skipped.`);
      return;
    }
    this.ctx.stats.records++;
    out.push(r);
  }

  #unknownType(): void {
    this.#skipping = true;
    this.ctx.noticeOnce(
      `zeek-type:${this.ctx.file}`,
      `${this.ctx.file}: cannot tell which Zeek log this is (expected a file named after one of ${
        ZEEK_LOG_TYPES.join(", ")
      }, or a #path header); it is skipped.`,
    );
  }
}

/** For JSON files whose name does not say the log type: the fields only one log has. */
function guessType(o: Record<string, unknown>): ZeekLogType | null {
  const has = (k: string) => k in o;
  if (has("conn_state") || has("orig_pkts") || has("resp_ip_bytes")) return "conn";
  if (has("qtype_name") || has("rcode_name") || (has("query") && has("trans_id"))) return "dns";
  if (has("status_code") || has("user_agent") || has("resp_mime_types")) return "http";
  if (has("cipher") || has("server_name") || has("cert_chain_fps")) return "ssl";
  if (has("certificate.subject") || has("certificate.issuer")) return "x509";
  if (has("auth_success") || has("kex_alg")) return "ssh";
  if (has("msg_types") || has("client_addr")) return "dhcp";
  if (has("last_reply") || has("mailfrom")) return "smtp";
  if (has("tunnel_type")) return "tunnel";
  if (has("note")) return "notice";
  if (has("fuid") && (has("tx_hosts") || has("analyzers"))) return "files";
  if (has("orig_hw") || has("src_mac")) return "arp";
  if (has("software_type")) return "software";
  if (has("addl") || (has("name") && has("peer"))) return "weird";
  if (has("data_channel.resp_p") || (has("command") && has("reply_code"))) return "ftp";
  if (has("confused") || has("client_user")) return "login";
  return null;
}

/** Splits columns that hold several space-separated values (runs of 2+ spaces) into columns. */
function splitSpaceJoined(cols: string[]): string[] {
  const out: string[] = [];
  for (const c of cols) {
    if (c.includes("  ")) out.push(...c.trim().split(/\s{2,}/));
    else out.push(c);
  }
  return out;
}
