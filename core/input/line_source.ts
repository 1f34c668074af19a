/**
 * Splits a byte source into text lines. Decoding is streamed (a UTF-8 sequence may straddle two
 * blocks) and a partial last line is held back until its newline arrives, which is what lets a
 * growing file be followed.
 */
import type { ChunkSource } from "./chunks.ts";

export class LineSource {
  #decoder = new TextDecoder("utf-8");
  #partial = "";
  #ended = false;
  /** 1-based number of the last line handed out. */
  lineNo = 0;

  constructor(readonly chunks: ChunkSource, readonly follow: boolean) {}

  /**
   * The next lines (without newline characters). `[]` when following and nothing new has been
   * written yet; `null` at the end.
   */
  async read(): Promise<string[] | null> {
    if (this.#ended) return null;
    for (;;) {
      const chunk = await this.chunks.next();
      if (chunk === null) {
        if (this.follow) return [];
        this.#ended = true;
        const last = this.#partial + this.#decoder.decode();
        this.#partial = "";
        if (last === "" || last === "\r") return null;
        this.lineNo++;
        return [stripCr(last)];
      }
      const text = this.#decoder.decode(chunk, { stream: true });
      if (text === "") continue;
      const lines = text.split("\n");
      lines[0] = this.#partial + lines[0];
      this.#partial = lines.pop() as string;
      if (lines.length === 0) continue;
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i];
        if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
      }
      this.lineNo += lines.length;
      return lines;
    }
  }

  close(): void {
    this.#ended = true;
    this.chunks.close();
  }
}

function stripCr(l: string): string {
  return l.charCodeAt(l.length - 1) === 13 ? l.slice(0, -1) : l;
}
