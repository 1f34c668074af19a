/**
 * Building frames byte by byte for test captures: link layers, IPv4/IPv6 (with fragments and
 * extension headers), TCP, UDP, ICMP, ARP, GRE, and a TCP session helper that keeps sequence
 * numbers straight.
 */
import {
  memoryCapture,
  type PcapWriter,
  type PcapWriterOptions,
} from "../../core/input/pcap/pcap_writer.ts";

export function concat(...parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function text(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function u16(v: number): Uint8Array {
  return new Uint8Array([(v >> 8) & 255, v & 255]);
}

export function u32(v: number): Uint8Array {
  return new Uint8Array([(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]);
}

export function mac(s: string): Uint8Array {
  return new Uint8Array(s.split(":").map((h) => parseInt(h, 16)));
}

export function ip4(s: string): Uint8Array {
  return new Uint8Array(s.split(".").map(Number));
}

export function ip6(s: string): Uint8Array {
  const [head, tail] = s.includes("::") ? s.split("::") : [s, ""];
  const h = head === "" ? [] : head.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  });
  return out;
}

function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += (b[i] << 8) | b[i + 1];
  if (b.length % 2) s += b[b.length - 1] << 8;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

export const CLIENT_MAC = "02:00:00:00:00:01";
export const SERVER_MAC = "02:00:00:00:00:02";

export function ethernet(
  type: number,
  payload: Uint8Array,
  opts: { src?: string; dst?: string; vlans?: number[]; padTo60?: boolean } = {},
): Uint8Array {
  const vlans = opts.vlans ?? [];
  const parts: Uint8Array[] = [mac(opts.dst ?? SERVER_MAC), mac(opts.src ?? CLIENT_MAC)];
  vlans.forEach((vid, i) => {
    parts.push(u16(i === 0 && vlans.length > 1 ? 0x88a8 : 0x8100), u16(vid));
  });
  parts.push(u16(type));
  parts.push(payload);
  let f = concat(...parts);
  if ((opts.padTo60 ?? true) && f.length < 60) f = concat(f, new Uint8Array(60 - f.length));
  return f;
}

export interface Ipv4Opts {
  src: string;
  dst: string;
  proto: number;
  payload: Uint8Array;
  id?: number;
  ttl?: number;
  more?: boolean;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  /** Overrides the total length field. */
  totalLength?: number;
}

export function ipv4(o: Ipv4Opts): Uint8Array {
  const h = new Uint8Array(20);
  const total = o.totalLength ?? 20 + o.payload.length;
  h[0] = 0x45;
  h.set(u16(total), 2);
  h.set(u16(o.id ?? 1), 4);
  h.set(u16(((o.more ? 1 : 0) << 13) | ((o.fragOffset ?? 0) >> 3)), 6);
  h[8] = o.ttl ?? 64;
  h[9] = o.proto;
  h.set(ip4(o.src), 12);
  h.set(ip4(o.dst), 16);
  h.set(u16(checksum(h)), 10);
  return concat(h, o.payload);
}

/** Splits one IPv4 datagram's payload into fragments of at most `chunk` bytes (multiple of 8). */
export function ipv4Fragments(o: Ipv4Opts, chunk: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < o.payload.length; off += chunk) {
    const part = o.payload.subarray(off, Math.min(o.payload.length, off + chunk));
    out.push(ipv4({ ...o, payload: part, fragOffset: off, more: off + chunk < o.payload.length }));
  }
  return out;
}

export function ipv6(
  src: string,
  dst: string,
  next: number,
  payload: Uint8Array,
  ext: Array<{ type: number; body: Uint8Array }> = [],
): Uint8Array {
  // Extension headers: each starts with the next header value and its length.
  const chain: Uint8Array[] = [];
  let first = next;
  for (let i = ext.length - 1; i >= 0; i--) {
    const e = ext[i];
    const nh = first;
    first = e.type;
    let body: Uint8Array;
    if (e.type === 44) body = concat(new Uint8Array([nh, 0]), e.body);
    else {
      const len = Math.ceil((e.body.length + 2) / 8) * 8;
      body = new Uint8Array(len);
      body[0] = nh;
      body[1] = len / 8 - 1;
      body.set(e.body, 2);
    }
    chain.unshift(body);
  }
  const rest = concat(...chain, payload);
  const h = new Uint8Array(40);
  h[0] = 0x60;
  h.set(u16(rest.length), 4);
  h[6] = first;
  h[7] = 64;
  h.set(ip6(src), 8);
  h.set(ip6(dst), 24);
  return concat(h, rest);
}

const FLAG_BITS: Record<string, number> = { F: 1, S: 2, R: 4, P: 8, A: 16, U: 32 };

export interface TcpOpts {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** Letters from F S R P A U, e.g. "SA". */
  flags: string;
  win?: number;
  payload?: Uint8Array;
}

export function tcp(o: TcpOpts): Uint8Array {
  const h = new Uint8Array(20);
  h.set(u16(o.sport), 0);
  h.set(u16(o.dport), 2);
  h.set(u32(o.seq >>> 0), 4);
  h.set(u32((o.ack ?? 0) >>> 0), 8);
  h[12] = 5 << 4;
  let f = 0;
  for (const c of o.flags) f |= FLAG_BITS[c] ?? 0;
  h[13] = f;
  h.set(u16(o.win ?? 64240), 14);
  return concat(h, o.payload ?? new Uint8Array(0));
}

export function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return concat(u16(sport), u16(dport), u16(8 + payload.length), u16(0), payload);
}

export function icmp(
  type: number,
  code: number,
  rest: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  const h = concat(new Uint8Array([type, code, 0, 0]), rest.subarray(0, 4), payload);
  h.set(u16(checksum(h)), 2);
  return h;
}

export function arp(op: number, sha: string, spa: string, tha: string, tpa: string): Uint8Array {
  return concat(
    u16(1),
    u16(0x0800),
    new Uint8Array([6, 4]),
    u16(op),
    mac(sha),
    ip4(spa),
    mac(tha),
    ip4(tpa),
  );
}

export function gre(proto: number, payload: Uint8Array): Uint8Array {
  return concat(u16(0), u16(proto), payload);
}

/** Linux cooked capture (SLL) header in front of a network-layer packet. */
export function sll(proto: number, payload: Uint8Array, src = CLIENT_MAC): Uint8Array {
  return concat(u16(0), u16(1), u16(6), mac(src), new Uint8Array(2), u16(proto), payload);
}

export function sll2(proto: number, payload: Uint8Array, src = CLIENT_MAC): Uint8Array {
  return concat(
    u16(proto),
    u16(0),
    u32(2),
    u16(1),
    new Uint8Array([0, 6]),
    mac(src),
    new Uint8Array(2),
    payload,
  );
}

/** BSD loopback: the address family in the capturing host's byte order. */
export function loopback(af: number, payload: Uint8Array, littleEndian = true): Uint8Array {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, af, littleEndian);
  return concat(h, payload);
}

/** A capture under construction with its own clock. */
export class Capture {
  t: number;
  #cap: ReturnType<typeof memoryCapture>;

  constructor(opts: PcapWriterOptions & { start?: number } = {}) {
    this.t = opts.start ?? 1_700_000_000;
    this.#cap = memoryCapture(opts);
  }

  get writer(): PcapWriter {
    return this.#cap.writer;
  }

  /** Adds a frame `dt` seconds after the previous one. */
  add(frame: Uint8Array, dt = 0.001, wireLen?: number): void {
    this.t += dt;
    this.#cap.writer.add(this.t, frame, wireLen);
  }

  bytes(): Uint8Array {
    return this.#cap.bytes();
  }
}

export interface SessionOpts {
  client: string;
  server: string;
  cport: number;
  sport: number;
  clientIsn?: number;
  serverIsn?: number;
}

/** One TCP connection over Ethernet/IPv4 (or IPv6 when the addresses contain ":"). */
export class TcpSession {
  #cap: Capture;
  #o: SessionOpts;
  cseq: number;
  sseq: number;

  constructor(cap: Capture, o: SessionOpts) {
    this.#cap = cap;
    this.#o = o;
    this.cseq = o.clientIsn ?? 1000;
    this.sseq = o.serverIsn ?? 5000;
  }

  frame(
    fromClient: boolean,
    flags: string,
    payload: Uint8Array = new Uint8Array(0),
    dt = 0.001,
  ): Uint8Array {
    const o = this.#o;
    const seg = tcp({
      sport: fromClient ? o.cport : o.sport,
      dport: fromClient ? o.sport : o.cport,
      seq: fromClient ? this.cseq : this.sseq,
      ack: flags.includes("A") ? (fromClient ? this.sseq : this.cseq) : 0,
      flags,
      payload,
    });
    const src = fromClient ? o.client : o.server;
    const dst = fromClient ? o.server : o.client;
    const l3 = src.includes(":")
      ? ethernet(0x86dd, ipv6(src, dst, 6, seg), {
        src: fromClient ? CLIENT_MAC : SERVER_MAC,
        dst: fromClient ? SERVER_MAC : CLIENT_MAC,
      })
      : ethernet(0x0800, ipv4({ src, dst, proto: 6, payload: seg }), {
        src: fromClient ? CLIENT_MAC : SERVER_MAC,
        dst: fromClient ? SERVER_MAC : CLIENT_MAC,
      });
    let consumed = payload.length;
    if (flags.includes("S")) consumed++;
    if (flags.includes("F")) consumed++;
    if (flags.includes("R")) consumed = 0;
    if (fromClient) this.cseq = (this.cseq + consumed) >>> 0;
    else this.sseq = (this.sseq + consumed) >>> 0;
    this.#cap.add(l3, dt);
    return l3;
  }

  handshake(): this {
    this.frame(true, "S");
    this.frame(false, "SA");
    this.frame(true, "A");
    return this;
  }

  /** Sends data in segments of at most `mss` bytes, each acknowledged by the peer. */
  send(fromClient: boolean, data: Uint8Array, mss = 1400): this {
    for (let off = 0; off < data.length; off += mss) {
      this.frame(fromClient, "PA", data.subarray(off, Math.min(data.length, off + mss)));
      this.frame(!fromClient, "A");
    }
    return this;
  }

  close(): this {
    this.frame(true, "FA");
    this.frame(false, "FA");
    this.frame(true, "A");
    return this;
  }
}

/** A UDP packet over Ethernet/IPv4. */
export function udpFrame(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  payload: Uint8Array,
): Uint8Array {
  return ethernet(0x0800, ipv4({ src, dst, proto: 17, payload: udp(sport, dport, payload) }));
}
