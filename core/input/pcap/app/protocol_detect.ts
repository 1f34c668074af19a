/**
 * Recognising the application protocol of a TCP connection from the first payload bytes of each
 * side (not from the port), so that SSH on port 2222 or HTTP on 8081 is still analysed.
 */

export type TcpProtocol = "ssh" | "ssl" | "http" | "smtp" | "";

const HTTP_METHODS = new Set([
  "GET",
  "POST",
  "HEAD",
  "PUT",
  "DELETE",
  "OPTIONS",
  "CONNECT",
  "TRACE",
  "PATCH",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "SEARCH",
  "REPORT",
  "SUBSCRIBE",
  "UNSUBSCRIBE",
  "NOTIFY",
  "MKACTIVITY",
  "CHECKOUT",
  "MERGE",
]);

function startsWith(b: Uint8Array, off: number, len: number, text: string): boolean {
  if (len < text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[off + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The protocol a side's first payload announces, or "" when it says nothing known. */
export function detectTcp(isOrig: boolean, b: Uint8Array, off: number, len: number): TcpProtocol {
  if (len <= 0) return "";
  if (startsWith(b, off, len, "SSH-")) return "ssh";
  if (isOrig) {
    // A TLS handshake record holding a ClientHello.
    if (len >= 6 && b[off] === 0x16 && b[off + 1] === 3 && b[off + 2] <= 4 && b[off + 5] === 1) {
      return "ssl";
    }
    let sp = -1;
    for (let i = 0; i < Math.min(len, 14); i++) {
      if (b[off + i] === 0x20) {
        sp = i;
        break;
      }
    }
    if (sp >= 3) {
      let m = "";
      for (let i = 0; i < sp; i++) m += String.fromCharCode(b[off + i]);
      if (HTTP_METHODS.has(m)) return "http";
    }
    return "";
  }
  if (startsWith(b, off, len, "HTTP/1.")) return "http";
  if (startsWith(b, off, len, "220")) return "smtp";
  return "";
}
