/**
 * A directory of Zeek logs read as one time-ordered stream. Each log keeps one pending batch and
 * the record with the smallest ts across logs is emitted next (pipeline.md §1), so records of
 * different logs interleave as they happened.
 *
 * Growing mode follows every log as Zeek appends to it, picks up logs that appear later (a new
 * `conn.log` after rotation; files are told apart by inode so a renamed old log is not read
 * twice) and ends only when the abort signal fires.
 */
import { basename, join } from "node:path";
import type { FlowRecord } from "../records/records.ts";
import { BATCH_SIZE, errorText, type LineFile, openLineFile } from "./file_reader.ts";
import { ParseContext } from "./parse_context.ts";
import {
  emptyStats,
  type FlowReader,
  InputError,
  type ReaderOptions,
  type ReaderStats,
} from "./reader.ts";
import { ZeekLogParser } from "./zeek_parser.ts";
import { isZeekLogType, parseZeekLogName, type ZeekLogType } from "./zeek_log_types.ts";

/** How long a growing directory waits before looking for new lines and files again. */
const FOLLOW_POLL_MS = 250;

export interface ZeekLogFile {
  path: string;
  type: ZeekLogType;
  gzip: boolean;
}

/**
 * The supported logs of a directory, sorted by name so rotated files come before the live one.
 * Unsupported `.log` files earn one notice each.
 */
export async function listZeekLogs(
  dir: string,
  onNotice?: (text: string) => void,
): Promise<ZeekLogFile[]> {
  const found: ZeekLogFile[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile && !e.isSymlink) continue;
    const n = parseZeekLogName(e.name);
    if (n === null) continue;
    if (!isZeekLogType(n.type)) {
      onNotice?.(
        `${join(dir, e.name)} is a Zeek "${n.type}" log, which is not analysed; it is skipped.`,
      );
      continue;
    }
    found.push({ path: join(dir, e.name), type: n.type, gzip: n.gzip });
  }
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return found;
}

interface Pending {
  file: LineFile;
  path: string;
  ino: number | null;
  buf: FlowRecord[];
  pos: number;
  /** Following and nothing new for now. */
  idle: boolean;
  /** The path now names another file (rotation): drop this one once it has nothing new. */
  replaced: boolean;
}

export class ZeekDirReader implements FlowReader {
  readonly stats: ReaderStats = emptyStats();
  readonly description: string;
  #logs: Pending[] = [];
  #seenInodes = new Set<number>();
  #ctx: ParseContext;
  #closed = false;
  #opened = false;

  constructor(
    readonly dir: string,
    readonly files: ZeekLogFile[],
    readonly options: ReaderOptions,
    readonly growing: boolean,
  ) {
    const types = [...new Set(files.map((f) => f.type))].join(", ");
    this.description = `${growing ? "growing " : ""}Zeek log directory ${dir} (${
      types === "" ? "no logs yet" : types
    })`;
    this.#ctx = new ParseContext(dir, this.stats, options.onWarning, options.onNotice);
  }

  async #open(f: ZeekLogFile): Promise<void> {
    let ino: number | null = null;
    try {
      const st = await Deno.stat(f.path);
      ino = st.ino;
      this.stats.totalBytes += st.size;
    } catch (e) {
      this.options.onNotice?.(`${f.path} could not be read (${errorText(e)}); it is skipped.`);
      return;
    }
    if (ino !== null) this.#seenInodes.add(ino);
    const ctx = this.#ctx.forFile(f.path);
    let file: LineFile;
    try {
      file = await openLineFile(
        f.path,
        { gzip: f.gzip, follow: this.growing && !f.gzip },
        ctx,
        (c) => new ZeekLogParser(c, f.type),
      );
    } catch (e) {
      this.options.onNotice?.(`${f.path} could not be opened (${errorText(e)}); it is skipped.`);
      return;
    }
    this.#logs.push({ file, path: f.path, ino, buf: [], pos: 0, idle: false, replaced: false });
  }

  /** Looks for logs that appeared since the last look, and for logs that were rotated away. */
  async #rescan(): Promise<void> {
    let current: ZeekLogFile[];
    try {
      current = await listZeekLogs(this.dir);
    } catch {
      return;
    }
    const present = new Set<number>();
    const fresh: ZeekLogFile[] = [];
    for (const f of current) {
      let st: Deno.FileInfo;
      try {
        st = await Deno.stat(f.path);
      } catch {
        continue;
      }
      if (st.ino === null) continue;
      present.add(st.ino);
      const n = parseZeekLogName(basename(f.path));
      // Only live names are new data; rotated or compressed copies repeat what was read.
      if (n === null || f.gzip || basename(f.path) !== `${n.type}.log`) continue;
      if (!this.#seenInodes.has(st.ino)) fresh.push(f);
    }
    // Forget deleted files, so a new log that reuses an inode number is not mistaken for one.
    for (const ino of this.#seenInodes) if (!present.has(ino)) this.#seenInodes.delete(ino);
    for (const f of fresh) {
      for (const p of this.#logs) if (p.path === f.path) p.replaced = true;
      await this.#open(f);
    }
  }

  async #refill(p: Pending): Promise<void> {
    const b = await p.file.nextBatch();
    if (b === null) {
      p.buf = [];
      p.pos = 0;
      p.idle = false;
      return;
    }
    p.buf = b;
    p.pos = 0;
    p.idle = b.length === 0;
    if (p.idle && p.replaced) p.file.close();
  }

  async *batches(): AsyncIterable<FlowRecord[]> {
    if (!this.#opened) {
      this.#opened = true;
      for (const f of this.files) await this.#open(f);
      if (this.#logs.length === 0 && !this.growing) {
        throw new InputError(`None of the Zeek logs in ${this.dir} could be opened.`);
      }
    }
    const signal = this.options.signal;
    let out: FlowRecord[] = [];
    try {
      for (;;) {
        if (signal?.aborted || this.#closed) break;
        // Every log must hold a pending record (or be finished / idle) before choosing.
        for (const p of this.#logs) {
          if (p.pos >= p.buf.length && !p.file.done && !p.idle) await this.#refill(p);
        }
        if (this.#logs.some((p) => p.file.done && p.pos >= p.buf.length)) {
          this.#logs = this.#logs.filter((p) => p.pos < p.buf.length || !p.file.done);
        }
        let best: Pending | null = null;
        let bestTs = Infinity;
        for (const p of this.#logs) {
          if (p.pos < p.buf.length) {
            const ts = p.buf[p.pos].ts;
            if (best === null || ts < bestTs) {
              best = p;
              bestTs = ts;
            }
          }
        }
        if (best !== null) {
          out.push(best.buf[best.pos++]);
          // Drain the chosen log while it stays the earliest: no rescans per record.
          while (best.pos < best.buf.length && out.length < BATCH_SIZE) {
            const ts = best.buf[best.pos].ts;
            let earliest = true;
            for (const p of this.#logs) {
              if (p !== best && p.pos < p.buf.length && p.buf[p.pos].ts < ts) {
                earliest = false;
                break;
              }
            }
            if (!earliest) break;
            out.push(best.buf[best.pos++]);
          }
          if (out.length >= BATCH_SIZE) {
            yield out;
            out = [];
          }
          continue;
        }
        if (out.length > 0) {
          yield out;
          out = [];
        }
        if (!this.growing) break;
        // Everything is idle: wait, then look for new lines and new files.
        await sleep(FOLLOW_POLL_MS, signal);
        for (const p of this.#logs) p.idle = false;
        await this.#rescan();
      }
      if (out.length > 0) yield out;
    } finally {
      await this.close();
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const p of this.#logs) p.file.close();
      this.#logs = [];
    }
    return Promise.resolve();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
