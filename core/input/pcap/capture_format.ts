/**
 * The two capture container formats: classic pcap (either byte order, micro- or nanosecond
 * timestamps, and the "modified" variant with longer record headers) and pcapng (section,
 * interface and packet blocks). The parser walks a ByteWindow and fills a reused RawPacket.
 */
import type { ByteWindow } from "./byte_window.ts";

/** One captured frame; a single instance is reused for every packet. */
export class RawPacket {
  /** Unix seconds. */
  ts = 0;
  linkType = 0;
  data: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(new ArrayBuffer(0));
  offset = 0;
  /** Bytes present in the capture. */
  caplen = 0;
  /** Bytes the frame had on the wire. */
  wireLen = 0;
  /** 1-based packet number in the capture. */
  number = 0;
}

export type NextResult = "packet" | "more" | "end" | "skip";

/** Captured lengths above this are taken as damage, not as a packet. */
const MAX_CAPLEN = 1 << 20;
/** pcapng blocks above this are taken as damage. */
const MAX_BLOCK = 16 << 20;

const PCAPNG_SHB = 0x0a0d0d0a;

export type CaptureKind = "pcap" | "pcapng";

/** Recognises the container from its first four bytes; null when it is neither. */
export function sniffCaptureKind(first4: Uint8Array): CaptureKind | null {
  if (first4.length < 4) return null;
  const le = (first4[0] | (first4[1] << 8) | (first4[2] << 16) | (first4[3] << 24)) >>> 0;
  switch (le) {
    case 0xa1b2c3d4:
    case 0xd4c3b2a1:
    case 0xa1b23c4d:
    case 0x4d3cb2a1:
    case 0xa1b2cd34:
    case 0x34cdb2a1:
      return "pcap";
    case PCAPNG_SHB:
      return "pcapng";
    default:
      return null;
  }
}

interface NgInterface {
  linkType: number;
  snapLen: number;
  /** Seconds per timestamp unit. */
  unit: number;
  /** Units per second when the resolution is a power of ten, else 0. */
  perSecond: number;
  offset: number;
}

export class CaptureParser {
  kind: CaptureKind | null = null;
  /** Set when reading stopped early because the file is damaged: a sentence for the user. */
  damage: string | null = null;
  /** Set when one block was skipped: a sentence for the user; cleared by the caller. */
  skipReason: string | null = null;
  /** Bytes the parser needs in the window before it can go on. */
  need = 24;
  packets = 0;

  #headerDone = false;
  #little = true;
  #nano = false;
  #recordHeader = 16;
  #linkType = 1;
  #ifaces: NgInterface[] = [];
  #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  get linkTypeOfFile(): number {
    return this.#linkType;
  }

  /** Parses the next packet. "more" asks the caller to fill the window with `need` bytes. */
  next(w: ByteWindow, pkt: RawPacket): NextResult {
    if (this.damage !== null) return "end";
    if (!this.#headerDone) {
      if (w.available < 4) return this.#want(4);
      const kind = sniffCaptureKind(w.buf.subarray(w.start, w.start + 4));
      if (kind === null) {
        this.damage = `${this.#file} is not a pcap or pcapng capture (unknown magic number).`;
        return "end";
      }
      this.kind = kind;
      if (kind === "pcap") {
        if (w.available < 24) return this.#want(24);
        this.#readPcapHeader(w);
      }
      this.#headerDone = true;
    }
    return this.kind === "pcap" ? this.#nextPcap(w, pkt) : this.#nextNg(w, pkt);
  }

  /** Called at the end of the stream; notes a packet cut short. */
  finish(w: ByteWindow): void {
    if (this.damage !== null) return;
    if (w.available > 0) {
      this.damage = `${this.#file} ends in the middle of packet ${
        this.packets + 1
      } (${w.available} bytes of it are present); the packets before it were read.`;
    } else if (!this.#headerDone) {
      this.damage = `${this.#file} is empty or too short to be a capture.`;
    }
  }

  #want(n: number): NextResult {
    this.need = n;
    return "more";
  }

  #u32(w: ByteWindow, at: number): number {
    return w.view.getUint32(at, this.#little);
  }

  #readPcapHeader(w: ByteWindow): void {
    const s = w.start;
    const magicLe = w.view.getUint32(s, true);
    const swapped = magicLe === 0xd4c3b2a1 || magicLe === 0x4d3cb2a1 || magicLe === 0x34cdb2a1;
    this.#little = !swapped;
    const magic = this.#u32(w, s);
    this.#nano = magic === 0xa1b23c4d;
    this.#recordHeader = magic === 0xa1b2cd34 ? 24 : 16;
    this.#linkType = this.#u32(w, s + 20) & 0xffff;
    w.consume(24);
  }

  #nextPcap(w: ByteWindow, pkt: RawPacket): NextResult {
    const h = this.#recordHeader;
    if (w.available < h) return this.#want(h);
    const s = w.start;
    const sec = this.#u32(w, s);
    const frac = this.#u32(w, s + 4);
    const incl = this.#u32(w, s + 8);
    const orig = this.#u32(w, s + 12);
    if (incl > MAX_CAPLEN) {
      this.damage = `${this.#file}: packet ${this.packets + 1} claims ${incl} captured bytes ` +
        `(at byte offset ${w.position}), which no real packet has; the capture is damaged ` +
        `from there on and only the packets before it were read.`;
      return "end";
    }
    if (w.available < h + incl) return this.#want(h + incl);
    this.packets++;
    pkt.number = this.packets;
    pkt.ts = sec + (this.#nano ? frac / 1e9 : frac / 1e6);
    pkt.linkType = this.#linkType;
    pkt.data = w.buf;
    pkt.view = w.view;
    pkt.offset = s + h;
    pkt.caplen = incl;
    pkt.wireLen = orig >= incl ? orig : incl;
    w.consume(h + incl);
    return "packet";
  }

  #nextNg(w: ByteWindow, pkt: RawPacket): NextResult {
    for (;;) {
      if (w.available < 12) return this.#want(12);
      const s = w.start;
      const typeLe = w.view.getUint32(s, true);
      if (typeLe === PCAPNG_SHB) {
        // The section header decides the byte order of everything up to the next one.
        const bom = w.view.getUint32(s + 8, true);
        if (bom === 0x1a2b3c4d) this.#little = true;
        else if (bom === 0x4d3c2b1a) this.#little = false;
        else {
          this.damage = `${this.#file}: a pcapng section header at byte offset ${w.position} ` +
            `has an unknown byte-order mark; the capture is damaged from there on.`;
          return "end";
        }
      }
      const type = this.#u32(w, s);
      const len = this.#u32(w, s + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_BLOCK) {
        this.damage = `${this.#file}: the pcapng block after packet ${this.packets} ` +
          `(at byte offset ${w.position}) has an impossible length of ${len} bytes; the ` +
          `capture is damaged from there on and only the packets before it were read.`;
        return "end";
      }
      if (w.available < len) return this.#want(len);
      if (this.#u32(w, s + len - 4) !== len) {
        this.damage = `${this.#file}: the pcapng block after packet ${this.packets} ` +
          `(at byte offset ${w.position}) does not end with its own length; the capture is ` +
          `damaged from there on and only the packets before it were read.`;
        return "end";
      }
      switch (type) {
        case PCAPNG_SHB:
          this.#ifaces = [];
          break;
        case 1:
          this.#readIdb(w, s, len);
          break;
        case 6:
        case 2:
        case 3: {
          const r = this.#readPacketBlock(w, s, len, type, pkt);
          w.consume(len);
          if (r !== "packet") return r;
          return "packet";
        }
        default:
          break;
      }
      w.consume(len);
    }
  }

  #readIdb(w: ByteWindow, s: number, len: number): void {
    const iface: NgInterface = {
      linkType: w.view.getUint16(s + 8, this.#little),
      snapLen: this.#u32(w, s + 12),
      unit: 1e-6,
      perSecond: 1e6,
      offset: 0,
    };
    let o = s + 16;
    const end = s + len - 4;
    while (o + 4 <= end) {
      const code = w.view.getUint16(o, this.#little);
      const olen = w.view.getUint16(o + 2, this.#little);
      if (code === 0) break;
      const v = o + 4;
      if (v + olen > end) break;
      if (code === 9 && olen >= 1) {
        const r = w.buf[v];
        if (r & 0x80) {
          iface.unit = Math.pow(2, -(r & 0x7f));
          iface.perSecond = 0;
        } else {
          iface.perSecond = Math.pow(10, r);
          iface.unit = 1 / iface.perSecond;
        }
      } else if (code === 14 && olen >= 8) {
        const hi = w.view.getInt32(v + (this.#little ? 4 : 0), this.#little);
        const lo = w.view.getUint32(v + (this.#little ? 0 : 4), this.#little);
        iface.offset = hi * 4294967296 + lo;
      }
      o = v + ((olen + 3) & ~3);
    }
    this.#ifaces.push(iface);
  }

  #readPacketBlock(
    w: ByteWindow,
    s: number,
    len: number,
    type: number,
    pkt: RawPacket,
  ): NextResult {
    let ifIndex = 0;
    let hi = 0;
    let lo = 0;
    let caplen: number;
    let orig: number;
    let dataOff: number;
    if (type === 3) {
      orig = this.#u32(w, s + 8);
      dataOff = s + 12;
      caplen = Math.min(orig, len - 16);
      const snap = this.#ifaces[0]?.snapLen ?? 0;
      if (snap > 0 && caplen > snap) caplen = snap;
    } else if (type === 6) {
      ifIndex = this.#u32(w, s + 8);
      hi = this.#u32(w, s + 12);
      lo = this.#u32(w, s + 16);
      caplen = this.#u32(w, s + 20);
      orig = this.#u32(w, s + 24);
      dataOff = s + 28;
    } else {
      ifIndex = w.view.getUint16(s + 8, this.#little);
      hi = this.#u32(w, s + 12);
      lo = this.#u32(w, s + 16);
      caplen = this.#u32(w, s + 20);
      orig = this.#u32(w, s + 24);
      dataOff = s + 28;
    }
    this.packets++;
    const iface = this.#ifaces[ifIndex];
    if (iface === undefined) {
      this.skipReason = `packet ${this.packets} names interface ${ifIndex}, which the ` +
        `capture never described; the packet was skipped.`;
      return "skip";
    }
    if (dataOff + caplen > s + len - 4) {
      this.skipReason = `packet ${this.packets} claims ${caplen} captured bytes but its block ` +
        `holds fewer; the packet was skipped.`;
      return "skip";
    }
    let ts: number;
    if (iface.perSecond === 1e6 || iface.perSecond === 1e9 || iface.perSecond === 1e3) {
      const units = hi * 4294967296 + lo;
      const sec = Math.floor(units / iface.perSecond);
      ts = sec + (units - sec * iface.perSecond) / iface.perSecond;
    } else {
      ts = (hi * 4294967296 + lo) * iface.unit;
    }
    pkt.number = this.packets;
    pkt.ts = ts + iface.offset;
    pkt.linkType = iface.linkType;
    pkt.data = w.buf;
    pkt.view = w.view;
    pkt.offset = dataOff;
    pkt.caplen = caplen;
    pkt.wireLen = orig >= caplen ? orig : caplen;
    return "packet";
  }
}
