/**
 * The FlowReader over a capture byte stream (a file, or tcpdump's stdout for live capture):
 * container parsing → packet engine → records in batches, optionally mirrored to Zeek logs.
 */
import type { FlowRecord } from "../../records/records.ts";
import { emptyStats, type FlowReader, type ReaderOptions, type ReaderStats } from "../reader.ts";
import type { ByteWindow } from "./byte_window.ts";
import { CaptureParser, RawPacket } from "./capture_format.ts";
import type { PacketEngine } from "./packet_engine.ts";
import type { ZeekLogWriter } from "./zeek_log_writer.ts";

const BATCH = 1000;
/** Live capture: how often the clock moves on when no packet arrives. */
const LIVE_TICK_MS = 1000;
/** Live capture: how long to keep reading tcpdump's last packets after the stop signal. */
const LIVE_DRAIN_MS = 5000;

export interface PcapReaderParts {
  description: string;
  /** Name used in warnings. */
  file: string;
  window: ByteWindow;
  engine: PacketEngine;
  options: ReaderOptions;
  writer: ZeekLogWriter | null;
  totalBytes: number;
  /** Live capture: time moves with the wall clock even without packets. */
  live: boolean;
  /** Releases the capture process, if any. */
  stop?: () => Promise<unknown>;
}

export class PcapReader implements FlowReader {
  readonly description: string;
  readonly stats: ReaderStats = emptyStats();
  #p: PcapReaderParts;
  #parser: CaptureParser;
  #raw = new RawPacket();
  #closed = false;
  #fill: Promise<boolean> | null = null;

  constructor(parts: PcapReaderParts) {
    this.#p = parts;
    this.description = parts.description;
    this.stats.totalBytes = parts.totalBytes;
    this.#parser = new CaptureParser(parts.file);
  }

  get engine(): PacketEngine {
    return this.#p.engine;
  }

  async *batches(): AsyncIterable<FlowRecord[]> {
    const { window, engine, options } = this.#p;
    const parser = this.#parser;
    const raw = this.#raw;
    try {
      reading: for (;;) {
        if (this.#stopNow()) break;
        const r = parser.next(window, raw);
        if (r === "packet") {
          engine.packet(raw);
          this.stats.linesRead++;
          if (engine.readyCount >= BATCH) yield* this.#emit(BATCH);
          continue;
        }
        if (r === "skip") {
          this.stats.linesRead++;
          this.#skipped++;
          options.onWarning({
            file: this.#p.file,
            line: parser.packets,
            message: parser.skipReason ?? "A packet was skipped.",
          });
          parser.skipReason = null;
          continue;
        }
        if (r === "end") break;
        // Need more bytes.
        for (;;) {
          const got = await this.#more(parser.need);
          this.stats.bytesRead = window.position + window.available;
          if (got === "data") break;
          if (got === "eof") {
            parser.finish(window);
            break reading;
          }
          // A live tick: let time move on and hand out what is due.
          engine.advance(Date.now() / 1000);
          yield* this.#emit(1);
          if (this.#stopNow()) break reading;
        }
      }
      if (parser.damage !== null) {
        this.#skipped++;
        options.onWarning({
          file: this.#p.file,
          line: parser.packets + 1,
          message: parser.damage,
        });
      }
      engine.finish();
      yield* this.#emit(1);
      this.stats.badLines = engine.stats.malformed + this.#skipped;
      const s = engine.stats;
      if (s.truncated > 0) {
        options.onNotice?.(
          `${this.#p.file}: ${s.truncated} packets were cut short by the capture's snap length ` +
            `before their transport header and were not analysed.`,
        );
      }
      if (s.evicted > 0) {
        options.onNotice?.(
          `${this.#p.file}: the connection table was full ${s.evicted} times; the oldest ` +
            `connections were written out early.`,
        );
      }
    } finally {
      await this.close();
    }
  }

  async *#emit(min: number): AsyncGenerator<FlowRecord[]> {
    const engine = this.#p.engine;
    while (engine.readyCount >= min && engine.readyCount > 0) {
      const batch = engine.take(BATCH);
      this.stats.records += batch.length;
      this.stats.badLines = engine.stats.malformed + this.#skipped;
      if (this.#p.writer !== null) await this.#p.writer.write(batch);
      yield batch;
    }
  }

  #skipped = 0;
  #aborted: Promise<"tick"> | null = null;
  #abortSeenAt = 0;

  /**
   * A file stops as soon as the signal aborts. A live capture keeps reading what tcpdump still
   * delivers (it is stopped by the same signal and then closes the pipe), for a few seconds at most.
   */
  #stopNow(): boolean {
    const signal = this.#p.options.signal;
    if (signal === undefined || !signal.aborted) return false;
    if (!this.#p.live) return true;
    if (this.#abortSeenAt === 0) this.#abortSeenAt = Date.now();
    return Date.now() - this.#abortSeenAt > LIVE_DRAIN_MS;
  }

  /** Waits for more capture bytes; on live input also returns every tick. */
  async #more(need: number): Promise<"data" | "eof" | "tick"> {
    const w = this.#p.window;
    if (!this.#p.live) return (await w.fill(need)) ? "data" : "eof";
    if (this.#fill === null) this.#fill = w.fill(need);
    if (this.#aborted === null) {
      const signal = this.#p.options.signal;
      this.#aborted = new Promise<"tick">((resolve) => {
        if (signal === undefined) return;
        if (signal.aborted) resolve("tick");
        else signal.addEventListener("abort", () => resolve("tick"), { once: true });
      });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = new Promise<"tick">((resolve) => {
      timer = setTimeout(() => resolve("tick"), LIVE_TICK_MS);
    });
    const waits: Promise<"data" | "eof" | "tick">[] = [
      this.#fill.then((ok): "data" | "eof" => ok ? "data" : "eof"),
      tick,
    ];
    // Once aborted, only data or the tick end the wait (the pipe is about to close).
    if (!this.#p.options.signal?.aborted) waits.push(this.#aborted);
    const r = await Promise.race(waits);
    clearTimeout(timer);
    if (r !== "tick") this.#fill = null;
    return r;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#p.stop !== undefined) await this.#p.stop();
    } finally {
      this.#p.window.close();
      if (this.#p.writer !== null) await this.#p.writer.close();
    }
  }
}
