/**
 * Link, network and transport decoding of one frame into a reused DecodedPacket. Handles
 * Ethernet (with 802.1Q/QinQ, PPPoE, MPLS, LLC/SNAP), Linux cooked captures (SLL, SLL2), raw IP,
 * BSD loopback, IPv4 (with fragment reassembly), IPv6 (extension headers and fragments), TCP,
 * UDP, ICMP, ICMPv6, ARP and GRE (decapsulated; the inner packet is what gets decoded).
 *
 * Nothing here allocates per packet except when a fragment must be copied for reassembly.
 */
import { ipv4FromNumber, ipv6At, ipv6Key, macAt } from "./addr_format.ts";
import type { RawPacket } from "./capture_format.ts";
import { FragmentReassembler } from "./ip_fragments.ts";

/** Nothing to analyse: another protocol, a snap-length-truncated header, or a held fragment. */
export const KIND_NONE = 0;
export const KIND_IP = 1;
export const KIND_ARP = 2;
/** Malformed: `badReason` says what was expected. */
export const KIND_BAD = 3;

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_GRE = 47;
export const PROTO_ICMP6 = 58;

export const TH_FIN = 1;
export const TH_SYN = 2;
export const TH_RST = 4;
export const TH_ACK = 16;

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_SLL2 = 276;

const MAX_ENCAPSULATION = 3;
const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

export class DecodedPacket {
  kind = KIND_NONE;
  badReason = "";
  ts = 0;
  number = 0;
  wireLen = 0;

  /** Buffer holding the innermost link-layer header, and MAC offsets in it (-1 if none). */
  l2: Uint8Array = EMPTY;
  srcMacOff = -1;
  dstMacOff = -1;

  /** ARP: offset of the ARP header in `l2Buf`. */
  arpBuf: Uint8Array = EMPTY;
  arpOff = 0;

  ipVersion = 0;
  ipBuf: Uint8Array = EMPTY;
  srcOff = 0;
  dstOff = 0;
  /** Map keys of the addresses: a number for IPv4, a short string for IPv6. */
  srcKey: number | string = 0;
  dstKey: number | string = 0;
  /** IP-level bytes (header + payload, as the IP length fields say). */
  ipBytes = 0;
  proto = 0;

  /** The transport segment, possibly in a reassembled buffer. */
  tBuf: Uint8Array = EMPTY;
  tView: DataView = EMPTY_VIEW;
  tOff = 0;
  sport = 0;
  dport = 0;
  tcpFlags = 0;
  seq = 0;
  ack = 0;
  win = 0;
  /** Payload after the transport header: offset, captured length, declared length. */
  payloadOff = 0;
  payloadLen = 0;
  payloadDeclared = 0;
  icmpType = 0;
  icmpCode = 0;

  reset(raw: RawPacket): void {
    this.kind = KIND_NONE;
    this.badReason = "";
    this.ts = raw.ts;
    this.number = raw.number;
    this.wireLen = raw.wireLen;
    this.srcMacOff = -1;
    this.dstMacOff = -1;
    this.ipVersion = 0;
    this.sport = 0;
    this.dport = 0;
    this.tcpFlags = 0;
    this.payloadLen = 0;
    this.payloadDeclared = 0;
  }

  srcAddr(): string {
    return this.ipVersion === 4
      ? ipv4FromNumber(this.srcKey as number)
      : ipv6At(this.ipBuf, this.srcOff);
  }

  dstAddr(): string {
    return this.ipVersion === 4
      ? ipv4FromNumber(this.dstKey as number)
      : ipv6At(this.ipBuf, this.dstOff);
  }

  srcMac(): string {
    return this.srcMacOff >= 0 ? macAt(this.l2, this.srcMacOff) : "";
  }

  dstMac(): string {
    return this.dstMacOff >= 0 ? macAt(this.l2, this.dstMacOff) : "";
  }
}

/** Called for each packet that arrived inside a tunnel, before the inner packet is decoded. */
export type TunnelSink = (outer: DecodedPacket, tunnelType: string) => void;

export class PacketDecoder {
  readonly fragments = new FragmentReassembler();
  onTunnel: TunnelSink | null = null;
  /** Frames whose headers were cut off by the capture's snap length. */
  truncated = 0;
  #complete = true;

  decode(raw: RawPacket, d: DecodedPacket): number {
    d.reset(raw);
    const b = raw.data;
    const v = raw.view;
    let off = raw.offset;
    const end = raw.offset + raw.caplen;
    this.#complete = raw.caplen >= raw.wireLen;
    switch (raw.linkType) {
      case LINKTYPE_ETHERNET:
        return this.#ethernet(d, b, v, off, end, 0);
      case LINKTYPE_SLL: {
        if (end - off < 16) return this.#short(d, "a 16-byte Linux cooked header");
        const hatype = v.getUint16(off + 2);
        const alen = v.getUint16(off + 4);
        if (hatype === 1 && alen === 6) {
          d.l2 = b;
          d.srcMacOff = off + 6;
        }
        const etype = v.getUint16(off + 14);
        return this.#ethertype(d, b, v, off + 16, end, etype, 0);
      }
      case LINKTYPE_SLL2: {
        if (end - off < 20) return this.#short(d, "a 20-byte Linux cooked v2 header");
        const etype = v.getUint16(off);
        const hatype = v.getUint16(off + 8);
        if (hatype === 1 && b[off + 11] === 6) {
          d.l2 = b;
          d.srcMacOff = off + 12;
        }
        return this.#ethertype(d, b, v, off + 20, end, etype, 0);
      }
      case LINKTYPE_NULL:
      case LINKTYPE_LOOP: {
        if (end - off < 4) return this.#short(d, "a 4-byte loopback header");
        const le = v.getUint32(off, true);
        const be = v.getUint32(off, false);
        off += 4;
        if (le === 2 || be === 2) return this.#ipv4(d, b, v, off, end, 0);
        if (isInet6(le) || isInet6(be)) return this.#ipv6(d, b, v, off, end, 0);
        return KIND_NONE;
      }
      case LINKTYPE_RAW:
      case 12:
      case 14:
        return this.#rawIp(d, b, v, off, end, 0);
      case LINKTYPE_IPV4:
        return this.#ipv4(d, b, v, off, end, 0);
      case LINKTYPE_IPV6:
        return this.#ipv6(d, b, v, off, end, 0);
      default:
        return KIND_NONE;
    }
  }

  #bad(d: DecodedPacket, reason: string): number {
    d.kind = KIND_BAD;
    d.badReason = reason;
    return KIND_BAD;
  }

  /** A header that does not fit: damage if the frame is whole, else just snap-length cut. */
  #short(d: DecodedPacket, expected: string): number {
    if (this.#complete) return this.#bad(d, `expected ${expected}, but the frame ends first`);
    this.truncated++;
    return KIND_NONE;
  }

  #ethernet(
    d: DecodedPacket,
    b: Uint8Array,
    v: DataView,
    off: number,
    end: number,
    depth: number,
  ): number {
    if (end - off < 14) return this.#short(d, "a 14-byte Ethernet header");
    d.l2 = b;
    d.dstMacOff = off;
    d.srcMacOff = off + 6;
    return this.#ethertype(d, b, v, off + 14, end, v.getUint16(off + 12), depth);
  }

  #ethertype(
    d: DecodedPacket,
    b: Uint8Array,
    v: DataView,
    off: number,
    end: number,
    etype: number,
    depth: number,
  ): number {
    for (let tags = 0; tags < 8; tags++) {
      switch (etype) {
        case 0x0800:
          return this.#ipv4(d, b, v, off, end, depth);
        case 0x86dd:
          return this.#ipv6(d, b, v, off, end, depth);
        case 0x0806:
          return this.#arp(d, b, v, off, end);
        case 0x8100:
        case 0x88a8:
        case 0x9100:
          if (end - off < 4) return this.#short(d, "a 4-byte VLAN tag");
          etype = v.getUint16(off + 2);
          off += 4;
          continue;
        case 0x8864: {
          if (end - off < 8) return this.#short(d, "an 8-byte PPPoE header");
          const ppp = v.getUint16(off + 6);
          off += 8;
          if (ppp === 0x0021) return this.#ipv4(d, b, v, off, end, depth);
          if (ppp === 0x0057) return this.#ipv6(d, b, v, off, end, depth);
          return KIND_NONE;
        }
        case 0x8847:
        case 0x8848: {
          for (let labels = 0; labels < 16; labels++) {
            if (end - off < 4) return this.#short(d, "a 4-byte MPLS label");
            const bottom = (b[off + 2] & 1) === 1;
            off += 4;
            if (bottom) return this.#rawIp(d, b, v, off, end, depth);
          }
          return KIND_NONE;
        }
        default:
          if (etype < 0x0600) {
            // 802.3 length field: only LLC/SNAP can carry IP.
            if (end - off >= 8 && b[off] === 0xaa && b[off + 1] === 0xaa && b[off + 2] === 3) {
              etype = v.getUint16(off + 6);
              off += 8;
              continue;
            }
          }
          return KIND_NONE;
      }
    }
    return KIND_NONE;
  }

  #rawIp(
    d: DecodedPacket,
    b: Uint8Array,
    v: DataView,
    off: number,
    end: number,
    depth: number,
  ): number {
    if (end - off < 1) return this.#short(d, "an IP header");
    const ver = b[off] >> 4;
    if (ver === 4) return this.#ipv4(d, b, v, off, end, depth);
    if (ver === 6) return this.#ipv6(d, b, v, off, end, depth);
    return this.#bad(d, `expected IP version 4 or 6 in a raw IP frame, found ${ver}`);
  }

  #ipv4(
    d: DecodedPacket,
    b: Uint8Array,
    v: DataView,
    off: number,
    end: number,
    depth: number,
  ): number {
    const avail = end - off;
    if (avail < 20) return this.#short(d, "a 20-byte IPv4 header");
    const vhl = b[off];
    if (vhl >> 4 !== 4) return this.#bad(d, `expected IP version 4, found ${vhl >> 4}`);
    const ihl = (vhl & 15) * 4;
    if (ihl < 20) {
      return this.#bad(d, `expected an IPv4 header length of at least 20, found ${ihl}`);
    }
    if (ihl > avail) return this.#short(d, `an IPv4 header of ${ihl} bytes`);
    let total = v.getUint16(off + 2);
    // Segmentation offload leaves the length at 0; the frame length is then the truth.
    if (total === 0) total = avail;
    if (total < ihl) {
      return this.#bad(d, `expected an IPv4 total length of at least ${ihl}, found ${total}`);
    }
    if (total > avail && this.#complete) {
      return this.#bad(d, `IPv4 total length ${total} exceeds the ${avail} bytes in the frame`);
    }
    const frag = v.getUint16(off + 6);
    const more = (frag & 0x2000) !== 0;
    const fragOff = (frag & 0x1fff) * 8;
    d.ipVersion = 4;
    d.ipBuf = b;
    d.srcOff = off + 12;
    d.dstOff = off + 16;
    d.srcKey = v.getUint32(off + 12);
    d.dstKey = v.getUint32(off + 16);
    d.ipBytes = total;
    d.proto = b[off + 9];
    const payload = off + ihl;
    const declared = total - ihl;
    const present = Math.min(total, avail) - ihl;
    if (more || fragOff > 0) {
      if (present < declared) {
        this.truncated++;
        return KIND_NONE;
      }
      const key = `4|${d.srcKey}|${d.dstKey}|${v.getUint16(off + 4)}|${d.proto}`;
      const whole = this.fragments.add(key, d.ts, fragOff, more, b, payload, declared);
      if (whole === null) return KIND_NONE;
      d.ipBytes = ihl + whole.length;
      return this.#transport(
        d,
        whole,
        new DataView(whole.buffer),
        0,
        whole.length,
        whole.length,
        depth,
      );
    }
    return this.#transport(d, b, v, payload, present, declared, depth);
  }

  #ipv6(
    d: DecodedPacket,
    b: Uint8Array,
    v: DataView,
    off: number,
    end: number,
    depth: number,
  ): number {
    const avail = end - off;
    if (avail < 40) return this.#short(d, "a 40-byte IPv6 header");
    if (b[off] >> 4 !== 6) return this.#bad(d, `expected IP version 6, found ${b[off] >> 4}`);
    let plen = v.getUint16(off + 4);
    if (plen === 0) plen = avail - 40;
    if (40 + plen > avail && this.#complete) {
      return this.#bad(
        d,
        `IPv6 payload length ${plen} exceeds the ${avail - 40} bytes in the frame`,
      );
    }
    d.ipVersion = 6;
    d.ipBuf = b;
    d.srcOff = off + 8;
    d.dstOff = off + 24;
    d.srcKey = ipv6Key(v, off + 8);
    d.dstKey = ipv6Key(v, off + 24);
    d.ipBytes = 40 + plen;
    const limit = off + 40 + plen;
    const capEnd = Math.min(limit, end);
    let nh = b[off + 6];
    let p = off + 40;
    for (let hops = 0; hops < 16; hops++) {
      if (nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140) {
        if (capEnd - p < 8) return this.#short(d, "an IPv6 extension header");
        const len = (b[p + 1] + 1) * 8;
        nh = b[p];
        p += len;
        if (p > limit) return this.#bad(d, "an IPv6 extension header runs past the packet");
        continue;
      }
      if (nh === 51) {
        if (capEnd - p < 8) return this.#short(d, "an IPv6 authentication header");
        const len = (b[p + 1] + 2) * 4;
        nh = b[p];
        p += len;
        if (p > limit) return this.#bad(d, "an IPv6 authentication header runs past the packet");
        continue;
      }
      if (nh === 44) {
        if (capEnd - p < 8) return this.#short(d, "an IPv6 fragment header");
        const fo = v.getUint16(p + 2);
        const fragOff = fo & 0xfff8;
        const more = (fo & 1) === 1;
        const id = v.getUint32(p + 4);
        const next = b[p];
        p += 8;
        if (fragOff === 0 && !more) {
          nh = next;
          continue;
        }
        const declared = limit - p;
        if (capEnd - p < declared) {
          this.truncated++;
          return KIND_NONE;
        }
        d.proto = next;
        const key = `6|${d.srcKey}|${d.dstKey}|${id}`;
        const whole = this.fragments.add(key, d.ts, fragOff, more, b, p, declared);
        if (whole === null) return KIND_NONE;
        d.ipBytes = p - off + whole.length;
        return this.#transport(
          d,
          whole,
          new DataView(whole.buffer),
          0,
          whole.length,
          whole.length,
          depth,
        );
      }
      break;
    }
    d.proto = nh;
    return this.#transport(d, b, v, p, Math.max(0, capEnd - p), limit - p, depth);
  }

  #transport(
    d: DecodedPacket,
    b: Uint8Array,
    v: DataView,
    off: number,
    present: number,
    declared: number,
    depth: number,
  ): number {
    d.tBuf = b;
    d.tView = v;
    d.tOff = off;
    switch (d.proto) {
      case PROTO_TCP: {
        if (declared < 20) return this.#bad(d, `expected a 20-byte TCP header, found ${declared}`);
        if (present < 20) return this.#short(d, "a 20-byte TCP header");
        const doff = (b[off + 12] >> 4) * 4;
        if (doff < 20 || doff > declared) {
          return this.#bad(
            d,
            `expected a TCP data offset between 20 and ${declared}, found ${doff}`,
          );
        }
        d.sport = v.getUint16(off);
        d.dport = v.getUint16(off + 2);
        d.seq = v.getUint32(off + 4);
        d.ack = v.getUint32(off + 8);
        d.tcpFlags = b[off + 13];
        d.win = v.getUint16(off + 14);
        d.payloadOff = off + doff;
        d.payloadDeclared = declared - doff;
        d.payloadLen = Math.max(0, Math.min(present, declared) - doff);
        d.kind = KIND_IP;
        return KIND_IP;
      }
      case PROTO_UDP: {
        if (declared < 8) return this.#bad(d, `expected an 8-byte UDP header, found ${declared}`);
        if (present < 8) return this.#short(d, "an 8-byte UDP header");
        const ulen = v.getUint16(off + 4);
        if (ulen < 8) return this.#bad(d, `expected a UDP length of at least 8, found ${ulen}`);
        d.sport = v.getUint16(off);
        d.dport = v.getUint16(off + 2);
        d.payloadOff = off + 8;
        d.payloadDeclared = Math.min(ulen, declared) - 8;
        d.payloadLen = Math.max(0, Math.min(present, d.payloadDeclared + 8) - 8);
        d.kind = KIND_IP;
        return KIND_IP;
      }
      case PROTO_ICMP:
      case PROTO_ICMP6: {
        if (declared < 8) return this.#bad(d, `expected an 8-byte ICMP header, found ${declared}`);
        if (present < 2) return this.#short(d, "an ICMP header");
        d.icmpType = b[off];
        d.icmpCode = b[off + 1];
        d.payloadOff = off + 8;
        d.payloadDeclared = declared - 8;
        d.payloadLen = Math.max(0, Math.min(present, declared) - 8);
        d.kind = KIND_IP;
        return KIND_IP;
      }
      case PROTO_GRE:
        if (depth >= MAX_ENCAPSULATION) return KIND_NONE;
        return this.#gre(d, b, v, off, off + Math.min(present, declared), depth);
      default:
        return KIND_NONE;
    }
  }

  #gre(
    d: DecodedPacket,
    b: Uint8Array,
    v: DataView,
    off: number,
    end: number,
    depth: number,
  ): number {
    if (end - off < 4) return this.#short(d, "a 4-byte GRE header");
    const flags = v.getUint16(off);
    const version = flags & 7;
    const ptype = v.getUint16(off + 2);
    let p = off + 4;
    if (version === 0) {
      if (flags & 0x4000) return KIND_NONE; // Source routing (obsolete) is not followed.
      if (flags & 0x8000) p += 4;
      if (flags & 0x2000) p += 4;
      if (flags & 0x1000) p += 4;
    } else if (version === 1) {
      p += 4;
      if (flags & 0x1000) p += 4;
      if (flags & 0x0080) p += 4;
    } else {
      return this.#bad(d, `expected GRE version 0 or 1, found ${version}`);
    }
    if (p > end) return this.#short(d, "a complete GRE header");
    this.onTunnel?.(d, "Tunnel::GRE");
    if (p === end) return KIND_NONE;
    const inner = depth + 1;
    switch (ptype) {
      case 0x0800:
        return this.#ipv4(d, b, v, p, end, inner);
      case 0x86dd:
        return this.#ipv6(d, b, v, p, end, inner);
      case 0x6558:
        return this.#ethernet(d, b, v, p, end, inner);
      case 0x88be:
        return this.#ethernet(d, b, v, p + 8, end, inner);
      case 0x22eb: {
        if (end - p < 12) return this.#short(d, "an ERSPAN type III header");
        const extra = (b[p + 11] & 1) === 1 ? 8 : 0;
        return this.#ethernet(d, b, v, p + 12 + extra, end, inner);
      }
      case 0x880b: {
        if (end - p >= 2 && b[p] === 0xff && b[p + 1] === 0x03) p += 2;
        if (end - p < 1) return KIND_NONE;
        let proto: number;
        if (b[p] & 1) {
          proto = b[p];
          p += 1;
        } else {
          if (end - p < 2) return KIND_NONE;
          proto = v.getUint16(p);
          p += 2;
        }
        if (proto === 0x21) return this.#ipv4(d, b, v, p, end, inner);
        if (proto === 0x57) return this.#ipv6(d, b, v, p, end, inner);
        return KIND_NONE;
      }
      default:
        return KIND_NONE;
    }
  }

  #arp(d: DecodedPacket, b: Uint8Array, v: DataView, off: number, end: number): number {
    if (end - off < 8) return this.#short(d, "an 8-byte ARP header");
    const ptype = v.getUint16(off + 2);
    const hlen = b[off + 4];
    const plen = b[off + 5];
    if (ptype !== 0x0800 || hlen !== 6 || plen !== 4) return KIND_NONE;
    if (end - off < 28) return this.#short(d, "a 28-byte Ethernet/IPv4 ARP message");
    d.arpBuf = b;
    d.arpOff = off;
    d.kind = KIND_ARP;
    return KIND_ARP;
  }
}

function isInet6(af: number): boolean {
  // AF_INET6 differs between BSD flavours, Linux and Windows.
  return af === 10 || af === 24 || af === 28 || af === 30 || af === 23;
}
