/**
 * TLS over a reassembled TCP stream: the record layer, the clear-text handshake (ClientHello,
 * ServerHello, Certificate, ServerKeyExchange) and ChangeCipherSpec/application data to tell
 * when the session is established. Writes one ssl record per connection, and an x509 and a files
 * record per server certificate (TLS ≤ 1.2; TLS 1.3 encrypts its certificates).
 */
import tls from "node:tls";
import { Buffer } from "node:buffer";
import type { FilesRecord, SslRecord, X509Record } from "../../../records/records.ts";
import type { Connection } from "../connection.ts";
import { type AnalyzerHost, type AppAnalyzer, connBase } from "./app_analyzer.ts";
import {
  type ClientHello,
  parseClientHello,
  parseServerHello,
  type ServerHello,
} from "./tls_hello.ts";
import { cipherName, groupName, tlsVersionName } from "./tls_names.ts";
import { type CertInfo, parseCertificate } from "./x509_cert.ts";

const MAX_RECORD = 18432;
const MAX_HANDSHAKE_BUFFER = 64 * 1024;
const MAX_CERTS = 16;

let rootSubjects: Set<string> | null = null;

/** Subjects of the CA certificates the runtime trusts, to tell a known root from a private one. */
function knownRoots(): Set<string> {
  if (rootSubjects !== null) return rootSubjects;
  rootSubjects = new Set();
  try {
    for (const pem of tls.rootCertificates) {
      const b64 = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
      const info = parseCertificate(new Uint8Array(Buffer.from(b64, "base64")));
      if (info !== null) rootSubjects.add(info.subject);
    }
  } catch {
    // No root store available: every chain is "unable to get local issuer certificate".
  }
  return rootSubjects;
}

/** OpenSSL's wording for the first problem a chain has, as ssl.log's validation_status. */
export function validationStatus(chain: CertInfo[], at: number): string {
  if (chain.length === 0) return "";
  const leaf = chain[0];
  const top = chain[chain.length - 1];
  const roots = knownRoots();
  if (chain.length === 1 && leaf.selfSigned && !roots.has(leaf.subject)) {
    return "self signed certificate";
  }
  if (top.selfSigned && !roots.has(top.subject)) {
    return "self signed certificate in certificate chain";
  }
  if (!top.selfSigned && !roots.has(top.issuer)) return "unable to get local issuer certificate";
  for (const c of chain) {
    if (c.notAfter > 0 && at > c.notAfter) return "certificate has expired";
    if (c.notBefore > 0 && at < c.notBefore) return "certificate is not yet valid";
  }
  return "ok";
}

class Direction {
  rec: Uint8Array = new Uint8Array(0);
  hs: Uint8Array = new Uint8Array(0);
  encrypted = false;
  ccs = false;
  appData = false;
  dead = false;
}

function concat(a: Uint8Array, b: Uint8Array, off: number, len: number): Uint8Array {
  const out = new Uint8Array(a.length + len);
  out.set(a);
  out.set(b.subarray(off, off + len), a.length);
  return out;
}

export class TlsAnalyzer implements AppAnalyzer {
  done = false;
  #conn: Connection;
  #host: AnalyzerHost;
  #dirs: [Direction, Direction] = [new Direction(), new Direction()];
  #client: ClientHello | null = null;
  #server: ServerHello | null = null;
  #ts = 0;
  #curve = "";
  #chain: CertInfo[] = [];
  #clientChain: string[] = [];
  #emitted = false;

  constructor(conn: Connection, host: AnalyzerHost) {
    this.#conn = conn;
    this.#host = host;
  }

  data(isOrig: boolean, buf: Uint8Array, off: number, len: number, ts: number): void {
    const d = this.#dirs[isOrig ? 0 : 1];
    if (d.dead || this.done) return;
    let bytes: Uint8Array;
    let p: number;
    let end: number;
    if (d.rec.length > 0) {
      bytes = concat(d.rec, buf, off, len);
      p = 0;
      end = bytes.length;
    } else {
      bytes = buf;
      p = off;
      end = off + len;
    }
    while (end - p >= 5) {
      const type = bytes[p];
      const rlen = (bytes[p + 3] << 8) | bytes[p + 4];
      if (type < 20 || type > 24 || bytes[p + 1] > 3 || rlen > MAX_RECORD) {
        d.dead = true;
        break;
      }
      if (end - p < 5 + rlen) break;
      this.#record(isOrig, d, type, bytes, p + 5, rlen, ts);
      p += 5 + rlen;
      if (this.done) return;
    }
    d.rec = d.dead ? new Uint8Array(0) : bytes.slice(p, end);
    this.#maybeEstablished(ts);
    if (this.#dirs[0].dead && this.#dirs[1].dead) this.#finish(ts);
  }

  gap(isOrig: boolean): void {
    this.#dirs[isOrig ? 0 : 1].dead = true;
  }

  end(ts: number): void {
    this.#finish(ts);
  }

  #record(
    isOrig: boolean,
    d: Direction,
    type: number,
    b: Uint8Array,
    off: number,
    len: number,
    ts: number,
  ): void {
    switch (type) {
      case 20:
        d.ccs = true;
        d.encrypted = true;
        d.hs = new Uint8Array(0);
        return;
      case 23:
        d.appData = true;
        return;
      case 22:
        if (d.encrypted) return;
        d.hs = concat(d.hs, b, off, len);
        if (d.hs.length > MAX_HANDSHAKE_BUFFER) {
          d.dead = true;
          return;
        }
        this.#handshakes(isOrig, d, ts);
        return;
      default:
        return;
    }
  }

  #handshakes(isOrig: boolean, d: Direction, ts: number): void {
    const h = d.hs;
    let p = 0;
    while (h.length - p >= 4) {
      const mtype = h[p];
      const mlen = (h[p + 1] << 16) | (h[p + 2] << 8) | h[p + 3];
      if (h.length - p - 4 < mlen) break;
      this.#message(isOrig, d, mtype, h, p + 4, mlen, ts);
      p += 4 + mlen;
      if (d.encrypted) break;
    }
    d.hs = d.encrypted ? new Uint8Array(0) : h.slice(p);
  }

  #message(
    isOrig: boolean,
    d: Direction,
    type: number,
    b: Uint8Array,
    off: number,
    len: number,
    ts: number,
  ): void {
    if (isOrig && type === 1 && this.#client === null) {
      this.#client = parseClientHello(b, off, len);
      if (this.#client !== null) {
        this.#ts = ts;
        this.#conn.addService("ssl");
      }
    } else if (!isOrig && type === 2 && this.#server === null) {
      this.#server = parseServerHello(b, off, len);
      if (this.#server !== null) {
        if (this.#ts === 0) this.#ts = ts;
        this.#conn.addService("ssl");
        if (this.#server.keyShareGroup >= 0) this.#curve = groupName(this.#server.keyShareGroup);
        // TLS 1.3 encrypts everything after the ServerHello.
        if (this.#server.selectedVersion === 0x0304) d.encrypted = true;
      }
    } else if (type === 11) {
      this.#certificates(isOrig, b, off, len, ts);
    } else if (!isOrig && type === 12 && len >= 3 && b[off] === 3) {
      this.#curve = groupName((b[off + 1] << 8) | b[off + 2]);
    }
  }

  #certificates(isOrig: boolean, b: Uint8Array, off: number, len: number, ts: number): void {
    if (len < 3) return;
    const end = Math.min(off + len, off + 3 + ((b[off] << 16) | (b[off + 1] << 8) | b[off + 2]));
    let p = off + 3;
    let index = 0;
    while (p + 3 <= end && index < MAX_CERTS) {
      const clen = (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
      p += 3;
      if (p + clen > end) break;
      const der = b.slice(p, p + clen);
      p += clen;
      const info = parseCertificate(der);
      if (info === null) continue;
      if (isOrig) {
        this.#clientChain.push(info.sha1);
      } else {
        this.#chain.push(info);
        this.#certRecords(info, index, der.length, ts);
      }
      index++;
    }
  }

  #certRecords(info: CertInfo, index: number, size: number, ts: number): void {
    const c = this.#conn;
    const fuid = this.#host.newFileId();
    const x: X509Record = {
      kind: "x509",
      uid: fuid,
      ts,
      saddr: "",
      daddr: "",
      sport: 0,
      dport: 0,
      proto: "",
      source: "pcap",
      fingerprint: info.sha1,
      subject: info.subject,
      issuer: info.issuer,
      notValidBefore: info.notBefore,
      notValidAfter: info.notAfter,
      sanDns: info.sanDns,
    };
    this.#host.emit(x);
    const f: FilesRecord = {
      kind: "files",
      uid: fuid,
      ts,
      saddr: c.daddr,
      daddr: c.saddr,
      sport: c.dport,
      dport: c.sport,
      proto: "tcp",
      source: "pcap",
      txHosts: [c.daddr],
      rxHosts: [c.saddr],
      fileSource: "SSL",
      analyzers: ["X509", "MD5", "SHA1"],
      mimeType: index === 0 ? "application/x-x509-user-cert" : "application/x-x509-ca-cert",
      md5: info.md5,
      sha1: info.sha1,
      sha256: info.sha256,
      size,
    };
    this.#host.emit(f);
  }

  #maybeEstablished(ts: number): void {
    if (this.#emitted || this.#server === null) return;
    const [o, r] = this.#dirs;
    const tls13 = this.#server.selectedVersion === 0x0304;
    const established = tls13 ? o.appData && r.appData : o.ccs && r.ccs;
    if (established) this.#emit(true, ts);
  }

  #finish(ts: number): void {
    if (!this.#emitted && (this.#client !== null || this.#server !== null)) this.#emit(false, ts);
    this.done = true;
  }

  #emit(established: boolean, _ts: number): void {
    this.#emitted = true;
    this.done = true;
    const ch = this.#client;
    const sh = this.#server;
    const leaf = this.#chain[0];
    const r: SslRecord = {
      kind: "ssl",
      ...connBase(this.#conn, this.#ts),
      version: sh !== null ? tlsVersionName(sh.selectedVersion) : "",
      cipher: sh !== null ? cipherName(sh.cipher) : "",
      resumed: ch !== null && sh !== null && sh.sessionId !== "" &&
        sh.sessionId === ch.sessionId,
      established,
      certChainFps: this.#chain.map((c) => c.sha1),
      clientCertChainFps: this.#clientChain,
      subject: leaf?.subject ?? "",
      issuer: leaf?.issuer ?? "",
      serverName: ch?.serverName ?? "",
      validationStatus: validationStatus(this.#chain, this.#ts),
      curve: this.#curve,
      ja3: ch?.ja3 ?? "",
      ja3s: sh?.ja3s ?? "",
      isDoH: false,
      notValidBefore: leaf?.notBefore ?? 0,
      notValidAfter: leaf?.notAfter ?? 0,
    };
    this.#host.emit(r);
  }
}
