/**
 * Byte sources the line reader pulls from: a plain file read in large blocks (and followed as it
 * grows), or any byte stream (gzip-decompressed file, stdin, a subprocess's output).
 */

/** Yields blocks of bytes; `null` means "nothing more for now" (or for good, when not following). */
export interface ChunkSource {
  next(): Promise<Uint8Array | null>;
  close(): void;
}

const BLOCK = 1 << 20;

/** A regular file read with one reused 1 MiB buffer. */
export class FileChunks implements ChunkSource {
  #buf = new Uint8Array(BLOCK);
  #closed = false;

  constructor(
    readonly file: Deno.FsFile,
    readonly onBytes: (n: number) => void,
  ) {}

  async next(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    const n = await this.file.read(this.#buf);
    if (n === null || n === 0) return null;
    this.onBytes(n);
    // The caller decodes the view before asking for the next block, so reusing it is safe.
    return this.#buf.subarray(0, n);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.file.close();
    } catch {
      // Already closed by the runtime.
    }
  }
}

/** Any byte stream; ends for good when the stream does. */
export class StreamChunks implements ChunkSource {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #closed = false;

  constructor(stream: ReadableStream<Uint8Array>, readonly onClose?: () => void) {
    this.#reader = stream.getReader();
  }

  async next(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    const r = await this.#reader.read();
    if (r.done) return null;
    return r.value;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader.cancel().catch(() => {});
    this.onClose?.();
  }
}

/** Counts the bytes flowing through (the compressed side of a gzip file) for the progress line. */
export function countingStream(
  onBytes: (n: number) => void,
): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      onBytes(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
}

/** Opens a file as chunks, through gzip when `gzip` is set. */
export async function openFileChunks(
  path: string,
  gzip: boolean,
  onBytes: (n: number) => void,
): Promise<ChunkSource> {
  const file = await Deno.open(path, { read: true });
  if (!gzip) return new FileChunks(file, onBytes);
  const stream = file.readable
    .pipeThrough(countingStream(onBytes))
    .pipeThrough(gunzip());
  return new StreamChunks(stream);
}

/** DecompressionStream typed for byte chunks (its declared input type is the wider BufferSource). */
export function gunzip(): TransformStream<Uint8Array, Uint8Array> {
  return new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>;
}
