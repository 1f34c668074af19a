/**
 * What every line parser shares: where warnings go, the stats it updates and the file it names in
 * messages. One context per input file.
 */
import type { FlowRecord } from "../records/records.ts";
import type { InputWarning, ReaderStats } from "./reader.ts";

export class ParseContext {
  /** Notices already given, so each is given once per reader. */
  readonly #noticed: Set<string>;

  constructor(
    /** The file name used in warnings ("<stdin>" for standard input). */
    readonly file: string,
    readonly stats: ReaderStats,
    readonly onWarningFn: (w: InputWarning) => void,
    readonly onNoticeFn: ((text: string) => void) | undefined,
    noticed?: Set<string>,
  ) {
    this.#noticed = noticed ?? new Set();
  }

  /** Counts a skipped line and reports why. */
  badLine(line: number, message: string): void {
    this.stats.badLines++;
    const where = line > 0 ? `${this.file}, line ${line}` : this.file;
    this.onWarningFn({ file: this.file, line, message: `${where}: ${message}` });
  }

  /** A fact worth telling the user once (unknown field, unknown event type, …). */
  noticeOnce(key: string, text: string): void {
    if (this.#noticed.has(key)) return;
    this.#noticed.add(key);
    this.onNoticeFn?.(text);
  }

  /** A context for another file of the same reader, sharing stats and given notices. */
  forFile(file: string): ParseContext {
    return new ParseContext(file, this.stats, this.onWarningFn, this.onNoticeFn, this.#noticed);
  }
}

/** Turns text lines of one format into records. */
export interface LineParser {
  /** Parses one line (without its newline) and appends any records to `out`. */
  parse(line: string, lineNo: number, out: FlowRecord[]): void;
  /** True once the input said it is complete (`#close`, a `done` line). */
  readonly ended: boolean;
}
