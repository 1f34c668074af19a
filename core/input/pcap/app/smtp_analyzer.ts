/**
 * SMTP: client commands (EHLO/HELO, MAIL, RCPT, DATA, AUTH, QUIT, STARTTLS) and the server's
 * (possibly multi-line) replies. An smtp record is written when a message has been accepted or
 * refused, when an AUTH exchange ends (so each login attempt shows its 235/535 result), and for
 * whatever is left when the session ends; its last_reply is the server's latest final reply.
 * A server greeting of "220" starts the analyzer; EHLO/HELO from the client confirms SMTP.
 */
import type { SmtpRecord } from "../../../records/records.ts";
import { latin1At } from "../addr_format.ts";
import type { Connection } from "../connection.ts";
import { type AnalyzerHost, type AppAnalyzer, connBase } from "./app_analyzer.ts";

const MAX_LINE = 4096;

class Lines {
  buf: Uint8Array = new Uint8Array(0);
  /** Splits off complete lines; the rest waits for more bytes. */
  push(b: Uint8Array, off: number, len: number, each: (line: string) => boolean): void {
    let data: Uint8Array;
    let p: number;
    let end: number;
    if (this.buf.length > 0) {
      data = new Uint8Array(this.buf.length + len);
      data.set(this.buf);
      data.set(b.subarray(off, off + len), this.buf.length);
      p = 0;
      end = data.length;
    } else {
      data = b;
      p = off;
      end = off + len;
    }
    let start = p;
    for (let i = p; i < end; i++) {
      if (data[i] !== 0x0a) continue;
      let n = i - start;
      if (n > 0 && data[i - 1] === 0x0d) n--;
      const keepGoing = each(latin1At(data, start, Math.min(n, MAX_LINE)));
      start = i + 1;
      if (!keepGoing) {
        this.buf = new Uint8Array(0);
        return;
      }
    }
    this.buf = end - start > MAX_LINE ? new Uint8Array(0) : data.slice(start, end);
  }
}

export class SmtpAnalyzer implements AppAnalyzer {
  done = false;
  #conn: Connection;
  #host: AnalyzerHost;
  #client = new Lines();
  #server = new Lines();
  #confirmed = false;
  #inData = false;
  #dataRequested = false;
  #awaitingDataReply = false;
  #startTlsPending = false;
  #authPending = false;
  #txTs = -1;
  #lastReply = "";

  constructor(conn: Connection, host: AnalyzerHost) {
    this.#conn = conn;
    this.#host = host;
  }

  data(isOrig: boolean, buf: Uint8Array, off: number, len: number, ts: number): void {
    if (isOrig) this.#client.push(buf, off, len, (l) => this.#command(l, ts));
    else this.#server.push(buf, off, len, (l) => this.#reply(l, ts));
  }

  gap(): void {
    this.#emit();
    this.done = true;
  }

  end(): void {
    this.#emit();
    this.done = true;
  }

  #command(line: string, ts: number): boolean {
    if (this.#inData) {
      if (line === ".") {
        this.#inData = false;
        this.#awaitingDataReply = true;
      }
      return true;
    }
    const verb = line.split(" ", 1)[0].toUpperCase();
    if (!this.#confirmed) {
      if (verb === "EHLO" || verb === "HELO") {
        this.#confirmed = true;
        this.#conn.addService("smtp");
      } else {
        if (verb === "USER") this.#conn.addService("ftp");
        this.done = true;
        return false;
      }
    }
    // A QUIT alone does not open a new transaction.
    if (this.#txTs < 0 && verb !== "QUIT") this.#txTs = ts;
    if (verb === "DATA") this.#dataRequested = true;
    if (verb === "STARTTLS") this.#startTlsPending = true;
    if (verb === "AUTH") this.#authPending = true;
    return true;
  }

  #reply(line: string, _ts: number): boolean {
    const m = /^(\d{3})([ -])?(.*)$/.exec(line);
    if (m === null) return true;
    if (m[2] === "-") return true;
    this.#lastReply = `${m[1]} ${m[3]}`.trim();
    if (this.#dataRequested) {
      this.#dataRequested = false;
      // 354: the client now sends the message, up to a line holding a single dot.
      if (m[1] === "354") {
        this.#inData = true;
        return true;
      }
    }
    // The end of an AUTH exchange (anything but a 334 challenge) is written out at once, so
    // each failed or successful login is its own record.
    if (this.#authPending && m[1] !== "334") {
      this.#authPending = false;
      this.#emit();
      return true;
    }
    if (this.#awaitingDataReply) {
      this.#awaitingDataReply = false;
      this.#emit();
    }
    if (this.#startTlsPending && m[1] === "220") {
      // The rest of the session is encrypted.
      this.#emit();
      this.done = true;
      return false;
    }
    this.#startTlsPending = false;
    return true;
  }

  #emit(): void {
    if (!this.#confirmed || this.#txTs < 0) return;
    const r: SmtpRecord = {
      kind: "smtp",
      ...connBase(this.#conn, this.#txTs),
      lastReply: this.#lastReply,
    };
    this.#txTs = -1;
    this.#host.emit(r);
  }
}
