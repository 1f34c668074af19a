/**
 * The packet engine: decoded packets in, Zeek-equivalent records out. It tracks connections (TCP
 * state machine, UDP and ICMP flows), expires them on Zeek's timers, attaches application
 * analyzers, and releases records in timestamp order.
 *
 * Records are held in a heap and released once no open connection could still produce an earlier
 * one (the start of the oldest open connection), or once they are older than `maxHold` seconds of
 * capture time, so a connection open for hours cannot hold everything back; such a long
 * connection's own record then comes out later than newer ones.
 */
import type {
  ArpRecord,
  ConnRecord,
  FlowRecord,
  SoftwareRecord,
  TunnelRecord,
} from "../../records/records.ts";
import { zeekState } from "../../records/state.ts";
import type { InputWarning } from "../reader.ts";
import { ipv4At, macAt } from "./addr_format.ts";
import type { AnalyzerHost, AppAnalyzer } from "./app/app_analyzer.ts";
import { DhcpTracker, parseDhcp } from "./app/dhcp_tracker.ts";
import { DnsAnalyzer } from "./app/dns_analyzer.ts";
import { HttpAnalyzer } from "./app/http_analyzer.ts";
import { detectTcp } from "./app/protocol_detect.ts";
import { SmtpAnalyzer } from "./app/smtp_analyzer.ts";
import { parseSoftware } from "./app/software_version.ts";
import { SshAnalyzer } from "./app/ssh_analyzer.ts";
import { TlsAnalyzer } from "./app/tls_analyzer.ts";
import type { RawPacket } from "./capture_format.ts";
import { Connection } from "./connection.ts";
import { MinHeap } from "./min_heap.ts";
import {
  DecodedPacket,
  KIND_ARP,
  KIND_BAD,
  KIND_IP,
  PacketDecoder,
  PROTO_ICMP,
  PROTO_ICMP6,
  PROTO_TCP,
  PROTO_UDP,
  TH_ACK,
  TH_FIN,
  TH_RST,
  TH_SYN,
} from "./packet_decoder.ts";
import { isReuse, processTcp, tcpConnState, tcpDeadline } from "./tcp_session.ts";
import { HoldBudget, TcpStream } from "./tcp_stream.ts";
import { UidSource } from "./uid_source.ts";

export interface EngineOptions {
  /** Name of the input, for warnings. */
  file: string;
  /** Seconds; Slips runs Zeek with 60 minutes. */
  tcpInactivityTimeout?: number;
  udpInactivityTimeout?: number;
  icmpInactivityTimeout?: number;
  /** Connections tracked at once; the oldest is flushed to make room. */
  maxConnections?: number;
  /** Seconds of capture time a finished record may wait for older ones. */
  maxHold?: number;
  /** Per-packet problems (malformed headers). */
  onWarning?: (w: InputWarning) => void;
  /** Seed of the uid generator. */
  seed?: number;
  /** Sees every connection as it is removed (for comparisons with frame-counting tools). */
  onConnectionRemoved?: (c: Connection) => void;
}

export interface EngineStats {
  packets: number;
  malformed: number;
  truncated: number;
  connections: number;
  evicted: number;
  records: number;
}

// Ports Zeek's analyzers register for; a flow's first packet coming *from* one is flipped.
const TCP_SERVER_PORTS = new Set([
  21,
  22,
  23,
  25,
  53,
  80,
  81,
  88,
  110,
  111,
  135,
  139,
  143,
  389,
  443,
  445,
  465,
  502,
  563,
  585,
  587,
  614,
  631,
  636,
  989,
  990,
  992,
  993,
  995,
  1080,
  1433,
  1723,
  1883,
  2811,
  3128,
  3306,
  3389,
  5060,
  5223,
  5432,
  5900,
  6379,
  6666,
  6667,
  6668,
  6669,
  8000,
  8080,
  8443,
  8888,
  20000,
]);
const UDP_SERVER_PORTS = new Set([
  53,
  67,
  68,
  69,
  88,
  123,
  137,
  138,
  161,
  162,
  500,
  514,
  1812,
  1813,
  1900,
  3478,
  4500,
  4789,
  5060,
  5353,
  5355,
]);
const DNS_PORTS = new Set([53, 5353, 5355]);

/** Warnings about individual packets stop after this many (they are still counted). */
const MAX_PACKET_WARNINGS = 50;
const MAX_PENDING_RECORDS = 200_000;
const MAX_HELD_SEGMENTS = 4;
/** Bytes of one payload kept while the protocol is unknown. */
const MAX_HELD_BYTES = 2048;
const MAX_PROBE_PACKETS = 4;
const MAX_SOFTWARE = 100_000;
const MAX_TUNNELS = 10_000;

function icmp4Counterpart(type: number, code: number): [number, boolean] {
  switch (type) {
    case 8:
      return [0, false];
    case 0:
      return [8, false];
    case 13:
      return [14, false];
    case 14:
      return [13, false];
    case 15:
      return [16, false];
    case 16:
      return [15, false];
    case 10:
      return [9, false];
    case 9:
      return [10, false];
    case 17:
      return [18, false];
    case 18:
      return [17, false];
    default:
      return [code, true];
  }
}

function icmp6Counterpart(type: number, code: number): [number, boolean] {
  switch (type) {
    case 128:
      return [129, false];
    case 129:
      return [128, false];
    case 133:
      return [134, false];
    case 134:
      return [133, false];
    case 135:
      return [136, false];
    case 136:
      return [135, false];
    case 130:
      return [131, false];
    case 131:
      return [130, false];
    case 139:
      return [140, false];
    case 140:
      return [139, false];
    case 144:
      return [145, false];
    case 145:
      return [144, false];
    default:
      return [code, true];
  }
}

export class PacketEngine implements AnalyzerHost {
  readonly stats: EngineStats = {
    packets: 0,
    malformed: 0,
    truncated: 0,
    connections: 0,
    evicted: 0,
    records: 0,
  };
  readonly decoder = new PacketDecoder();
  #d = new DecodedPacket();
  #conns = new Map<string, Connection>();
  #timers = new MinHeap<Connection>();
  #pending = new MinHeap<FlowRecord>();
  #ready: FlowRecord[] = [];
  #uids: UidSource;
  #dhcp = new DhcpTracker();
  #software = new Set<string>();
  /** Bytes held for reassembly and protocol detection, across all connections. */
  #budget = new HoldBudget();
  #tunnels = new Set<string>();
  #now = -Infinity;
  #lastExpire = -Infinity;
  #warnings = 0;
  #tcpTimeout: number;
  #udpTimeout: number;
  #icmpTimeout: number;
  #maxConns: number;
  #maxHold: number;
  #opts: EngineOptions;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.#tcpTimeout = opts.tcpInactivityTimeout ?? 3600;
    this.#udpTimeout = opts.udpInactivityTimeout ?? 60;
    this.#icmpTimeout = opts.icmpInactivityTimeout ?? 60;
    this.#maxConns = opts.maxConnections ?? 200_000;
    this.#maxHold = opts.maxHold ?? 300;
    this.#uids = new UidSource(opts.seed ?? 0x5eed);
    this.decoder.onTunnel = (d, type) => this.#tunnel(d, type);
  }

  /** Connections currently tracked. */
  get openConnections(): number {
    return this.#conns.size;
  }

  /** Records released and waiting to be taken. */
  get readyCount(): number {
    return this.#ready.length;
  }

  // ---- AnalyzerHost ----

  emit(r: FlowRecord): void {
    this.stats.records++;
    this.#pending.push(r.ts, r);
  }

  newFileId(): string {
    return this.#uids.next("F");
  }

  software(ts: number, host: string, port: number, type: string, unparsed: string): void {
    if (unparsed === "" || host === "") return;
    const key = `${host}|${type}|${unparsed}`;
    if (this.#software.has(key)) return;
    if (this.#software.size >= MAX_SOFTWARE) this.#software.clear();
    this.#software.add(key);
    const v = parseSoftware(unparsed);
    const r: SoftwareRecord = {
      kind: "software",
      uid: this.#uids.next("C"),
      ts,
      saddr: host,
      daddr: "",
      sport: port,
      dport: 0,
      proto: "",
      source: "pcap",
      softwareType: type,
      name: v.name,
      versionMajor: v.major,
      versionMinor: v.minor,
      unparsedVersion: unparsed,
    };
    this.emit(r);
  }

  // ---- packets ----

  packet(raw: RawPacket): void {
    this.stats.packets++;
    const d = this.#d;
    const kind = this.decoder.decode(raw, d);
    if (raw.ts > this.#now) this.#now = raw.ts;
    this.#runTimers();
    if (kind === KIND_IP) {
      switch (d.proto) {
        case PROTO_TCP:
          this.#tcp(d);
          break;
        case PROTO_UDP:
          this.#udp(d);
          break;
        case PROTO_ICMP:
        case PROTO_ICMP6:
          this.#icmp(d);
          break;
      }
    } else if (kind === KIND_ARP) {
      this.#arp(d);
    } else if (kind === KIND_BAD) {
      this.stats.malformed++;
      this.#warn(raw.number, `packet ${raw.number} is malformed: ${d.badReason}.`);
    }
    if ((this.stats.packets & 1023) === 0) this.#release(false);
  }

  /** Moves the clock to `now` (live capture with no traffic) and fires due timers. */
  advance(now: number): void {
    if (now > this.#now) this.#now = now;
    this.#runTimers();
    this.#release(false);
  }

  /** Ends every connection and releases all records. */
  finish(): void {
    for (const c of [...this.#conns.values()]) this.#remove(c);
    this.#dhcp.flush(this.#now, true, (r) => this.emit(r));
    this.#release(true);
  }

  /** Takes up to `max` released records, in time order. */
  take(max: number): FlowRecord[] {
    if (this.#ready.length <= max) {
      const all = this.#ready;
      this.#ready = [];
      return all;
    }
    return this.#ready.splice(0, max);
  }

  #warn(line: number, message: string): void {
    this.#warnings++;
    const sink = this.#opts.onWarning;
    if (sink === undefined) return;
    if (this.#warnings <= MAX_PACKET_WARNINGS) sink({ file: this.#opts.file, line, message });
    else if (this.#warnings === MAX_PACKET_WARNINGS + 1) {
      sink({
        file: this.#opts.file,
        line,
        message:
          `More malformed packets follow; they are counted but no longer reported one by one.`,
      });
    }
  }

  #release(force: boolean): void {
    let limit: number;
    if (force) limit = Infinity;
    else {
      let oldest = this.#now;
      for (const c of this.#conns.values()) {
        oldest = c.startTs;
        break;
      }
      limit = Math.min(oldest, this.#dhcp.oldest(), this.#now);
      limit = Math.max(limit, this.#now - this.#maxHold);
    }
    const p = this.#pending;
    while (p.size > 0 && (p.peekKey() <= limit || p.size > MAX_PENDING_RECORDS)) {
      this.#ready.push(p.pop()!);
    }
  }

  #runTimers(): void {
    const now = this.#now;
    const t = this.#timers;
    while (t.size > 0 && t.peekKey() <= now) {
      const key = t.peekKey();
      const c = t.pop()!;
      // Entries superseded by an earlier deadline are skipped.
      if (c.removed || key !== c.checkAt) continue;
      const dl = this.#deadline(c);
      if (dl <= now) this.#remove(c);
      else {
        c.checkAt = dl;
        t.push(dl, c);
      }
    }
    if (now - this.#lastExpire >= 10) {
      this.#lastExpire = now;
      this.decoder.fragments.expire(now);
      this.#dhcp.flush(now, false, (r) => this.emit(r));
    }
  }

  #deadline(c: Connection): number {
    if (c.proto === PROTO_TCP) return tcpDeadline(c, this.#tcpTimeout);
    if (c.proto === PROTO_UDP) return c.lastPacketTs + this.#udpTimeout;
    return c.lastPacketTs + this.#icmpTimeout;
  }

  /** Re-arms the timer when the connection's deadline moved earlier. */
  #schedule(c: Connection): void {
    const dl = this.#deadline(c);
    if (dl < c.checkAt) {
      c.checkAt = dl;
      this.#timers.push(dl, c);
    }
  }

  #newConnection(
    d: DecodedPacket,
    key: string,
    flip: boolean,
    sport: number,
    dport: number,
  ): Connection {
    if (this.#conns.size >= this.#maxConns) {
      const oldest = this.#conns.values().next();
      if (!oldest.done) {
        this.stats.evicted++;
        this.#remove(oldest.value);
      }
    }
    const src = d.srcAddr();
    const dst = d.dstAddr();
    const c = flip
      ? new Connection(
        this.#uids.next("C"),
        key,
        d.proto === PROTO_ICMP6 ? PROTO_ICMP : d.proto,
        d.dstKey,
        dport,
        d.srcKey,
        sport,
        dst,
        src,
        d.ts,
      )
      : new Connection(
        this.#uids.next("C"),
        key,
        d.proto === PROTO_ICMP6 ? PROTO_ICMP : d.proto,
        d.srcKey,
        sport,
        d.dstKey,
        dport,
        src,
        dst,
        d.ts,
      );
    if (flip) {
      c.addHistory("^");
      c.smac = d.dstMac();
      c.dmac = d.srcMac();
    } else {
      c.smac = d.srcMac();
      c.dmac = d.dstMac();
    }
    this.#conns.set(key, c);
    this.stats.connections++;
    const dl = this.#deadline(c);
    c.checkAt = dl;
    this.#timers.push(dl, c);
    return c;
  }

  #remove(c: Connection): void {
    if (c.removed) return;
    c.removed = true;
    this.#conns.delete(c.key);
    this.#dropHeld(c);
    const app = c.app;
    if (app !== null) {
      const ts = c.lastPacketTs;
      if (c.origStream !== null && !app.done) c.origStream.flush(app, ts);
      if (c.respStream !== null && !app.done) c.respStream.flush(app, ts);
      c.origStream?.release();
      c.respStream?.release();
      app.end(ts);
    }
    this.emit(this.#connRecord(c));
    this.#opts.onConnectionRemoved?.(c);
  }

  #connRecord(c: Connection): ConnRecord {
    let state: string;
    let sbytes: number;
    let dbytes: number;
    if (c.proto === PROTO_TCP) {
      state = tcpConnState(c);
      sbytes = c.orig!.size(c.resp!);
      dbytes = c.resp!.size(c.orig!);
    } else if (c.proto === PROTO_UDP) {
      state = c.origActive ? (c.respActive ? "SF" : "S0") : c.respActive ? "SHR" : "OTH";
      sbytes = c.origBytes;
      dbytes = c.respBytes;
    } else {
      state = "OTH";
      sbytes = c.origBytes;
      dbytes = c.respBytes;
    }
    const dur = c.lastTs - c.startTs;
    // Zeek leaves duration and byte counts unset for zero-length connections.
    if (!(dur > 0)) {
      sbytes = 0;
      dbytes = 0;
    }
    const pkts = c.origPkts + c.respPkts;
    return {
      kind: "conn",
      uid: c.uid,
      ts: c.startTs,
      saddr: c.saddr,
      daddr: c.daddr,
      sport: c.sport,
      dport: c.dport,
      proto: c.proto === PROTO_TCP ? "tcp" : c.proto === PROTO_UDP ? "udp" : "icmp",
      source: "pcap",
      appproto: c.services.join(","),
      dur: dur > 0 ? dur : 0,
      sbytes,
      dbytes,
      spkts: c.origPkts,
      dpkts: c.respPkts,
      sipBytes: c.origIpBytes,
      dipBytes: c.respIpBytes,
      state,
      interpreted: zeekState(state, pkts),
      history: c.history,
      smac: c.smac,
      dmac: c.dmac,
      icmpType: c.icmpType,
      icmpCode: c.icmpCode,
    };
  }

  #count(c: Connection, d: DecodedPacket, isOrig: boolean): void {
    if (isOrig) {
      c.origPkts++;
      c.origIpBytes += d.ipBytes;
      c.origWireBytes += d.wireLen;
    } else {
      c.respPkts++;
      c.respIpBytes += d.ipBytes;
      c.respWireBytes += d.wireLen;
    }
    c.lastPacketTs = d.ts > c.lastPacketTs ? d.ts : c.lastPacketTs;
  }

  /**
   * The table key of a flow, the same in both directions. Built from character codes rather than
   * decimal text: this runs for every packet.
   */
  static #pairKey(
    tag: number,
    a: number | string,
    pa: number,
    b: number | string,
    pb: number,
  ): string {
    const aFirst = a < b || (a === b && pa <= pb);
    if (typeof a === "number" && typeof b === "number") {
      return aFirst
        ? String.fromCharCode(tag, a >>> 16, a & 0xffff, pa, b >>> 16, b & 0xffff, pb)
        : String.fromCharCode(tag, b >>> 16, b & 0xffff, pb, a >>> 16, a & 0xffff, pa);
    }
    return aFirst
      ? String.fromCharCode(tag + 8, pa, pb) + a + b
      : String.fromCharCode(tag + 8, pb, pa) + b + a;
  }

  #tcp(d: DecodedPacket): void {
    const key = PacketEngine.#pairKey(1, d.srcKey, d.sport, d.dstKey, d.dport);
    const flags = d.tcpFlags;
    let c = this.#conns.get(key);
    if (c !== undefined && isReuse(c, flags, d.seq)) {
      this.#remove(c);
      c = undefined;
    }
    if (c === undefined) {
      let flip = false;
      const synOnly = (flags & TH_SYN) !== 0 && (flags & TH_ACK) === 0;
      if (!synOnly && TCP_SERVER_PORTS.has(d.sport)) {
        flip = TCP_SERVER_PORTS.has(d.dport) ? (flags & TH_SYN) === 0 && d.sport < d.dport : true;
      }
      c = this.#newConnection(d, key, flip, d.sport, d.dport);
      if (DNS_PORTS.has(d.sport) || DNS_PORTS.has(d.dport)) {
        c.app = new DnsAnalyzer(c, this);
        c.probing = false;
      }
    }
    const isOrig = d.srcKey === c.origKey && d.sport === c.origPort;
    this.#count(c, d, isOrig);
    const at = processTcp(c, isOrig, flags, d.seq, d.ack, d.win, d.payloadDeclared, d.ts);
    if ((flags & (TH_SYN | TH_FIN | TH_RST)) !== 0) this.#schedule(c);
    if (at < 0 || d.payloadLen === 0) return;
    if (c.probing) this.#probe(c, isOrig, at, d);
    else if (c.app !== null && !c.app.done) {
      this.#stream(c, isOrig, at, d.tBuf, d.payloadOff, d.payloadLen, d.ts);
    }
  }

  #stream(
    c: Connection,
    isOrig: boolean,
    at: number,
    buf: Uint8Array,
    off: number,
    len: number,
    ts: number,
  ): void {
    const app = c.app!;
    let s = isOrig ? c.origStream : c.respStream;
    if (s === null) {
      const e = isOrig ? c.orig : c.resp;
      s = new TcpStream(isOrig, e !== null && e.synSeen, this.#budget);
      if (isOrig) c.origStream = s;
      else c.respStream = s;
    }
    s.segment(app, at, buf, off, len, ts);
    if (app.done) {
      c.origStream?.release();
      c.respStream?.release();
      c.origStream = null;
      c.respStream = null;
    }
  }

  #probe(c: Connection, isOrig: boolean, at: number, d: DecodedPacket): void {
    const n = isOrig ? ++c.origPayloadPkts : ++c.respPayloadPkts;
    const first = n === 1;
    const proto = first ? detectTcp(isOrig, d.tBuf, d.payloadOff, d.payloadLen) : "";
    if (proto === "") {
      if (c.held === null) c.held = [];
      const keep = Math.min(d.payloadLen, MAX_HELD_BYTES);
      if (c.held.length < MAX_HELD_SEGMENTS && this.#budget.used + keep <= this.#budget.max) {
        c.held.push({
          isOrig,
          at,
          data: d.tBuf.slice(d.payloadOff, d.payloadOff + keep),
          ts: d.ts,
        });
        this.#budget.used += keep;
      }
      if (c.origPayloadPkts >= MAX_PROBE_PACKETS || c.respPayloadPkts >= MAX_PROBE_PACKETS) {
        c.probing = false;
        this.#dropHeld(c);
      }
      return;
    }
    c.probing = false;
    let app: AppAnalyzer;
    switch (proto) {
      case "ssh":
        app = new SshAnalyzer(c, this);
        break;
      case "ssl":
        app = new TlsAnalyzer(c, this);
        break;
      case "http":
        app = new HttpAnalyzer(c, this);
        break;
      default:
        app = new SmtpAnalyzer(c, this);
        break;
    }
    c.app = app;
    const held = c.held;
    this.#dropHeld(c);
    if (held !== null) {
      for (const h of held) {
        if (app.done) break;
        this.#stream(c, h.isOrig, h.at, h.data, 0, h.data.length, h.ts);
      }
    }
    if (!app.done) this.#stream(c, isOrig, at, d.tBuf, d.payloadOff, d.payloadLen, d.ts);
  }

  #dropHeld(c: Connection): void {
    if (c.held === null) return;
    for (const h of c.held) this.#budget.used -= h.data.length;
    c.held = null;
  }

  #udp(d: DecodedPacket): void {
    const key = PacketEngine.#pairKey(2, d.srcKey, d.sport, d.dstKey, d.dport);
    let c = this.#conns.get(key);
    if (c === undefined) {
      const flip = UDP_SERVER_PORTS.has(d.sport) && !UDP_SERVER_PORTS.has(d.dport);
      c = this.#newConnection(d, key, flip, d.sport, d.dport);
      if (DNS_PORTS.has(d.sport) || DNS_PORTS.has(d.dport)) c.app = new DnsAnalyzer(c, this);
      c.probing = false;
    }
    const isOrig = d.srcKey === c.origKey && d.sport === c.origPort;
    this.#count(c, d, isOrig);
    c.lastTs = c.lastPacketTs;
    if (isOrig) {
      c.origActive = true;
      c.origBytes += d.payloadDeclared;
      c.checkHistory(1, "D");
    } else {
      c.respActive = true;
      c.respBytes += d.payloadDeclared;
      c.checkHistory(2, "d");
    }
    if (d.payloadLen === 0) return;
    const port = c.respPort;
    if (c.app !== null) {
      if (!c.app.done) c.app.data(isOrig, d.tBuf, d.payloadOff, d.payloadLen, d.ts);
    } else if (port === 67 || port === 68) {
      const msg = parseDhcp(d.tBuf, d.payloadOff, d.payloadLen);
      if (msg !== null) {
        c.addService("dhcp");
        this.#dhcp.add(msg, d.ts, c.uid, d.srcAddr(), (r) => this.emit(r));
      }
    } else if (port === 123 && d.payloadLen >= 48) {
      const mode = d.tBuf[d.payloadOff] & 7;
      const version = (d.tBuf[d.payloadOff] >> 3) & 7;
      if (version >= 1 && version <= 4 && mode >= 1 && mode <= 5) c.addService("ntp");
    }
  }

  #icmp(d: DecodedPacket): void {
    const v6 = d.proto === PROTO_ICMP6;
    const [counter, oneWay] = v6
      ? icmp6Counterpart(d.icmpType, d.icmpCode)
      : icmp4Counterpart(d.icmpType, d.icmpCode);
    const key = oneWay
      ? `${String.fromCharCode(4, d.icmpType, counter)}${d.srcKey}>${d.dstKey}`
      : PacketEngine.#pairKey(3, d.srcKey, d.icmpType, d.dstKey, counter);
    let c = this.#conns.get(key);
    if (c === undefined) {
      c = this.#newConnection(d, key, false, d.icmpType, counter);
      c.icmpType = d.icmpType;
      c.icmpCode = d.icmpCode;
      c.probing = false;
    }
    const isOrig = oneWay || (d.srcKey === c.origKey && d.icmpType === c.origPort);
    this.#count(c, d, isOrig);
    c.lastTs = c.lastPacketTs;
    if (isOrig) {
      c.origActive = true;
      c.origBytes += d.payloadDeclared;
    } else {
      c.respActive = true;
      c.respBytes += d.payloadDeclared;
    }
  }

  #arp(d: DecodedPacket): void {
    const b = d.arpBuf;
    const o = d.arpOff;
    const op = (b[o + 6] << 8) | b[o + 7];
    if (op !== 1 && op !== 2) return;
    const r: ArpRecord = {
      kind: "arp",
      uid: this.#uids.next("C"),
      ts: d.ts,
      saddr: ipv4At(b, o + 14),
      daddr: ipv4At(b, o + 24),
      sport: 0,
      dport: 0,
      proto: "arp",
      source: "pcap",
      operation: op === 1 ? "request" : "reply",
      srcHw: macAt(b, o + 8),
      dstHw: macAt(b, o + 18),
      smac: d.srcMac(),
      dmac: d.dstMac(),
    };
    this.emit(r);
  }

  #tunnel(d: DecodedPacket, type: string): void {
    const key = `${d.srcKey}|${d.dstKey}|${type}`;
    if (this.#tunnels.has(key)) return;
    if (this.#tunnels.size >= MAX_TUNNELS) this.#tunnels.clear();
    this.#tunnels.add(key);
    const r: TunnelRecord = {
      kind: "tunnel",
      uid: this.#uids.next("C"),
      ts: d.ts,
      saddr: d.srcAddr(),
      daddr: d.dstAddr(),
      sport: 0,
      dport: 0,
      proto: "",
      source: "pcap",
      tunnelType: type,
      action: "Tunnel::DISCOVER",
    };
    this.emit(r);
  }
}
