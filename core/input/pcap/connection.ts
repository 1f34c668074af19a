/**
 * The state kept for one tracked connection (TCP) or flow (UDP, ICMP), with the counters Zeek
 * reports in conn.log and the history string.
 */
import type { AppAnalyzer } from "./app/app_analyzer.ts";
import type { TcpStream } from "./tcp_stream.ts";

/** A payload segment kept while the protocol is not yet known, replayed once it is. */
export interface HeldSegment {
  isOrig: boolean;
  at: number;
  data: Uint8Array;
  ts: number;
}

export const TCP_INACTIVE = 0;
export const TCP_SYN_SENT = 1;
export const TCP_SYN_ACK_SENT = 2;
export const TCP_PARTIAL = 3;
export const TCP_ESTABLISHED = 4;
export const TCP_CLOSED = 5;
export const TCP_RESET = 6;

/** One direction of a TCP connection: its state and sequence-space bookkeeping. */
export class TcpEndpoint {
  state = TCP_INACTIVE;
  prevState = TCP_INACTIVE;
  /** Raw 32-bit sequence numbers. */
  startSeq = 0;
  lastSeq = 0;
  ackSeq = 0;
  /** The same positions relative to startSeq, unwrapped (can exceed 2^32). */
  lastRel = 0;
  ackRel = 0;
  finCount = 0;
  didClose = false;
  /** The sequence space started at a SYN, so data offset 0 is the true start of the stream. */
  synSeen = false;
  histLastSyn = -1;
  histLastFin = -1;
  histLastRst = -1;
  rxmitCount = 0;
  rxmitThresh = 1;
  win0Count = 0;
  win0Thresh = 1;

  setState(s: number): void {
    if (s !== this.state) {
      this.prevState = this.state;
      this.state = s;
    }
  }

  /** Starts the sequence space at `start`, with the last sequence at `last`. */
  initSeq(start: number, last: number): void {
    this.startSeq = start >>> 0;
    this.ackSeq = this.startSeq;
    this.ackRel = 0;
    this.lastSeq = last >>> 0;
    this.lastRel = (this.lastSeq - this.startSeq) | 0;
  }

  /** Position of `seq` relative to the start (negative when before it). */
  relOf(seq: number): number {
    return this.lastRel + ((seq - this.lastSeq) | 0);
  }

  advanceLast(seq: number): void {
    this.lastRel += (seq - this.lastSeq) | 0;
    this.lastSeq = seq >>> 0;
  }

  advanceAck(seq: number): void {
    this.ackRel += (seq - this.ackSeq) | 0;
    this.ackSeq = seq >>> 0;
  }

  /** Payload bytes sent, from sequence numbers (what Zeek reports as orig/resp_bytes). */
  size(peer: TcpEndpoint): number {
    // A half-open connection discovered and aborted: its sequence numbers say nothing.
    if (
      this.prevState === TCP_SYN_SENT && this.state === TCP_RESET &&
      peer.state === TCP_INACTIVE && this.ackRel > 1
    ) {
      return 0;
    }
    let size = Math.max(this.lastRel, this.ackRel);
    if (size > 0) size--;
    if (this.finCount > 0 && size > 0) size--;
    return size > 0 ? size : 0;
  }
}

/** History letters are kept at most this long (RST or SYN storms could grow them forever). */
export const MAX_HISTORY = 64;

export class Connection {
  uid: string;
  key: string;
  /** IP protocol number: 6, 17, 1 or 58. */
  proto: number;
  origKey: number | string;
  origPort: number;
  respKey: number | string;
  respPort: number;
  saddr: string;
  daddr: string;
  sport: number;
  dport: number;
  startTs: number;
  /** Zeek's "last time": stops moving once both TCP sides have closed. */
  lastTs: number;
  lastPacketTs: number;
  origPkts = 0;
  respPkts = 0;
  origIpBytes = 0;
  respIpBytes = 0;
  /** Captured frame lengths on the wire (for comparison with frame-based tools). */
  origWireBytes = 0;
  respWireBytes = 0;
  /** UDP and ICMP payload bytes. */
  origBytes = 0;
  respBytes = 0;
  history = "";
  histSeen = 0;
  smac = "";
  dmac = "";
  services: string[] = [];
  orig: TcpEndpoint | null = null;
  resp: TcpEndpoint | null = null;
  /** When an unanswered SYN gives up (Zeek's attempt delay), -1 if not pending. */
  attemptAt = -1;
  /** Last time at a complete close (both FINs or a RST), -1 if none. */
  closeCompleteAt = -1;
  /** Deadline of a half close seen from a side that sent nothing else, -1 if none. */
  partialCloseAt = -1;
  origActive = false;
  respActive = false;
  icmpType = -1;
  icmpCode = -1;
  app: AppAnalyzer | null = null;
  origStream: TcpStream | null = null;
  respStream: TcpStream | null = null;
  held: HeldSegment[] | null = null;
  /** Protocol detection still looking at first payloads. */
  probing = true;
  origPayloadPkts = 0;
  respPayloadPkts = 0;
  /** Time of the pending timer entry for this connection. */
  checkAt = 0;
  removed = false;

  constructor(
    uid: string,
    key: string,
    proto: number,
    origKey: number | string,
    origPort: number,
    respKey: number | string,
    respPort: number,
    saddr: string,
    daddr: string,
    ts: number,
  ) {
    this.uid = uid;
    this.key = key;
    this.proto = proto;
    this.origKey = origKey;
    this.origPort = origPort;
    this.respKey = respKey;
    this.respPort = respPort;
    this.saddr = saddr;
    this.daddr = daddr;
    this.sport = origPort;
    this.dport = respPort;
    this.startTs = ts;
    this.lastTs = ts;
    this.lastPacketTs = ts;
    if (proto === 6) {
      this.orig = new TcpEndpoint();
      this.resp = new TcpEndpoint();
    }
  }

  addHistory(code: string): void {
    if (this.history.length < MAX_HISTORY) this.history += code;
  }

  /** Adds `code` the first time the event in `mask` happens; true if it had happened before. */
  checkHistory(mask: number, code: string): boolean {
    if ((this.histSeen & mask) === 0) {
      this.histSeen |= mask;
      this.addHistory(code);
      return false;
    }
    return true;
  }

  addService(name: string): void {
    if (!this.services.includes(name)) this.services.push(name);
  }
}
