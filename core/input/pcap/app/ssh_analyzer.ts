/**
 * SSH: version banners, the clear-text key exchange (negotiated algorithms, server host key) and,
 * once encrypted, a guess at whether authentication succeeded from the sizes of the server's
 * encrypted replies.
 *
 * The guess (the same idea Zeek uses; see docs/packet_engine.md): after the client starts sending
 * encrypted data, the server's first encrypted segment is SERVICE_ACCEPT, whose size S is fixed.
 * The next reply sets the size F of USERAUTH_FAILURE messages (unless it is > 256 bytes larger
 * than S, which is taken to be a pre-auth banner and skipped once). Every later reply of size F is
 * a failed attempt. A reply 16 bytes smaller than S is USERAUTH_SUCCESS (a 1-byte message padded
 * to one cipher block less than SERVICE_ACCEPT): the login succeeded. Only SSH-2 is judged.
 */
import { createHash } from "node:crypto";
import type { SshRecord } from "../../../records/records.ts";
import { latin1At } from "../addr_format.ts";
import type { Connection } from "../connection.ts";
import { type AnalyzerHost, type AppAnalyzer, connBase } from "./app_analyzer.ts";
import { sshSoftware } from "./software_version.ts";

const MAX_BANNER = 1024;
const MAX_PACKET = 35000;

const B_BANNER = 0;
const B_PACKETS = 1;
const B_ENCRYPTED = 2;
const B_DEAD = 3;

class Direction {
  phase = B_BANNER;
  buf: Uint8Array = new Uint8Array(0);
  banner = "";
  kexinit: string[] | null = null;
  preambleLines = 0;
}

function concat(a: Uint8Array, b: Uint8Array, off: number, len: number): Uint8Array {
  if (a.length === 0) return b.slice(off, off + len);
  const out = new Uint8Array(a.length + len);
  out.set(a);
  out.set(b.subarray(off, off + len), a.length);
  return out;
}

function nameLists(b: Uint8Array, off: number, end: number): string[] | null {
  const lists: string[] = [];
  let p = off + 16; // cookie
  for (let i = 0; i < 10; i++) {
    if (p + 4 > end) return null;
    const n = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    p += 4;
    if (p + n > end) return null;
    lists.push(latin1At(b, p, n));
    p += n;
  }
  return lists;
}

/** The first algorithm of the client's list that the server also offers. */
function negotiate(client: string, server: string): string {
  const offered = new Set(server.split(","));
  for (const a of client.split(",")) if (offered.has(a)) return a;
  return "";
}

export class SshAnalyzer implements AppAnalyzer {
  done = false;
  #conn: Connection;
  #host: AnalyzerHost;
  #dirs: [Direction, Direction] = [new Direction(), new Direction()];
  #ts = 0;
  #version = 0;
  #hostKey = "";
  #hostKeyAlg = "";
  #sawEncryptedClientData = false;
  #serviceAcceptSize = 0;
  #failureSize = 0;
  #skippedBanner = false;
  #decided = false;
  #attempts = 0;
  #success: boolean | null = null;
  #emitted = false;

  constructor(conn: Connection, host: AnalyzerHost) {
    this.#conn = conn;
    this.#host = host;
  }

  data(isOrig: boolean, buf: Uint8Array, off: number, len: number, ts: number): void {
    const d = this.#dirs[isOrig ? 0 : 1];
    if (d.phase === B_DEAD) return;
    if (d.phase === B_ENCRYPTED) {
      this.#encrypted(isOrig, len, ts);
      return;
    }
    d.buf = concat(d.buf, buf, off, len);
    let p = 0;
    if (d.phase === B_BANNER) p = this.#banner(isOrig, d, ts);
    if (d.phase === B_PACKETS) p = this.#packets(isOrig, d, p);
    if (d.phase === B_ENCRYPTED) {
      const rest = d.buf.length - p;
      d.buf = new Uint8Array(0);
      if (rest > 0) this.#encrypted(isOrig, rest, ts);
      return;
    }
    d.buf = d.phase === B_DEAD ? new Uint8Array(0) : d.buf.slice(p);
  }

  gap(isOrig: boolean): void {
    // Zeek stops judging a connection with missing bytes; so do we.
    this.#dirs[isOrig ? 0 : 1].phase = B_DEAD;
    this.#decided = true;
  }

  end(): void {
    this.#emit();
    this.done = true;
  }

  #banner(isOrig: boolean, d: Direction, ts: number): number {
    const b = d.buf;
    let start = 0;
    for (let i = 0; i < b.length; i++) {
      if (b[i] !== 0x0a) continue;
      let line = latin1At(b, start, i - start);
      if (line.endsWith("\r")) line = line.slice(0, -1);
      start = i + 1;
      if (!line.startsWith("SSH-")) {
        if (++d.preambleLines > 16) {
          d.phase = B_DEAD;
          return start;
        }
        continue;
      }
      d.banner = line;
      d.phase = B_PACKETS;
      this.#conn.addService("ssh");
      if (this.#ts === 0) this.#ts = ts;
      if (this.#version === 0) this.#version = /^SSH-(2\.0|1\.99)-/.test(line) ? 2 : 1;
      const c = this.#conn;
      if (isOrig) this.#host.software(ts, c.saddr, 0, "SSH::CLIENT", sshSoftware(line));
      else this.#host.software(ts, c.daddr, c.dport, "SSH::SERVER", sshSoftware(line));
      return start;
    }
    if (b.length - start > MAX_BANNER) d.phase = B_DEAD;
    return start;
  }

  #packets(isOrig: boolean, d: Direction, p: number): number {
    const b = d.buf;
    while (b.length - p >= 6) {
      const plen = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
      if (plen < 2 || plen > MAX_PACKET) {
        d.phase = B_DEAD;
        return p;
      }
      if (b.length - p - 4 < plen) break;
      const pad = b[p + 4];
      const payload = p + 5;
      const payloadEnd = p + 4 + plen - pad;
      const msg = b[payload];
      p += 4 + plen;
      if (payloadEnd <= payload) continue;
      if (msg === 20) {
        d.kexinit = nameLists(b, payload + 1, payloadEnd);
      } else if (!isOrig && (msg === 31 || msg === 33) && payloadEnd - payload > 5) {
        this.#hostKeyFrom(b, payload + 1, payloadEnd);
      } else if (msg === 21) {
        d.phase = B_ENCRYPTED;
        return p;
      }
    }
    return p;
  }

  #hostKeyFrom(b: Uint8Array, off: number, end: number): void {
    const n = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
    if (off + 4 + n > end || n < 4) return;
    const blob = b.subarray(off + 4, off + 4 + n);
    const hex = createHash("md5").update(blob).digest("hex");
    this.#hostKey = hex.replace(/(..)(?!$)/g, "$1:");
    const an = ((blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3]) >>> 0;
    if (4 + an <= blob.length) this.#hostKeyAlg = latin1At(blob, 4, an);
  }

  #encrypted(isOrig: boolean, len: number, _ts: number): void {
    if (this.#decided || this.#version !== 2) return;
    if (isOrig) {
      this.#sawEncryptedClientData = true;
      return;
    }
    if (!this.#sawEncryptedClientData) return;
    if (this.#serviceAcceptSize === 0) {
      this.#serviceAcceptSize = len;
      return;
    }
    if (this.#failureSize === 0 && len + 16 === this.#serviceAcceptSize) {
      this.#attempts++;
      this.#success = true;
      this.#decided = true;
      this.#emit();
      return;
    }
    if (this.#failureSize === 0) {
      if (!this.#skippedBanner && len - this.#serviceAcceptSize > 256) {
        this.#skippedBanner = true;
        return;
      }
      this.#failureSize = len;
      return;
    }
    if (len === this.#failureSize) {
      this.#attempts++;
      this.#success = false;
      return;
    }
    if (len - this.#serviceAcceptSize === -16) {
      this.#attempts++;
      this.#success = true;
      this.#decided = true;
      this.#emit();
    }
  }

  #emit(): void {
    if (this.#emitted || this.#ts === 0) return;
    this.#emitted = true;
    this.done = true;
    const [co, so] = this.#dirs;
    const ck = co.kexinit;
    const sk = so.kexinit;
    const pick = (i: number) => ck !== null && sk !== null ? negotiate(ck[i], sk[i]) : "";
    const r: SshRecord = {
      kind: "ssh",
      ...connBase(this.#conn, this.#ts),
      version: this.#version,
      authSuccess: this.#success,
      authAttempts: this.#attempts,
      client: co.banner,
      server: so.banner,
      cipherAlg: pick(2),
      macAlg: pick(4),
      compressionAlg: pick(6),
      kexAlg: pick(0),
      hostKeyAlg: this.#hostKeyAlg || pick(1),
      hostKey: this.#hostKey,
    };
    this.#host.emit(r);
  }
}
