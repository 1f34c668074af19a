/**
 * TLS handshake messages and DER certificates for test captures. Certificates carry real
 * structure (names, validity, subject alternative names) but a dummy key and signature.
 */
import { concat, text, u16 } from "./packet_builder.ts";

function u24(v: number): Uint8Array {
  return new Uint8Array([(v >> 16) & 255, (v >> 8) & 255, v & 255]);
}

export function tlsRecord(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return concat(new Uint8Array([type]), u16(version), u16(body.length), body);
}

export function handshake(type: number, body: Uint8Array): Uint8Array {
  return concat(new Uint8Array([type]), u24(body.length), body);
}

export interface Ext {
  type: number;
  data: Uint8Array;
}

function exts(list: Ext[]): Uint8Array {
  const body = concat(...list.map((e) => concat(u16(e.type), u16(e.data.length), e.data)));
  return concat(u16(body.length), body);
}

export function sniExt(name: string): Ext {
  const n = text(name);
  return { type: 0, data: concat(u16(n.length + 3), new Uint8Array([0]), u16(n.length), n) };
}

export function groupsExt(groups: number[]): Ext {
  return { type: 10, data: concat(u16(groups.length * 2), ...groups.map(u16)) };
}

export function pointFormatsExt(formats: number[]): Ext {
  return { type: 11, data: concat(new Uint8Array([formats.length]), new Uint8Array(formats)) };
}

export function clientHello(o: {
  version?: number;
  sessionId?: Uint8Array;
  ciphers: number[];
  extensions: Ext[];
}): Uint8Array {
  const sid = o.sessionId ?? new Uint8Array(0);
  const body = concat(
    u16(o.version ?? 0x0303),
    new Uint8Array(32).fill(7),
    new Uint8Array([sid.length]),
    sid,
    u16(o.ciphers.length * 2),
    ...o.ciphers.map(u16),
    new Uint8Array([1, 0]),
    exts(o.extensions),
  );
  return handshake(1, body);
}

export function serverHello(o: {
  version?: number;
  sessionId?: Uint8Array;
  cipher: number;
  extensions: Ext[];
}): Uint8Array {
  const sid = o.sessionId ?? new Uint8Array(0);
  const body = concat(
    u16(o.version ?? 0x0303),
    new Uint8Array(32).fill(9),
    new Uint8Array([sid.length]),
    sid,
    u16(o.cipher),
    new Uint8Array([0]),
    exts(o.extensions),
  );
  return handshake(2, body);
}

export function certificateMessage(ders: Uint8Array[]): Uint8Array {
  const list = concat(...ders.map((d) => concat(u24(d.length), d)));
  return handshake(11, concat(u24(list.length), list));
}

// ---- DER ----

function derLen(n: number): Uint8Array {
  if (n < 128) return new Uint8Array([n]);
  if (n < 256) return new Uint8Array([0x81, n]);
  return new Uint8Array([0x82, n >> 8, n & 255]);
}

export function der(tag: number, ...content: Uint8Array[]): Uint8Array {
  const c = concat(...content);
  return concat(new Uint8Array([tag]), derLen(c.length), c);
}

function oid(dotted: string): Uint8Array {
  const p = dotted.split(".").map(Number);
  const out: number[] = [p[0] * 40 + p[1]];
  for (const v of p.slice(2)) {
    const bytes: number[] = [];
    let x = v;
    do {
      bytes.unshift(x & 0x7f);
      x = Math.floor(x / 128);
    } while (x > 0);
    for (let i = 0; i < bytes.length - 1; i++) bytes[i] |= 0x80;
    out.push(...bytes);
  }
  return der(0x06, new Uint8Array(out));
}

const NAME_OIDS: Record<string, string> = {
  CN: "2.5.4.3",
  C: "2.5.4.6",
  L: "2.5.4.7",
  ST: "2.5.4.8",
  O: "2.5.4.10",
  OU: "2.5.4.11",
};

/** A Name from [attribute, value] pairs in DER order (most general first). */
export function derName(attrs: Array<[string, string]>): Uint8Array {
  return der(
    0x30,
    ...attrs.map(([k, v]) =>
      der(0x31, der(0x30, oid(NAME_OIDS[k]), der(k === "C" ? 0x13 : 0x0c, text(v))))
    ),
  );
}

function utcTime(unix: number): Uint8Array {
  const d = new Date(unix * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${
    p(d.getUTCHours())
  }${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, text(s));
}

export function derCertificate(o: {
  subject: Array<[string, string]>;
  issuer: Array<[string, string]>;
  notBefore: number;
  notAfter: number;
  san?: string[];
  serial?: number;
}): Uint8Array {
  const alg = der(0x30, oid("1.2.840.113549.1.1.11"), der(0x05));
  const spki = der(
    0x30,
    der(0x30, oid("1.2.840.113549.1.1.1"), der(0x05)),
    der(0x03, new Uint8Array([0, 1, 2, 3, 4])),
  );
  const parts = [
    der(0xa0, der(0x02, new Uint8Array([2]))),
    der(0x02, new Uint8Array([0x01, o.serial ?? 0x42])),
    alg,
    derName(o.issuer),
    der(0x30, utcTime(o.notBefore), utcTime(o.notAfter)),
    derName(o.subject),
    spki,
  ];
  if (o.san !== undefined) {
    const names = der(0x30, ...o.san.map((n) => der(0x82, text(n))));
    parts.push(der(0xa3, der(0x30, der(0x30, oid("2.5.29.17"), der(0x04, names)))));
  }
  return der(0x30, der(0x30, ...parts), alg, der(0x03, new Uint8Array([0, 9, 9, 9])));
}
