/**
 * Just enough DER/X.509 to describe a server certificate the way x509.log and ssl.log do: subject
 * and issuer in RFC 2253 order ("CN=…,O=…,C=…"), validity, DNS subject-alternative names, serial
 * number, fingerprints, and whether it signs itself (subject and issuer identical).
 */
import { createHash } from "node:crypto";
import { hexOf, latin1At, utf8At } from "../addr_format.ts";

export interface CertInfo {
  subject: string;
  issuer: string;
  /** Unix seconds. */
  notBefore: number;
  notAfter: number;
  sanDns: string[];
  serial: string;
  selfSigned: boolean;
  sha1: string;
  md5: string;
  sha256: string;
}

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function tlv(b: Uint8Array, off: number, end: number): Tlv | null {
  if (off + 2 > end) return null;
  const tag = b[off];
  let len = b[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > end) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i];
    p += n;
  }
  if (p + len > end) return null;
  return { tag, start: p, end: p + len };
}

function children(b: Uint8Array, t: Tlv, max = 64): Tlv[] {
  const out: Tlv[] = [];
  let p = t.start;
  while (p < t.end && out.length < max) {
    const c = tlv(b, p, t.end);
    if (c === null) break;
    out.push(c);
    p = c.end;
  }
  return out;
}

function oid(b: Uint8Array, t: Tlv): string {
  if (t.end <= t.start) return "";
  const first = b[t.start];
  const parts = [Math.floor(first / 40) > 2 ? 2 : Math.floor(first / 40), 0];
  parts[1] = first - parts[0] * 40;
  let v = 0;
  for (let i = t.start + 1; i < t.end; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

const ATTR_NAMES: Record<string, string> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "street",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.12": "title",
  "2.5.4.15": "businessCategory",
  "2.5.4.17": "postalCode",
  "2.5.4.42": "GN",
  "2.5.4.97": "organizationIdentifier",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
  "1.2.840.113549.1.9.1": "emailAddress",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC",
  "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
  "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
};

function stringValue(b: Uint8Array, t: Tlv): string {
  const n = t.end - t.start;
  switch (t.tag) {
    case 0x0c:
      return utf8At(b, t.start, n);
    case 0x1e: {
      let s = "";
      for (let i = t.start; i + 1 < t.end; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      return s;
    }
    case 0x1c: {
      let s = "";
      for (let i = t.start; i + 3 < t.end; i += 4) {
        const cp = ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : "?";
      }
      return s;
    }
    case 0x13:
    case 0x16:
    case 0x14:
    case 0x1a:
      return latin1At(b, t.start, n);
    default:
      return `#${hexOf(b, t.start, n)}`;
  }
}

function escape2253(v: string): string {
  let s = v.replace(/[,+"\\<>;]/g, (c) => `\\${c}`);
  if (s.startsWith("#") || s.startsWith(" ")) s = `\\${s}`;
  if (s.endsWith(" ") && s.length > 1) s = `${s.slice(0, -1)}\\ `;
  return s;
}

function nameString(b: Uint8Array, name: Tlv): string {
  const rdns = children(b, name);
  const out: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    const avas: string[] = [];
    for (const ava of children(b, rdns[i])) {
      const kv = children(b, ava, 2);
      if (kv.length < 2 || kv[0].tag !== 0x06) continue;
      const id = oid(b, kv[0]);
      avas.push(`${ATTR_NAMES[id] ?? id}=${escape2253(stringValue(b, kv[1]))}`);
    }
    if (avas.length > 0) out.push(avas.join("+"));
  }
  return out.join(",");
}

function timeValue(b: Uint8Array, t: Tlv): number {
  const s = latin1At(b, t.start, t.end - t.start);
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === 0x17) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s);
    if (m === null) return 0;
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (t.tag === 0x18) {
    m = /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.\d+)?Z$/.exec(s);
    if (m === null) return 0;
    year = Number(m[1]);
  } else {
    return 0;
  }
  const ms = Date.UTC(
    year,
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  );
  return Number.isFinite(ms) ? ms / 1000 : 0;
}

function bytesEqual(b: Uint8Array, x: Tlv, y: Tlv): boolean {
  if (x.end - x.start !== y.end - y.start) return false;
  for (let i = 0; i < x.end - x.start; i++) if (b[x.start + i] !== b[y.start + i]) return false;
  return true;
}

/** Describes a DER certificate; null when it is not one. */
export function parseCertificate(der: Uint8Array): CertInfo | null {
  const cert = tlv(der, 0, der.length);
  if (cert === null || cert.tag !== 0x30) return null;
  const top = children(der, cert, 3);
  if (top.length < 1 || top[0].tag !== 0x30) return null;
  const tbs = children(der, top[0], 12);
  let i = 0;
  if (tbs[i]?.tag === 0xa0) i++;
  const serial = tbs[i++];
  i++; // signature algorithm
  const issuer = tbs[i++];
  const validity = tbs[i++];
  const subject = tbs[i++];
  i++; // subject public key info
  if (
    serial === undefined || issuer === undefined || validity === undefined ||
    subject === undefined || issuer.tag !== 0x30 || subject.tag !== 0x30 || validity.tag !== 0x30
  ) {
    return null;
  }
  const times = children(der, validity, 2);
  const sanDns: string[] = [];
  for (; i < tbs.length; i++) {
    if (tbs[i].tag !== 0xa3) continue;
    const extSeq = children(der, tbs[i], 1)[0];
    if (extSeq === undefined) break;
    for (const ext of children(der, extSeq, 128)) {
      const parts = children(der, ext, 3);
      if (parts.length < 2 || oid(der, parts[0]) !== "2.5.29.17") continue;
      const value = parts[parts.length - 1];
      if (value.tag !== 0x04) continue;
      const names = tlv(der, value.start, value.end);
      if (names === null) continue;
      for (const gn of children(der, names, 256)) {
        if (gn.tag === 0x82) sanDns.push(latin1At(der, gn.start, gn.end - gn.start));
      }
    }
  }
  return {
    subject: nameString(der, subject),
    issuer: nameString(der, issuer),
    notBefore: times[0] !== undefined ? timeValue(der, times[0]) : 0,
    notAfter: times[1] !== undefined ? timeValue(der, times[1]) : 0,
    sanDns,
    serial: hexOf(der, serial.start, serial.end - serial.start).toUpperCase(),
    selfSigned: bytesEqual(der, subject, issuer),
    sha1: createHash("sha1").update(der).digest("hex"),
    md5: createHash("md5").update(der).digest("hex"),
    sha256: createHash("sha256").update(der).digest("hex"),
  };
}
