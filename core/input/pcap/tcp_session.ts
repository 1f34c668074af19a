/**
 * The TCP endpoint state machine, sequence accounting and history letters, following the
 * behaviour Zeek documents for conn.log: endpoint states INACTIVE → SYN_SENT / SYN_ACK_SENT /
 * PARTIAL → ESTABLISHED → CLOSED or RESET, payload sizes from sequence numbers, and one history
 * letter per event kind and direction (upper case for the originator).
 */
import {
  type Connection,
  TCP_CLOSED,
  TCP_ESTABLISHED,
  TCP_INACTIVE,
  TCP_PARTIAL,
  TCP_RESET,
  TCP_SYN_ACK_SENT,
  TCP_SYN_SENT,
  type TcpEndpoint,
} from "./connection.ts";
import { TH_ACK, TH_FIN, TH_RST, TH_SYN } from "./packet_decoder.ts";

/** Zeek waits this long for an answer to a SYN before calling the attempt failed. */
export const ATTEMPT_DELAY = 5;
/** A fully closed connection lingers this long for stray packets. */
export const CLOSE_DELAY = 5;
/** A FIN from a side that sent nothing before is given this long. */
export const PARTIAL_CLOSE_DELAY = 3;
/** A closed-on-one-side connection that goes quiet this long is done. */
export const CONNECTION_LINGER = 5;

/** Sequence jumps beyond this in SYN or RST packets are not believed. */
const TOO_LARGE_SEQ_DELTA = 1048576;

// History bits; the responder's are the same shifted left by 16.
const H_SYN = 1 << 0;
const H_FIN = 1 << 1;
const H_RST = 1 << 2;
const H_ACK = 1 << 3;
const H_DATA = 1 << 4;
const H_FIN_RST = 1 << 5;
const H_MULTI = 1 << 6;

function check(c: Connection, isOrig: boolean, mask: number, code: string): boolean {
  return isOrig ? c.checkHistory(mask, code) : c.checkHistory(mask << 16, code.toLowerCase());
}

function add(c: Connection, isOrig: boolean, code: string): void {
  c.addHistory(isOrig ? code : code.toLowerCase());
}

/** Letters for repeated events are logged at the 1st, 10th, 100th … occurrence. */
function scaled(c: Connection, isOrig: boolean, e: TcpEndpoint, code: string): void {
  if (code === "T") {
    if (++e.rxmitCount === e.rxmitThresh) {
      add(c, isOrig, code);
      e.rxmitThresh *= 10;
    }
  } else if (++e.win0Count === e.win0Thresh) {
    add(c, isOrig, code);
    e.win0Thresh *= 10;
  }
}

function updateHistory(
  c: Connection,
  isOrig: boolean,
  e: TcpEndpoint,
  flags: number,
  relSeq: number,
  len: number,
): void {
  const syn = (flags & TH_SYN) !== 0;
  const fin = (flags & TH_FIN) !== 0;
  const rst = (flags & TH_RST) !== 0;
  const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
  if (bits > 1) {
    if (fin && rst) check(c, isOrig, H_FIN_RST, "I");
    else check(c, isOrig, H_MULTI, "Q");
    return;
  }
  if (bits === 1) {
    if (syn) {
      const code = (flags & TH_ACK) !== 0 ? "H" : "S";
      if (check(c, isOrig, H_SYN, code) && relSeq !== e.histLastSyn) add(c, isOrig, code);
      e.histLastSyn = relSeq;
    } else if (fin) {
      // A FIN's sequence number sits after the data it carries.
      if (check(c, isOrig, H_FIN, "F") && relSeq + len !== e.histLastFin) add(c, isOrig, "F");
      e.histLastFin = relSeq + len;
    } else {
      if (check(c, isOrig, H_RST, "R") && relSeq !== e.histLastRst) add(c, isOrig, "R");
      e.histLastRst = relSeq;
    }
    return;
  }
  if (len > 0) check(c, isOrig, H_DATA, "D");
  else if ((flags & TH_ACK) !== 0) check(c, isOrig, H_ACK, "A");
}

function initEndpoint(e: TcpEndpoint, flags: number, seq: number, seqEnd: number): void {
  const syn = (flags & TH_SYN) !== 0;
  if (syn) e.synSeen = true;
  switch (e.state) {
    case TCP_INACTIVE:
      if (syn) e.initSeq(seq, seqEnd);
      else e.initSeq(seq - 1, seq); // As if a SYN had been seen, so offsets stay consistent.
      break;
    case TCP_SYN_SENT:
    case TCP_SYN_ACK_SENT:
      if (syn && (seq >>> 0) !== e.startSeq) e.initSeq(seq, seqEnd);
      break;
    case TCP_ESTABLISHED:
    case TCP_PARTIAL:
      if (syn) e.initSeq(seq, seqEnd);
      break;
    case TCP_RESET:
      if (syn && e.prevState === TCP_INACTIVE) e.initSeq(seq, seqEnd);
      break;
  }
}

/** True when a SYN on an existing connection starts a new one (port reuse). */
export function isReuse(c: Connection, flags: number, seq: number): boolean {
  const o = c.orig!;
  const r = c.resp!;
  if ((flags & TH_SYN) === 0) return false;
  let connOrig = o;
  if ((flags & TH_ACK) !== 0) {
    if (o.state !== TCP_INACTIVE) return false;
    connOrig = r;
  }
  if (!o.didClose && !r.didClose) {
    if ((seq >>> 0) === connOrig.startSeq) return false;
    if (
      (flags & TH_ACK) === 0 && connOrig.state === TCP_SYN_ACK_SENT &&
      r.state === TCP_INACTIVE && (seq >>> 0) === r.startSeq
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Applies one TCP segment to the connection. Returns the segment's data position relative to the
 * sender's first data byte (for stream reassembly), or -1 when its payload must not be used.
 */
export function processTcp(
  c: Connection,
  isOrig: boolean,
  flags: number,
  seq: number,
  ack: number,
  win: number,
  len: number,
  ts: number,
): number {
  const e = isOrig ? c.orig! : c.resp!;
  const peer = isOrig ? c.resp! : c.orig!;
  const syn = (flags & TH_SYN) !== 0;
  const fin = (flags & TH_FIN) !== 0;
  const rst = (flags & TH_RST) !== 0;
  const hasAck = (flags & TH_ACK) !== 0;

  let segLen = len;
  if (syn) segLen++;
  if (fin) segLen++;
  if (rst) segLen -= len;
  const seqEnd = (seq + segLen) >>> 0;

  initEndpoint(e, flags, seq, seqEnd);
  const relSeq = e.relOf(seq);
  const underflow = relSeq < 0;
  updateHistory(c, isOrig, e, flags, relSeq, len);

  if (win === 0 && !rst && peer.state !== TCP_CLOSED && e.state !== TCP_RESET) {
    scaled(c, isOrig, e, "W");
  }
  if (!c.orig!.didClose || !c.resp!.didClose) c.lastTs = ts;
  if (fin) e.finCount++;

  if (hasAck) {
    if (peer.state === TCP_INACTIVE) {
      peer.initSeq(ack - 1, ack - 1);
    } else if (!rst) {
      const delta = (ack - peer.ackSeq) | 0;
      if (!((ack >>> 0) === 0 && delta > TOO_LARGE_SEQ_DELTA) && delta > 0) peer.advanceAck(ack);
    }
  }

  // The last sequence number, and retransmissions.
  const deltaLast = (seqEnd - e.lastSeq) | 0;
  if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
    // Not trusted.
  } else if (fin && e.lastSeq === ((e.startSeq + 1) >>> 0)) {
    e.advanceLast(seqEnd);
  } else if (e.state === TCP_RESET) {
    // Nothing after a reset is trusted.
  } else if (deltaLast > 0) {
    e.advanceLast(seqEnd);
  } else if (len > 0) {
    scaled(c, isOrig, e, "T");
  }

  const doClose = updateStateMachine(c, e, peer, isOrig, flags, seq, len, ts);
  if (doClose && !e.didClose) {
    e.didClose = true;
    const complete = e.state === TCP_RESET || peer.didClose || peer.state === TCP_INACTIVE;
    if (complete) c.closeCompleteAt = c.lastTs;
    else if (e.prevState === TCP_INACTIVE) c.partialCloseAt = c.lastTs + PARTIAL_CLOSE_DELAY;
  }
  if (len === 0 || rst || underflow) return -1;
  return syn ? relSeq : relSeq - 1;
}

function updateStateMachine(
  c: Connection,
  e: TcpEndpoint,
  peer: TcpEndpoint,
  isOrig: boolean,
  flags: number,
  _seq: number,
  len: number,
  ts: number,
): boolean {
  const syn = (flags & TH_SYN) !== 0;
  const fin = (flags & TH_FIN) !== 0;
  const rst = (flags & TH_RST) !== 0;
  const hasAck = (flags & TH_ACK) !== 0;
  let doClose = false;
  switch (e.state) {
    case TCP_INACTIVE: {
      if (syn) {
        if (isOrig) {
          e.setState(hasAck ? TCP_SYN_ACK_SENT : TCP_SYN_SENT);
          c.attemptAt = ts + ATTEMPT_DELAY;
        } else {
          if (peer.state === TCP_SYN_SENT) peer.setState(TCP_ESTABLISHED);
          e.setState(TCP_ESTABLISHED);
        }
      }
      if (fin) {
        e.setState(TCP_CLOSED);
        doClose = true;
      }
      if (rst) {
        e.setState(TCP_RESET);
        doClose = true;
      }
      if (e.state === TCP_INACTIVE) {
        const origState = isOrig ? e.state : peer.state;
        if (!isOrig && len === 0 && origState === TCP_SYN_SENT) {
          // Some stacks ACK a SYN before answering it; that is not a partial connection.
        } else if (hasAck && peer.state === TCP_ESTABLISHED) {
          e.setState(TCP_ESTABLISHED);
        } else {
          e.setState(TCP_PARTIAL);
        }
      }
      break;
    }
    case TCP_SYN_SENT:
    case TCP_SYN_ACK_SENT:
      if (fin) {
        e.setState(TCP_CLOSED);
        doClose = true;
      }
      if (rst) {
        e.setState(TCP_RESET);
        doClose = true;
      }
      break;
    case TCP_ESTABLISHED:
    case TCP_PARTIAL:
      if (syn && e.state === TCP_PARTIAL && peer.state === TCP_INACTIVE && !hasAck) {
        e.setState(TCP_SYN_SENT);
      }
      if (fin && !rst) {
        e.setState(TCP_CLOSED);
        // A FIN then a RST from the peer was a normal close after all.
        if (peer.state === TCP_RESET && peer.prevState === TCP_CLOSED) peer.setState(TCP_CLOSED);
        doClose = true;
      }
      if (rst) {
        e.setState(TCP_RESET);
        doClose = true;
      }
      break;
    case TCP_CLOSED:
      if (rst && peer.state !== TCP_CLOSED) {
        e.setState(TCP_RESET);
        if (!e.didClose) doClose = true;
      }
      break;
    default:
      break;
  }
  return doClose;
}

const RSTOS0 = /^\^?S[^HAFGIQ]*R.*$/;

/** Zeek's conn_state for a TCP connection. */
export function tcpConnState(c: Connection): string {
  const o = c.orig!;
  const r = c.resp!;
  const os = o.state;
  const rs = r.state;
  const oInactive = os === TCP_INACTIVE || os === TCP_PARTIAL;
  const rInactive = rs === TCP_INACTIVE || rs === TCP_PARTIAL;
  if (rs === TCP_RESET) {
    if (
      os === TCP_SYN_SENT || os === TCP_SYN_ACK_SENT ||
      (os === TCP_RESET && o.size(r) === 0 && r.size(o) === 0)
    ) {
      return "REJ";
    }
    return oInactive ? "RSTRH" : "RSTR";
  }
  if (os === TCP_RESET) {
    if (rInactive) return RSTOS0.test(c.history) ? "RSTOS0" : "OTH";
    return "RSTO";
  }
  if (rs === TCP_CLOSED && os === TCP_CLOSED) return "SF";
  if (os === TCP_CLOSED) return rInactive ? "SH" : "S2";
  if (rs === TCP_CLOSED) return oInactive ? "SHR" : "S3";
  if (os === TCP_SYN_SENT && rs === TCP_INACTIVE) return "S0";
  if (os === TCP_ESTABLISHED && rs === TCP_ESTABLISHED) return "S1";
  return "OTH";
}

/** When this TCP connection should be removed if no further packet arrives. */
export function tcpDeadline(c: Connection, inactivityTimeout: number): number {
  const o = c.orig!;
  const r = c.resp!;
  let dl = c.lastPacketTs + inactivityTimeout;
  if (
    c.attemptAt >= 0 && (o.state === TCP_SYN_SENT || o.state === TCP_SYN_ACK_SENT) &&
    r.state === TCP_INACTIVE
  ) {
    dl = Math.min(dl, c.attemptAt);
  }
  if (c.closeCompleteAt >= 0) dl = Math.min(dl, c.closeCompleteAt + CLOSE_DELAY);
  const anyReset = o.state === TCP_RESET || r.state === TCP_RESET;
  if (
    c.partialCloseAt >= 0 && o.state !== TCP_INACTIVE && r.state !== TCP_INACTIVE &&
    !(o.didClose && r.didClose) && !anyReset
  ) {
    dl = Math.min(dl, c.partialCloseAt);
  }
  if (
    (o.didClose || r.didClose) &&
    ((o.didClose && r.didClose) || anyReset || o.state === TCP_INACTIVE ||
      r.state === TCP_INACTIVE)
  ) {
    dl = Math.min(dl, c.lastTs + CONNECTION_LINGER);
  }
  return dl;
}
