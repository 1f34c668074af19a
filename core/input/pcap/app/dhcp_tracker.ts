/**
 * DHCP (BOOTP with the DHCP magic cookie, UDP 67/68). Messages of one transaction (same xid) are
 * merged into a single dhcp record, written once the transaction has been quiet for 30 seconds or
 * the capture ends, as Zeek does with its transaction watch time.
 */
import type { DhcpRecord } from "../../../records/records.ts";
import { ipv4At, latin1At, macAt } from "../addr_format.ts";

export interface DhcpMessage {
  op: number;
  xid: number;
  ciaddr: string;
  yiaddr: string;
  chaddr: string;
  msgType: number;
  requestedAddr: string;
  hostName: string;
  serverId: string;
}

/** Parses a DHCP message; null when it is not one. */
export function parseDhcp(b: Uint8Array, off: number, len: number): DhcpMessage | null {
  if (len < 240) return null;
  if (b[off + 236] !== 99 || b[off + 237] !== 130 || b[off + 238] !== 83 || b[off + 239] !== 99) {
    return null;
  }
  const msg: DhcpMessage = {
    op: b[off],
    xid: ((b[off + 4] << 24) | (b[off + 5] << 16) | (b[off + 6] << 8) | b[off + 7]) >>> 0,
    ciaddr: ipv4At(b, off + 12),
    yiaddr: ipv4At(b, off + 16),
    chaddr: b[off + 1] === 1 && b[off + 2] === 6 ? macAt(b, off + 28) : "",
    msgType: 0,
    requestedAddr: "",
    hostName: "",
    serverId: "",
  };
  let p = off + 240;
  const end = off + len;
  while (p < end) {
    const code = b[p];
    if (code === 255) break;
    if (code === 0) {
      p++;
      continue;
    }
    if (p + 2 > end) break;
    const olen = b[p + 1];
    const v = p + 2;
    if (v + olen > end) break;
    if (code === 53 && olen >= 1) msg.msgType = b[v];
    else if (code === 50 && olen === 4) msg.requestedAddr = ipv4At(b, v);
    else if (code === 12 && olen > 0) msg.hostName = latin1At(b, v, olen);
    else if (code === 54 && olen === 4) msg.serverId = ipv4At(b, v);
    p = v + olen;
  }
  return msg.msgType === 0 ? null : msg;
}

interface Transaction {
  ts: number;
  last: number;
  uids: string[];
  clientAddr: string;
  serverAddr: string;
  mac: string;
  hostName: string;
  requestedAddr: string;
  assignedAddr: string;
}

/** A transaction quiet this long is complete. */
const WATCH_TIME = 30;
const MAX_TRANSACTIONS = 4096;

export class DhcpTracker {
  #open = new Map<number, Transaction>();

  /** Adds one message seen on connection `uid` from `src` (as text). */
  add(msg: DhcpMessage, ts: number, uid: string, src: string, emit: (r: DhcpRecord) => void): void {
    let t = this.#open.get(msg.xid);
    if (t === undefined) {
      if (this.#open.size >= MAX_TRANSACTIONS) {
        const first = this.#open.entries().next().value!;
        this.#open.delete(first[0]);
        emit(this.#record(first[1]));
      }
      t = {
        ts,
        last: ts,
        uids: [],
        clientAddr: "",
        serverAddr: "",
        mac: "",
        hostName: "",
        requestedAddr: "",
        assignedAddr: "",
      };
      this.#open.set(msg.xid, t);
    }
    t.last = ts;
    if (!t.uids.includes(uid)) t.uids.push(uid);
    const fromClient = msg.op === 1;
    if (fromClient) {
      if (msg.chaddr !== "") t.mac = msg.chaddr;
      if (msg.hostName !== "") t.hostName = msg.hostName;
      if (msg.requestedAddr !== "") t.requestedAddr = msg.requestedAddr;
      if (msg.ciaddr !== "0.0.0.0") t.clientAddr = msg.ciaddr;
      else if (t.clientAddr === "" && src !== "0.0.0.0") t.clientAddr = src;
    } else {
      if (msg.serverId !== "") t.serverAddr = msg.serverId;
      else if (t.serverAddr === "") t.serverAddr = src;
      if (msg.yiaddr !== "0.0.0.0") t.assignedAddr = msg.yiaddr;
      if (t.mac === "" && msg.chaddr !== "") t.mac = msg.chaddr;
    }
  }

  /** Writes out transactions quiet since before `now - 30 s` (all of them when `all`). */
  flush(now: number, all: boolean, emit: (r: DhcpRecord) => void): void {
    for (const [xid, t] of this.#open) {
      if (all || now - t.last >= WATCH_TIME) {
        this.#open.delete(xid);
        emit(this.#record(t));
      }
    }
  }

  /** Start time of the oldest open transaction, Infinity when none. */
  oldest(): number {
    let m = Infinity;
    for (const t of this.#open.values()) if (t.ts < m) m = t.ts;
    return m;
  }

  #record(t: Transaction): DhcpRecord {
    const client = t.clientAddr !== "" ? t.clientAddr : t.assignedAddr;
    return {
      kind: "dhcp",
      uid: t.uids[0] ?? "",
      ts: t.ts,
      saddr: client !== "" ? client : t.requestedAddr !== "" ? t.requestedAddr : "0.0.0.0",
      daddr: t.serverAddr,
      sport: 68,
      dport: 67,
      proto: "udp",
      source: "pcap",
      uids: t.uids,
      clientAddr: client,
      serverAddr: t.serverAddr,
      mac: t.mac,
      hostName: t.hostName,
      requestedAddr: t.requestedAddr,
    };
  }
}
