/** Shared helpers of the input tests: read a whole input and keep what it reported. */
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { openInput, type OpenOptions } from "../../core/input/mod.ts";
import type { FlowReader, InputWarning } from "../../core/input/reader.ts";
import type { FlowRecord } from "../../core/records/records.ts";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "input");

export function fixture(rel: string): string {
  return join(FIXTURES, rel);
}

export interface ReadResult {
  records: FlowRecord[];
  warnings: InputWarning[];
  notices: string[];
  reader: FlowReader;
  batchSizes: number[];
}

export async function readAll(spec: string, extra: Partial<OpenOptions> = {}): Promise<ReadResult> {
  const warnings: InputWarning[] = [];
  const notices: string[] = [];
  const reader = await openInput(spec, {
    onWarning: (w) => warnings.push(w),
    onNotice: (t) => notices.push(t),
    ...extra,
  });
  const records: FlowRecord[] = [];
  const batchSizes: number[] = [];
  for await (const b of reader.batches()) {
    batchSizes.push(b.length);
    records.push(...b);
  }
  await reader.close();
  return { records, warnings, notices, reader, batchSizes };
}

/** A byte stream of the given text, as a test stand-in for standard input. */
export function textStream(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(c) {
      // Split into odd-sized chunks so that lines straddle chunk boundaries.
      for (let i = 0; i < bytes.length; i += 37) c.enqueue(bytes.slice(i, i + 37));
      c.close();
    },
  });
}

/** A deterministic PRNG (mulberry32) so fuzz runs are repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
