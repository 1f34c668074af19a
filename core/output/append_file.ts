/** A buffered append-only text file: cheap per line, flushed in chunks and on close. */
const encoder = new TextEncoder();

export class AppendFile {
  #file: Deno.FsFile;
  #buf: string[] = [];
  #size = 0;
  #lines = 0;

  constructor(readonly path: string, private readonly flushAt = 64 * 1024) {
    this.#file = Deno.openSync(path, { write: true, create: true, append: true });
  }

  get lines(): number {
    return this.#lines;
  }

  writeLine(line: string): void {
    this.#buf.push(line, "\n");
    this.#size += line.length + 1;
    this.#lines++;
    if (this.#size >= this.flushAt) this.flush();
  }

  flush(): void {
    if (this.#buf.length === 0) return;
    const data = encoder.encode(this.#buf.join(""));
    this.#buf = [];
    this.#size = 0;
    let off = 0;
    while (off < data.length) off += this.#file.writeSync(data.subarray(off));
  }

  close(): void {
    this.flush();
    this.#file.close();
  }
}
