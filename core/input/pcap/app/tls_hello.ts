/**
 * TLS ClientHello and ServerHello parsing, with the JA3 and JA3S fingerprints: the MD5 of
 * "version,ciphers,extensions,groups,point-formats" (client) and "version,cipher,extensions"
 * (server), decimal values joined by "-", GREASE values left out.
 */
import { createHash } from "node:crypto";
import { hexOf, latin1At } from "../addr_format.ts";
import { isGrease } from "./tls_names.ts";

export interface ClientHello {
  version: number;
  sessionId: string;
  ciphers: number[];
  extensions: number[];
  groups: number[];
  pointFormats: number[];
  serverName: string;
  supportedVersions: number[];
  ja3: string;
}

export interface ServerHello {
  version: number;
  /** The version actually chosen (supported_versions extension in TLS 1.3). */
  selectedVersion: number;
  sessionId: string;
  cipher: number;
  extensions: number[];
  /** Named group of the TLS 1.3 key share, -1 if none. */
  keyShareGroup: number;
  ja3s: string;
}

function md5(s: string): string {
  return createHash("md5").update(s).digest("hex");
}

function u16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

/** Parses a ClientHello body (after the 4-byte handshake header). */
export function parseClientHello(b: Uint8Array, off: number, len: number): ClientHello | null {
  const end = off + len;
  let p = off;
  if (p + 35 > end) return null;
  const version = u16(b, p);
  p += 34;
  const sidLen = b[p++];
  if (sidLen > 32 || p + sidLen > end) return null;
  const sessionId = hexOf(b, p, sidLen);
  p += sidLen;
  if (p + 2 > end) return null;
  const cipherLen = u16(b, p);
  p += 2;
  if (cipherLen % 2 !== 0 || p + cipherLen > end) return null;
  const ciphers: number[] = [];
  for (let i = 0; i < cipherLen; i += 2) ciphers.push(u16(b, p + i));
  p += cipherLen;
  if (p + 1 > end) return null;
  const compLen = b[p++];
  if (p + compLen > end) return null;
  p += compLen;
  const hello: ClientHello = {
    version,
    sessionId,
    ciphers,
    extensions: [],
    groups: [],
    pointFormats: [],
    serverName: "",
    supportedVersions: [],
    ja3: "",
  };
  if (p + 2 <= end) {
    const extEnd = Math.min(end, p + 2 + u16(b, p));
    p += 2;
    while (p + 4 <= extEnd) {
      const type = u16(b, p);
      const elen = u16(b, p + 2);
      const d = p + 4;
      if (d + elen > extEnd) break;
      hello.extensions.push(type);
      if (type === 0 && elen >= 5) {
        // server_name: list length, then entries of (type, length, name).
        let q = d + 2;
        const listEnd = Math.min(d + 2 + u16(b, d), d + elen);
        while (q + 3 <= listEnd) {
          const nlen = u16(b, q + 1);
          if (b[q] === 0 && q + 3 + nlen <= listEnd) {
            hello.serverName = latin1At(b, q + 3, nlen);
            break;
          }
          q += 3 + nlen;
        }
      } else if (type === 10 && elen >= 2) {
        const n = Math.min(u16(b, d), elen - 2);
        for (let i = 0; i + 1 < n; i += 2) hello.groups.push(u16(b, d + 2 + i));
      } else if (type === 11 && elen >= 1) {
        const n = Math.min(b[d], elen - 1);
        for (let i = 0; i < n; i++) hello.pointFormats.push(b[d + 1 + i]);
      } else if (type === 43 && elen >= 1) {
        const n = Math.min(b[d], elen - 1);
        for (let i = 0; i + 1 < n; i += 2) hello.supportedVersions.push(u16(b, d + 1 + i));
      }
      p = d + elen;
    }
  }
  const keep = (xs: number[]) => xs.filter((x) => !isGrease(x)).join("-");
  hello.ja3 = md5(
    `${version},${keep(ciphers)},${keep(hello.extensions)},${keep(hello.groups)},${
      hello.pointFormats.join("-")
    }`,
  );
  return hello;
}

/** Parses a ServerHello body (after the 4-byte handshake header). */
export function parseServerHello(b: Uint8Array, off: number, len: number): ServerHello | null {
  const end = off + len;
  let p = off;
  if (p + 35 > end) return null;
  const version = u16(b, p);
  p += 34;
  const sidLen = b[p++];
  if (sidLen > 32 || p + sidLen + 3 > end) return null;
  const sessionId = hexOf(b, p, sidLen);
  p += sidLen;
  const cipher = u16(b, p);
  p += 3;
  const hello: ServerHello = {
    version,
    selectedVersion: version,
    sessionId,
    cipher,
    extensions: [],
    keyShareGroup: -1,
    ja3s: "",
  };
  if (p + 2 <= end) {
    const extEnd = Math.min(end, p + 2 + u16(b, p));
    p += 2;
    while (p + 4 <= extEnd) {
      const type = u16(b, p);
      const elen = u16(b, p + 2);
      const d = p + 4;
      if (d + elen > extEnd) break;
      hello.extensions.push(type);
      if (type === 43 && elen >= 2) hello.selectedVersion = u16(b, d);
      else if (type === 51 && elen >= 2) hello.keyShareGroup = u16(b, d);
      p = d + elen;
    }
  }
  const exts = hello.extensions.filter((x) => !isGrease(x)).join("-");
  hello.ja3s = md5(`${version},${cipher},${exts}`);
  return hello;
}
