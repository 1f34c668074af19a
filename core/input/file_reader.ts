/**
 * One text input (a file, a gzip file, stdin, a subprocess's output) read as batches of records:
 * a LineSource feeding a LineParser. Also the FlowReader for inputs that are a single such file.
 */
import type { FlowRecord } from "../records/records.ts";
import { type ChunkSource, openFileChunks } from "./chunks.ts";
import { LineSource } from "./line_source.ts";
import type { LineParser, ParseContext } from "./parse_context.ts";
import type { FlowReader, ReaderStats } from "./reader.ts";

export const BATCH_SIZE = 1000;

export class LineFile {
  #lines: string[] = [];
  #pos = 0;
  #firstLineNo = 1;
  #done = false;

  constructor(
    readonly source: LineSource,
    readonly parser: LineParser,
    readonly ctx: ParseContext,
  ) {}

  get done(): boolean {
    return this.#done;
  }

  /**
   * Up to about BATCH_SIZE records; `[]` when following and nothing new was written; `null` at
   * the end (end of data, an end marker such as `#close`, or a read error, which is reported).
   */
  async nextBatch(): Promise<FlowRecord[] | null> {
    if (this.#done) return null;
    const out: FlowRecord[] = [];
    const stats = this.ctx.stats;
    for (;;) {
      while (this.#pos < this.#lines.length) {
        const i = this.#pos++;
        stats.linesRead++;
        this.parser.parse(this.#lines[i], this.#firstLineNo + i, out);
        if (this.parser.ended) {
          this.#finish();
          return out.length > 0 ? out : null;
        }
        if (out.length >= BATCH_SIZE) return out;
      }
      let lines: string[] | null;
      try {
        lines = await this.source.read();
      } catch (e) {
        this.ctx.badLine(
          this.source.lineNo + 1,
          `reading stopped because the data could not be read (${errorText(e)}).`,
        );
        lines = null;
      }
      if (lines === null) {
        this.#finish();
        return out.length > 0 ? out : null;
      }
      if (lines.length === 0) return out;
      this.#lines = lines;
      this.#pos = 0;
      this.#firstLineNo = this.source.lineNo - lines.length + 1;
    }
  }

  #finish(): void {
    this.#done = true;
    this.#lines = [];
    this.source.close();
  }

  close(): void {
    if (!this.#done) this.#finish();
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Opens a file (through gzip when asked) as a LineFile, counting its bytes into the stats. */
export async function openLineFile(
  path: string,
  opts: { gzip: boolean; follow: boolean },
  ctx: ParseContext,
  makeParser: (ctx: ParseContext) => LineParser,
): Promise<LineFile> {
  const stats = ctx.stats;
  const chunks = await openFileChunks(path, opts.gzip, (n) => {
    stats.bytesRead += n;
  });
  return new LineFile(new LineSource(chunks, opts.follow), makeParser(ctx), ctx);
}

export function lineFileFromChunks(
  chunks: ChunkSource,
  ctx: ParseContext,
  parser: LineParser,
): LineFile {
  return new LineFile(new LineSource(chunks, false), parser, ctx);
}

/** A FlowReader over one LineFile, with an optional extra cleanup (a subprocess to reap). */
export class SingleFileReader implements FlowReader {
  #closed = false;

  constructor(
    readonly description: string,
    readonly stats: ReaderStats,
    readonly file: LineFile,
    readonly onClose?: () => Promise<void>,
    readonly signal?: AbortSignal,
  ) {}

  async *batches(): AsyncIterable<FlowRecord[]> {
    try {
      for (;;) {
        if (this.signal?.aborted) return;
        const b = await this.file.nextBatch();
        if (b === null) return;
        if (b.length > 0) yield b;
      }
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.file.close();
    await this.onClose?.();
  }
}
