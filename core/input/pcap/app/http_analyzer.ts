/**
 * HTTP/1.x over a reassembled TCP stream: request and status lines, headers, bodies delimited by
 * Content-Length, chunked transfer coding or the end of the connection, and pipelining (responses
 * pair with requests in order). One http record per request/response pair, plus a files record
 * for each response body (MIME type sniffed from its first bytes, MD5/SHA1/SHA256).
 */
import { createHash, type Hash } from "node:crypto";
import type { FilesRecord, HttpRecord } from "../../../records/records.ts";
import { latin1At } from "../addr_format.ts";
import type { Connection } from "../connection.ts";
import { type AnalyzerHost, type AppAnalyzer, connBase } from "./app_analyzer.ts";
import { decodeHead, sniffMime } from "./mime_sniff.ts";

const M_HEADERS = 0;
const M_LENGTH = 1;
const M_CHUNK_SIZE = 2;
const M_CHUNK_DATA = 3;
const M_CHUNK_END = 4;
const M_TRAILER = 5;
const M_EOF = 6;
const M_DEAD = 7;
const M_TUNNEL = 8;

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 4096;
const SNIFF_BYTES = 1024;
const MAX_QUEUED = 64;

interface Txn {
  ts: number;
  method: string;
  uri: string;
  host: string;
  version: string;
  userAgent: string;
  reqBodyLen: number;
  status: number;
  statusMsg: string;
  respBodyLen: number;
  sniff: Uint8Array | null;
  sniffLen: number;
  encoding: string;
  md5: Hash | null;
  sha1: Hash | null;
  sha256: Hash | null;
  respTs: number;
}

class Side {
  mode = M_HEADERS;
  buf = new Uint8Array(512);
  len = 0;
  remaining = 0;
  /** Body bytes belong to the request (client side) or to the head transaction (server). */
  isOrig: boolean;
  constructor(isOrig: boolean) {
    this.isOrig = isOrig;
  }
  append(b: Uint8Array, off: number, n: number): void {
    if (this.len + n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(b.subarray(off, off + n), this.len);
    this.len += n;
  }
}

interface Head {
  first: string;
  headers: Map<string, string>;
}

function parseHead(b: Uint8Array, len: number): Head {
  const text = latin1At(b, 0, len);
  const lines = text.split(/\r?\n/);
  const headers = new Map<string, string>();
  let last = "";
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    if ((line[0] === " " || line[0] === "\t") && last !== "") {
      headers.set(last, `${headers.get(last) ?? ""} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (!headers.has(name)) headers.set(name, value);
    last = name;
  }
  return { first: lines[0] ?? "", headers };
}

/** Finds the blank line ending a header block; returns the index just after it, or -1. */
function headerEnd(b: Uint8Array, from: number, len: number): number {
  for (let i = Math.max(from, 1); i < len; i++) {
    if (b[i] !== 0x0a) continue;
    if (b[i - 1] === 0x0a) return i + 1;
    if (b[i - 1] === 0x0d && i >= 2 && b[i - 2] === 0x0a) return i + 1;
  }
  return -1;
}

const REQUEST_LINE = /^([A-Za-z][A-Za-z_-]{0,23}) +(\S+)(?: +HTTP\/(\d+\.\d+))? *$/;
const STATUS_LINE = /^HTTP\/(\d+\.\d+) +(\d{3})(?: +(.*))?$/;

export class HttpAnalyzer implements AppAnalyzer {
  done = false;
  #conn: Connection;
  #host: AnalyzerHost;
  #client = new Side(true);
  #server = new Side(false);
  #queue: Txn[] = [];
  /** The request whose body is being read. */
  #reqTxn: Txn | null = null;
  /** The transaction whose response body is being read. */
  #respTxn: Txn | null = null;

  constructor(conn: Connection, host: AnalyzerHost) {
    this.#conn = conn;
    this.#host = host;
  }

  data(isOrig: boolean, buf: Uint8Array, off: number, len: number, ts: number): void {
    const side = isOrig ? this.#client : this.#server;
    let p = off;
    const end = off + len;
    let guard = 0;
    while (p < end && guard++ < 100000) {
      switch (side.mode) {
        case M_HEADERS:
          p = this.#headers(side, buf, p, end, ts);
          break;
        case M_LENGTH: {
          const n = Math.min(side.remaining, end - p);
          this.#body(side, buf, p, n);
          side.remaining -= n;
          p += n;
          if (side.remaining === 0) this.#bodyDone(side, ts);
          break;
        }
        case M_CHUNK_SIZE:
        case M_CHUNK_END:
        case M_TRAILER:
          p = this.#chunkLine(side, buf, p, end, ts);
          break;
        case M_CHUNK_DATA: {
          const n = Math.min(side.remaining, end - p);
          this.#body(side, buf, p, n);
          side.remaining -= n;
          p += n;
          if (side.remaining === 0) side.mode = M_CHUNK_END;
          break;
        }
        case M_EOF:
          this.#body(side, buf, p, end - p);
          p = end;
          break;
        default:
          p = end;
      }
    }
    this.#checkDone();
  }

  gap(isOrig: boolean): void {
    const side = isOrig ? this.#client : this.#server;
    // Message boundaries are lost on this side.
    side.mode = M_DEAD;
    this.#checkDone();
  }

  end(ts: number): void {
    if (this.#respTxn !== null) {
      this.#finish(this.#respTxn, ts);
      this.#respTxn = null;
    }
    for (const t of this.#queue) this.#finish(t, ts);
    this.#queue = [];
    this.done = true;
  }

  #checkDone(): void {
    const c = this.#client.mode;
    const s = this.#server.mode;
    const cOut = c === M_DEAD || c === M_TUNNEL;
    const sOut = s === M_DEAD || s === M_TUNNEL;
    if (cOut && sOut && this.#queue.length === 0 && this.#respTxn === null) this.done = true;
  }

  #headers(side: Side, b: Uint8Array, p: number, end: number, ts: number): number {
    // Blank lines between messages are tolerated.
    if (side.len === 0) {
      while (p < end && (b[p] === 0x0d || b[p] === 0x0a)) p++;
      if (p === end) return p;
    }
    const before = side.len;
    side.append(b, p, end - p);
    const e = headerEnd(side.buf, before > 3 ? before - 3 : 0, side.len);
    if (e < 0) {
      if (side.len > MAX_HEADER_BYTES) side.mode = M_DEAD;
      return end;
    }
    const consumed = e - before;
    const head = parseHead(side.buf, e);
    side.len = 0;
    if (side.isOrig) this.#request(side, head, ts);
    else this.#response(side, head, ts);
    return p + consumed;
  }

  #request(side: Side, head: Head, ts: number): void {
    const m = REQUEST_LINE.exec(head.first);
    if (m === null) {
      side.mode = M_DEAD;
      return;
    }
    this.#conn.addService("http");
    const h = head.headers;
    const t: Txn = {
      ts,
      method: m[1],
      uri: m[2],
      host: h.get("host") ?? "",
      version: m[3] ?? "",
      userAgent: h.get("user-agent") ?? "",
      reqBodyLen: 0,
      status: 0,
      statusMsg: "",
      respBodyLen: 0,
      sniff: null,
      sniffLen: 0,
      encoding: "",
      md5: null,
      sha1: null,
      sha256: null,
      respTs: 0,
    };
    if (this.#queue.length < MAX_QUEUED) this.#queue.push(t);
    if (t.userAgent !== "") {
      this.#host.software(ts, this.#conn.saddr, 0, "HTTP::BROWSER", t.userAgent);
    }
    this.#reqTxn = t;
    this.#startBody(side, h, true);
    if (t.method.toUpperCase() === "CONNECT") side.mode = M_TUNNEL;
  }

  #response(side: Side, head: Head, ts: number): void {
    const m = STATUS_LINE.exec(head.first);
    if (m === null) {
      side.mode = M_DEAD;
      return;
    }
    this.#conn.addService("http");
    const status = Number(m[2]);
    const h = head.headers;
    const server = h.get("server");
    if (server !== undefined && server !== "") {
      this.#host.software(ts, this.#conn.daddr, this.#conn.dport, "HTTP::SERVER", server);
    }
    if (status >= 100 && status < 200 && status !== 101) return; // Interim response.
    let t = this.#queue.shift();
    if (t === undefined) {
      t = {
        ts,
        method: "",
        uri: "",
        host: "",
        version: m[1],
        userAgent: "",
        reqBodyLen: 0,
        status: 0,
        statusMsg: "",
        respBodyLen: 0,
        sniff: null,
        sniffLen: 0,
        encoding: "",
        md5: null,
        sha1: null,
        sha256: null,
        respTs: ts,
      };
    }
    t.status = status;
    t.statusMsg = m[3] ?? "";
    t.respTs = ts;
    t.encoding = h.get("content-encoding") ?? "";
    if (status === 101 || (t.method.toUpperCase() === "CONNECT" && status < 300)) {
      this.#finish(t, ts);
      side.mode = M_TUNNEL;
      this.#client.mode = M_TUNNEL;
      return;
    }
    const noBody = t.method.toUpperCase() === "HEAD" || status === 204 || status === 304;
    this.#respTxn = t;
    if (noBody) {
      this.#bodyDone(side, ts);
      return;
    }
    this.#startBody(side, h, false);
  }

  #startBody(side: Side, h: Map<string, string>, isRequest: boolean): void {
    const te = (h.get("transfer-encoding") ?? "").toLowerCase();
    if (te.includes("chunked")) {
      side.mode = M_CHUNK_SIZE;
      return;
    }
    const cl = h.get("content-length");
    if (cl !== undefined && /^\s*\d+\s*$/.test(cl)) {
      const n = Number(cl);
      if (n > 0) {
        side.mode = M_LENGTH;
        side.remaining = n;
        return;
      }
      side.mode = M_HEADERS;
      if (!isRequest) this.#bodyDone(side, 0);
      return;
    }
    side.mode = isRequest ? M_HEADERS : M_EOF;
  }

  #chunkLine(side: Side, b: Uint8Array, p: number, end: number, ts: number): number {
    let nl = p;
    while (nl < end && b[nl] !== 0x0a) nl++;
    if (nl === end) {
      side.append(b, p, end - p);
      if (side.len > MAX_LINE_BYTES) side.mode = M_DEAD;
      return end;
    }
    side.append(b, p, nl - p);
    const line = latin1At(side.buf, 0, side.len).trim();
    side.len = 0;
    const next = nl + 1;
    if (side.mode === M_CHUNK_END) {
      side.mode = M_CHUNK_SIZE;
      if (line === "") return next;
      // No CRLF after the data: treat this line as the next size.
    }
    if (side.mode === M_TRAILER) {
      if (line === "") this.#bodyDone(side, ts);
      return next;
    }
    const hex = line.split(";")[0].trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(hex)) {
      side.mode = M_DEAD;
      return next;
    }
    const size = parseInt(hex, 16);
    if (size === 0) side.mode = M_TRAILER;
    else {
      side.mode = M_CHUNK_DATA;
      side.remaining = size;
    }
    return next;
  }

  #body(side: Side, b: Uint8Array, p: number, n: number): void {
    if (n <= 0) return;
    if (side.isOrig) {
      if (this.#reqTxn !== null) this.#reqTxn.reqBodyLen += n;
      return;
    }
    const t = this.#respTxn;
    if (t === null) return;
    t.respBodyLen += n;
    if (t.md5 === null) {
      t.md5 = createHash("md5");
      t.sha1 = createHash("sha1");
      t.sha256 = createHash("sha256");
      t.sniff = new Uint8Array(SNIFF_BYTES);
    }
    const view = b.subarray(p, p + n);
    t.md5.update(view);
    t.sha1!.update(view);
    t.sha256!.update(view);
    if (t.sniffLen < SNIFF_BYTES) {
      const k = Math.min(n, SNIFF_BYTES - t.sniffLen);
      t.sniff!.set(b.subarray(p, p + k), t.sniffLen);
      t.sniffLen += k;
    }
  }

  #bodyDone(side: Side, ts: number): void {
    side.mode = M_HEADERS;
    side.remaining = 0;
    if (side.isOrig) {
      this.#reqTxn = null;
      return;
    }
    const t = this.#respTxn;
    this.#respTxn = null;
    if (t !== null) this.#finish(t, ts);
  }

  #finish(t: Txn, _ts: number): void {
    const c = this.#conn;
    const fuids: string[] = [];
    const mimes: string[] = [];
    let md5 = "";
    let sha1 = "";
    if (t.respBodyLen > 0 && t.md5 !== null) {
      const fuid = this.#host.newFileId();
      fuids.push(fuid);
      const head = t.encoding !== ""
        ? decodeHead(t.sniff!.subarray(0, t.sniffLen), t.encoding)
        : t.sniff!.subarray(0, t.sniffLen);
      const mime = sniffMime(head.subarray(0, Math.min(head.length, SNIFF_BYTES)));
      if (mime !== "") mimes.push(mime);
      md5 = t.md5.digest("hex");
      sha1 = t.sha1!.digest("hex");
      const sha256 = t.sha256!.digest("hex");
      const f: FilesRecord = {
        kind: "files",
        uid: fuid,
        ts: t.respTs,
        saddr: c.daddr,
        daddr: c.saddr,
        sport: c.dport,
        dport: c.sport,
        proto: "tcp",
        source: "pcap",
        txHosts: [c.daddr],
        rxHosts: [c.saddr],
        fileSource: "HTTP",
        analyzers: ["MD5", "SHA1", "SHA256"],
        mimeType: mime,
        md5,
        sha1,
        sha256,
        size: t.respBodyLen,
      };
      this.#host.emit(f);
    }
    const r: HttpRecord = {
      kind: "http",
      ...connBase(c, t.ts),
      method: t.method,
      host: t.host,
      uri: t.uri,
      version: t.version,
      userAgent: t.userAgent,
      requestBodyLen: t.reqBodyLen,
      responseBodyLen: t.respBodyLen,
      statusCode: t.status,
      statusMsg: t.statusMsg,
      respMimeTypes: mimes,
      respFuids: fuids,
    };
    if (md5 !== "") {
      r.respMd5 = md5;
      r.respSha1 = sha1;
    }
    this.#host.emit(r);
  }
}
