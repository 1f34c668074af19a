/**
 * The interface every flow input implements: Zeek TSV/JSON logs, Argus, Suricata, nfdump, stdin,
 * pcap files and live interfaces.
 */
import type { FlowRecord } from "../records/records.ts";

/** A problem with one line of input: counted, reported (rate-limited), never fatal. */
export interface InputWarning {
  file: string;
  /** 1-based line (or packet/record) number, 0 when not tied to one. */
  line: number;
  /** A full sentence saying what was expected. */
  message: string;
}

export interface ReaderStats {
  /** Lines (or packets) read so far. */
  linesRead: number;
  /** Records produced so far. */
  records: number;
  /** Lines skipped because they were malformed. */
  badLines: number;
  /** Bytes read so far and total bytes when known, for the progress line. */
  bytesRead: number;
  totalBytes: number;
}

export interface ReaderOptions {
  /** Called for each malformed line; the reader goes on with the next one. */
  onWarning: (w: InputWarning) => void;
  /** Called once for facts the user should know (an unknown log file skipped, …). */
  onNotice?: (text: string) => void;
  /** Aborts a reader that would otherwise run forever (growing dirs, stdin, live capture). */
  signal?: AbortSignal;
}

export interface FlowReader {
  /** What is being read, for the banner: "Zeek TSV conn.log", "Argus binetflow", … */
  readonly description: string;
  readonly stats: ReaderStats;
  /** Records in time order, in batches (a batch is typically ~1,000 records). */
  batches(): AsyncIterable<FlowRecord[]>;
  /** Releases files, subprocesses and sockets; safe to call twice. */
  close(): Promise<void>;
}

/** An error where nothing at all can be read (missing file, not a log, …). */
export class InputError extends Error {
  override name = "InputError";
}

export function emptyStats(): ReaderStats {
  return { linesRead: 0, records: 0, badLines: 0, bytesRead: 0, totalBytes: 0 };
}
