/**
 * DNS over UDP (one message per datagram) and TCP (messages framed by a 2-byte length). A query
 * is held until its response (same transaction id) arrives, then one dns record is written per
 * query, as Zeek does; unanswered queries are written when the connection ends.
 */
import type { DnsRecord } from "../../../records/records.ts";
import type { Connection } from "../connection.ts";
import { type AnalyzerHost, type AppAnalyzer, connBase } from "./app_analyzer.ts";
import {
  type DnsMessage,
  type DnsQuestion,
  parseDns,
  qclassName,
  qtypeName,
  rcodeName,
} from "./dns_message.ts";

interface PendingQuery {
  ts: number;
  question: DnsQuestion | null;
}

const MAX_PENDING = 256;
const MAX_TCP_BUFFER = 70000;

export class DnsAnalyzer implements AppAnalyzer {
  done = false;
  /** Messages that did not parse. */
  malformed = 0;
  #conn: Connection;
  #host: AnalyzerHost;
  #tcp: boolean;
  #pending = new Map<number, PendingQuery>();
  #bufs: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];

  constructor(conn: Connection, host: AnalyzerHost) {
    this.#conn = conn;
    this.#host = host;
    this.#tcp = conn.proto === 6;
  }

  data(isOrig: boolean, buf: Uint8Array, off: number, len: number, ts: number): void {
    if (!this.#tcp) {
      this.#message(buf, off, len, ts);
      return;
    }
    const i = isOrig ? 0 : 1;
    let acc = this.#bufs[i];
    const joined = new Uint8Array(acc.length + len);
    joined.set(acc);
    joined.set(buf.subarray(off, off + len), acc.length);
    acc = joined;
    let p = 0;
    while (acc.length - p >= 2) {
      const mlen = (acc[p] << 8) | acc[p + 1];
      if (acc.length - p - 2 < mlen) break;
      this.#message(acc, p + 2, mlen, ts);
      p += 2 + mlen;
    }
    acc = acc.subarray(p);
    if (acc.length > MAX_TCP_BUFFER) acc = new Uint8Array(0);
    this.#bufs[i] = acc;
  }

  gap(isOrig: boolean): void {
    // Framing is lost; start afresh with the next segment.
    this.#bufs[isOrig ? 0 : 1] = new Uint8Array(0);
  }

  end(): void {
    for (const p of this.#pending.values()) this.#emit(p.ts, p.question, null);
    this.#pending.clear();
    this.done = true;
  }

  #message(buf: Uint8Array, off: number, len: number, ts: number): void {
    const msg = parseDns(buf, off, len);
    if (msg === null) {
      this.malformed++;
      return;
    }
    this.#conn.addService("dns");
    if (!msg.isResponse) {
      const prev = this.#pending.get(msg.id);
      if (prev !== undefined) this.#emit(prev.ts, prev.question, null);
      if (this.#pending.size >= MAX_PENDING) {
        const [k, v] = this.#pending.entries().next().value!;
        this.#pending.delete(k);
        this.#emit(v.ts, v.question, null);
      }
      this.#pending.set(msg.id, { ts, question: msg.questions[0] ?? null });
      return;
    }
    const q = this.#pending.get(msg.id);
    if (q !== undefined) {
      this.#pending.delete(msg.id);
      this.#emit(q.ts, q.question ?? msg.questions[0] ?? null, msg);
    } else {
      this.#emit(ts, msg.questions[0] ?? null, msg);
    }
  }

  #emit(ts: number, q: DnsQuestion | null, reply: DnsMessage | null): void {
    const r: DnsRecord = {
      kind: "dns",
      ...connBase(this.#conn, ts),
      query: q?.name ?? "",
      qclass: q !== null ? qclassName(q.qclass) : "",
      qtype: q !== null ? qtypeName(q.qtype) : "",
      rcode: reply !== null ? rcodeName(reply.rcode) : "",
      answers: reply !== null ? reply.answers.map((a) => a.text) : [],
      ttls: reply !== null ? reply.answers.map((a) => a.ttl) : [],
    };
    this.#host.emit(r);
  }
}
