/**
 * A sliding window over a byte stream, read in large chunks so that packet parsing works on one
 * big Uint8Array instead of one small read per packet. Views handed out by the window stay valid
 * only until the next `fill`.
 */

/** Something bytes can be read from: a file or the stdout pipe of a capture process. */
export interface ChunkReader {
  /** Reads into `dst`; the number of bytes read, or null at the end of the stream. */
  readInto(dst: Uint8Array): Promise<number | null>;
  close(): void;
}

export class FileChunkReader implements ChunkReader {
  #file: Deno.FsFile;
  #closed = false;
  constructor(file: Deno.FsFile) {
    this.#file = file;
  }
  readInto(dst: Uint8Array): Promise<number | null> {
    return this.#file.read(dst);
  }
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#file.close();
    } catch {
      // Already closed by the runtime.
    }
  }
}

export class StreamChunkReader implements ChunkReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #left: Uint8Array | null = null;
  /** `first`: bytes already taken from the stream that must come out first. */
  constructor(stream: ReadableStream<Uint8Array>, first: Uint8Array | null = null) {
    this.#reader = stream.getReader();
    this.#left = first;
  }
  async readInto(dst: Uint8Array): Promise<number | null> {
    let chunk = this.#left;
    this.#left = null;
    if (chunk === null) {
      const r = await this.#reader.read();
      if (r.done || r.value === undefined) return null;
      chunk = r.value;
    }
    if (chunk.length <= dst.length) {
      dst.set(chunk);
      return chunk.length;
    }
    dst.set(chunk.subarray(0, dst.length));
    this.#left = chunk.subarray(dst.length);
    return dst.length;
  }
  close(): void {
    this.#reader.cancel().catch(() => {});
  }
}

/** Reads from an in-memory buffer (tests, fuzzing). */
export class BufferChunkReader implements ChunkReader {
  #data: Uint8Array;
  #pos = 0;
  #step: number;
  constructor(data: Uint8Array, step = 1 << 20) {
    this.#data = data;
    this.#step = step;
  }
  readInto(dst: Uint8Array): Promise<number | null> {
    if (this.#pos >= this.#data.length) return Promise.resolve(null);
    const n = Math.min(dst.length, this.#step, this.#data.length - this.#pos);
    dst.set(this.#data.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return Promise.resolve(n);
  }
  close(): void {}
}

export class ByteWindow {
  buf: Uint8Array;
  view: DataView;
  /** First unconsumed byte. */
  start = 0;
  /** One past the last valid byte. */
  end = 0;
  eof = false;
  /** Bytes consumed before `start` over the life of the stream. */
  consumedBefore = 0;
  #reader: ChunkReader;

  constructor(reader: ChunkReader, size = 4 << 20) {
    this.#reader = reader;
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  get available(): number {
    return this.end - this.start;
  }

  /** Total bytes consumed so far. */
  get position(): number {
    return this.consumedBefore + this.start;
  }

  consume(n: number): void {
    this.start += n;
  }

  /**
   * Reads more bytes, keeping the unconsumed ones. Grows the buffer when `need` bytes would not
   * fit. Returns false at the end of the stream.
   */
  async fill(need = 1): Promise<boolean> {
    if (this.eof) return false;
    if (need > this.buf.length) {
      const bigger = new Uint8Array(Math.max(need, this.buf.length * 2));
      bigger.set(this.buf.subarray(this.start, this.end));
      this.consumedBefore += this.start;
      this.end -= this.start;
      this.start = 0;
      this.buf = bigger;
      this.view = new DataView(bigger.buffer);
    } else if (
      this.start > 0 && (this.start + need > this.buf.length || this.start > this.end >> 1)
    ) {
      this.buf.copyWithin(0, this.start, this.end);
      this.consumedBefore += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.buf.length) return true;
    const n = await this.#reader.readInto(this.buf.subarray(this.end));
    if (n === null) {
      this.eof = true;
      return false;
    }
    this.end += n;
    return true;
  }

  close(): void {
    this.#reader.close();
  }
}
