/**
 * Standard input as a flow source (`-f zeek|suricata|argus`): one record per line, until the
 * stream ends, a line `done` arrives, or the abort signal fires.
 */
import type { FlowRecord } from "../records/records.ts";
import { ArgusParser } from "./argus_parser.ts";
import { type ChunkSource, StreamChunks } from "./chunks.ts";
import { lineFileFromChunks, SingleFileReader } from "./file_reader.ts";
import { type LineParser, ParseContext } from "./parse_context.ts";
import { emptyStats, type FlowReader, type ReaderOptions } from "./reader.ts";
import { SuricataParser } from "./suricata_parser.ts";
import { ZeekLogParser } from "./zeek_parser.ts";

export type StdinType = "zeek" | "suricata" | "argus";

/** Ends the input at a line reading `done`, as Slips' stdin protocol does. */
class UntilDone implements LineParser {
  #done = false;
  constructor(readonly inner: LineParser) {}
  get ended(): boolean {
    return this.#done || this.inner.ended;
  }
  parse(line: string, lineNo: number, out: FlowRecord[]): void {
    if (line.length <= 6 && line.trim() === "done") {
      this.#done = true;
      return;
    }
    this.inner.parse(line, lineNo, out);
  }
}

export function makeStdinParser(type: StdinType, ctx: ParseContext): LineParser {
  const inner = type === "zeek"
    ? new ZeekLogParser(ctx, "conn")
    : type === "suricata"
    ? new SuricataParser(ctx)
    : new ArgusParser(ctx);
  return new UntilDone(inner);
}

/**
 * Reads `type` lines from `stream` (standard input unless given, which is what tests use).
 */
export function openStdin(
  type: StdinType,
  options: ReaderOptions,
  stream: ReadableStream<Uint8Array> = Deno.stdin.readable,
): FlowReader {
  const stats = emptyStats();
  const ctx = new ParseContext("<stdin>", stats, options.onWarning, options.onNotice);
  const counted = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        stats.bytesRead += chunk.byteLength;
        c.enqueue(chunk);
      },
    }),
  );
  const chunks: ChunkSource = new StreamChunks(counted);
  // A blocked read on stdin only returns when the stream is cancelled.
  options.signal?.addEventListener("abort", () => chunks.close(), { once: true });
  const file = lineFileFromChunks(chunks, ctx, makeStdinParser(type, ctx));
  return new SingleFileReader(`standard input (${type})`, stats, file, undefined, options.signal);
}
