/**
 * Guessing a body's MIME type from its first bytes (magic numbers), as Zeek's file analysis does
 * for resp_mime_types. Returns "" when nothing matches and the bytes do not look like text.
 */
import { constants as zlibConstants, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";

interface Magic {
  at: number;
  bytes: number[];
  mime: string;
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

const MAGICS: Magic[] = [
  { at: 0, bytes: [0x4d, 0x5a], mime: "application/x-dosexec" },
  { at: 0, bytes: [0x7f, 0x45, 0x4c, 0x46], mime: "application/x-executable" },
  { at: 0, bytes: ascii("%PDF"), mime: "application/pdf" },
  { at: 0, bytes: [0x50, 0x4b, 0x03, 0x04], mime: "application/zip" },
  { at: 0, bytes: [0x1f, 0x8b], mime: "application/x-gzip" },
  { at: 0, bytes: ascii("BZh"), mime: "application/x-bzip2" },
  { at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], mime: "application/x-xz" },
  { at: 0, bytes: ascii("Rar!"), mime: "application/x-rar" },
  { at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], mime: "application/x-7z-compressed" },
  { at: 257, bytes: ascii("ustar"), mime: "application/x-tar" },
  { at: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], mime: "application/msword" },
  { at: 0, bytes: [0xca, 0xfe, 0xba, 0xbe], mime: "application/x-java-applet" },
  { at: 0, bytes: ascii("CWS"), mime: "application/x-shockwave-flash" },
  { at: 0, bytes: ascii("FWS"), mime: "application/x-shockwave-flash" },
  { at: 0, bytes: ascii("GIF87a"), mime: "image/gif" },
  { at: 0, bytes: ascii("GIF89a"), mime: "image/gif" },
  { at: 0, bytes: [0x89, 0x50, 0x4e, 0x47], mime: "image/png" },
  { at: 0, bytes: [0xff, 0xd8, 0xff], mime: "image/jpeg" },
  { at: 0, bytes: ascii("BM"), mime: "image/bmp" },
  { at: 0, bytes: [0x00, 0x00, 0x01, 0x00], mime: "image/x-icon" },
  { at: 8, bytes: ascii("WEBP"), mime: "image/webp" },
  { at: 8, bytes: ascii("WAVE"), mime: "audio/x-wav" },
  { at: 0, bytes: ascii("ID3"), mime: "audio/mpeg" },
  { at: 0, bytes: ascii("OggS"), mime: "application/ogg" },
  { at: 4, bytes: ascii("ftyp"), mime: "video/mp4" },
  { at: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3], mime: "video/webm" },
  { at: 0, bytes: ascii("wOFF"), mime: "application/font-woff" },
  { at: 0, bytes: ascii("wOF2"), mime: "application/font-woff2" },
  { at: 0, bytes: [0x00, 0x61, 0x73, 0x6d], mime: "application/wasm" },
  { at: 0, bytes: ascii("#!"), mime: "text/x-shellscript" },
  { at: 0, bytes: ascii("-----BEGIN CERTIFICATE"), mime: "application/x-x509-ca-cert" },
];

function matches(b: Uint8Array, m: Magic): boolean {
  if (b.length < m.at + m.bytes.length) return false;
  for (let i = 0; i < m.bytes.length; i++) if (b[m.at + i] !== m.bytes[i]) return false;
  return true;
}

function startsWithText(s: string, prefixes: string[]): boolean {
  for (const p of prefixes) if (s.startsWith(p)) return true;
  return false;
}

/** The MIME type of a body that starts with `head`, or "". */
export function sniffMime(head: Uint8Array): string {
  if (head.length === 0) return "";
  for (const m of MAGICS) if (matches(head, m)) return m.mime;
  // Text formats: look at the start after whitespace and a byte-order mark.
  let p = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) p = 3;
  while (
    p < head.length &&
    (head[p] === 0x20 || head[p] === 0x09 || head[p] === 0x0a || head[p] === 0x0d)
  ) p++;
  let start = "";
  for (let i = p; i < Math.min(head.length, p + 64); i++) start += String.fromCharCode(head[i]);
  const lower = start.toLowerCase();
  if (startsWithText(lower, ["<!doctype html", "<html", "<head", "<body", "<script", "<iframe"])) {
    return "text/html";
  }
  if (lower.startsWith("<?xml")) return "application/xml";
  if (lower.startsWith("<svg")) return "image/svg+xml";
  if (lower.startsWith("{\\rtf")) return "text/rtf";
  if (start.startsWith("{") || start.startsWith("[")) return "text/json";
  let printable = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d || c >= 0x80) printable++;
  }
  return printable === head.length ? "text/plain" : "";
}

/** Undoes a gzip/deflate content encoding on a body's first bytes, as far as they go. */
export function decodeHead(head: Uint8Array, encoding: string): Uint8Array {
  const enc = encoding.toLowerCase();
  // A small compressed head can expand enormously; only the start is needed.
  const opts = { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: 1 << 16 };
  try {
    if (enc === "gzip" || enc === "x-gzip") return new Uint8Array(gunzipSync(head, opts));
    if (enc === "deflate") {
      try {
        return new Uint8Array(inflateSync(head, opts));
      } catch {
        return new Uint8Array(inflateRawSync(head, opts));
      }
    }
  } catch {
    // A truncated or corrupt stream: sniff what was sent.
  }
  return head;
}
