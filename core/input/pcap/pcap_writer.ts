/**
 * Writing captures: classic pcap (either byte order, micro- or nanosecond timestamps) or pcapng
 * (one section, one interface, enhanced packet blocks). Used to build test fixtures and benchmark
 * captures; bytes go to a sink in chunks so large captures need not sit in memory.
 */

export interface PcapWriterOptions {
  format?: "pcap" | "pcapng";
  linkType?: number;
  nanosecond?: boolean;
  bigEndian?: boolean;
  snapLen?: number;
}

const FLUSH_AT = 1 << 20;

export class PcapWriter {
  #sink: (chunk: Uint8Array) => void;
  #buf = new Uint8Array(FLUSH_AT + 65536 + 64);
  #view = new DataView(this.#buf.buffer);
  #len = 0;
  #le: boolean;
  #nano: boolean;
  #ng: boolean;
  #snap: number;
  packets = 0;
  bytes = 0;

  constructor(sink: (chunk: Uint8Array) => void, opts: PcapWriterOptions = {}) {
    this.#sink = sink;
    this.#le = !opts.bigEndian;
    this.#nano = opts.nanosecond ?? false;
    this.#ng = opts.format === "pcapng";
    this.#snap = opts.snapLen ?? 262144;
    const link = opts.linkType ?? 1;
    if (this.#ng) {
      // Section header block.
      this.#u32(0x0a0d0d0a);
      this.#u32(28);
      this.#u32(0x1a2b3c4d);
      this.#u16(1);
      this.#u16(0);
      this.#u32(0xffffffff);
      this.#u32(0xffffffff);
      this.#u32(28);
      // Interface description block, with if_tsresol when nanoseconds are asked for.
      const optLen = this.#nano ? 12 : 0;
      this.#u32(1);
      this.#u32(20 + optLen);
      this.#u16(link);
      this.#u16(0);
      this.#u32(this.#snap);
      if (this.#nano) {
        this.#u16(9);
        this.#u16(1);
        this.#buf[this.#len++] = 9;
        this.#len += 3;
        this.#u16(0);
        this.#u16(0);
      }
      this.#u32(20 + optLen);
    } else {
      this.#u32(this.#nano ? 0xa1b23c4d : 0xa1b2c3d4);
      this.#u16(2);
      this.#u16(4);
      this.#u32(0);
      this.#u32(0);
      this.#u32(this.#snap);
      this.#u32(link);
    }
  }

  #u16(v: number): void {
    this.#view.setUint16(this.#len, v, this.#le);
    this.#len += 2;
  }

  #u32(v: number): void {
    this.#view.setUint32(this.#len, v >>> 0, this.#le);
    this.#len += 4;
  }

  /** Adds a frame seen at `ts` (unix seconds); `wireLen` defaults to the frame's length. */
  add(ts: number, frame: Uint8Array, wireLen = frame.length): void {
    const cap = Math.min(frame.length, this.#snap);
    if (this.#len + cap + 64 > this.#buf.length) {
      this.#flush();
      if (cap + 64 > this.#buf.length) {
        this.#buf = new Uint8Array(cap + 64);
        this.#view = new DataView(this.#buf.buffer);
      }
    }
    const res = this.#nano ? 1e9 : 1e6;
    let sec = Math.floor(ts);
    let frac = Math.round((ts - sec) * res);
    if (frac >= res) {
      sec++;
      frac -= res;
    }
    if (this.#ng) {
      const padded = (cap + 3) & ~3;
      const total = 32 + padded;
      const units = BigInt(sec) * BigInt(res) + BigInt(frac);
      this.#u32(6);
      this.#u32(total);
      this.#u32(0);
      this.#u32(Number(units >> 32n));
      this.#u32(Number(units & 0xffffffffn));
      this.#u32(cap);
      this.#u32(wireLen);
      this.#buf.set(frame.subarray(0, cap), this.#len);
      this.#buf.fill(0, this.#len + cap, this.#len + padded);
      this.#len += padded;
      this.#u32(total);
    } else {
      this.#u32(sec);
      this.#u32(frac);
      this.#u32(cap);
      this.#u32(wireLen);
      this.#buf.set(frame.subarray(0, cap), this.#len);
      this.#len += cap;
    }
    this.packets++;
    this.bytes += wireLen;
    if (this.#len >= FLUSH_AT) this.#flush();
  }

  #flush(): void {
    if (this.#len === 0) return;
    this.#sink(this.#buf.slice(0, this.#len));
    this.#len = 0;
  }

  /** Writes out what is buffered. */
  finish(): void {
    this.#flush();
  }
}

/** Collects a whole capture in memory. */
export function memoryCapture(opts: PcapWriterOptions = {}): {
  writer: PcapWriter;
  bytes: () => Uint8Array;
} {
  const chunks: Uint8Array[] = [];
  const writer = new PcapWriter((c) => chunks.push(c), opts);
  return {
    writer,
    bytes: () => {
      writer.finish();
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.length;
      }
      return out;
    },
  };
}
