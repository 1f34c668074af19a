/**
 * DNS wire-format parsing (RFC 1035 with compression pointers), and the names Zeek gives to query
 * types, classes and response codes. Answers are rendered the way dns.log shows them: addresses,
 * target names, `TXT <len> <text>` strings.
 */
import { ipv4At, ipv6At } from "../addr_format.ts";

export interface DnsQuestion {
  name: string;
  qtype: number;
  qclass: number;
}

export interface DnsAnswer {
  /** The rendered answer as dns.log shows it. */
  text: string;
  ttl: number;
}

export interface DnsMessage {
  id: number;
  isResponse: boolean;
  opcode: number;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsAnswer[];
}

const MAX_QUESTIONS = 16;
const MAX_ANSWERS = 128;

/** Reads a possibly compressed name; returns [name, offset after it] or null when malformed. */
export function readName(
  b: Uint8Array,
  msgStart: number,
  msgEnd: number,
  off: number,
): [string, number] | null {
  let name = "";
  let after = -1;
  let jumps = 0;
  let p = off;
  for (;;) {
    if (p >= msgEnd) return null;
    const len = b[p];
    if (len === 0) {
      p++;
      break;
    }
    const tag = len & 0xc0;
    if (tag === 0xc0) {
      if (p + 1 >= msgEnd) return null;
      if (++jumps > 32) return null;
      if (after < 0) after = p + 2;
      const target = msgStart + (((len & 0x3f) << 8) | b[p + 1]);
      if (target >= msgEnd) return null;
      p = target;
      continue;
    }
    if (tag !== 0) return null;
    if (p + 1 + len > msgEnd) return null;
    if (name.length + len + 1 > 255) return null;
    if (name !== "") name += ".";
    for (let i = p + 1; i <= p + len; i++) {
      const ch = b[i];
      // Zeek logs query names in lower case.
      name += String.fromCharCode(ch >= 65 && ch <= 90 ? ch + 32 : ch);
    }
    p += 1 + len;
  }
  return [name, after >= 0 ? after : p];
}

/** Parses one DNS message occupying b[off, off+len); null when it is not valid DNS. */
export function parseDns(b: Uint8Array, off: number, len: number): DnsMessage | null {
  if (len < 12) return null;
  const end = off + len;
  const u16 = (p: number) => (b[p] << 8) | b[p + 1];
  const id = u16(off);
  const flags = u16(off + 2);
  const qd = u16(off + 4);
  const an = u16(off + 6);
  const msg: DnsMessage = {
    id,
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 15,
    rcode: flags & 15,
    questions: [],
    answers: [],
  };
  if (qd > MAX_QUESTIONS * 4) return null;
  let p = off + 12;
  for (let i = 0; i < qd; i++) {
    const n = readName(b, off, end, p);
    if (n === null || n[1] + 4 > end) return null;
    p = n[1];
    if (msg.questions.length < MAX_QUESTIONS) {
      msg.questions.push({ name: n[0], qtype: u16(p), qclass: u16(p + 2) });
    }
    p += 4;
  }
  for (let i = 0; i < an && msg.answers.length < MAX_ANSWERS; i++) {
    const n = readName(b, off, end, p);
    if (n === null || n[1] + 10 > end) break;
    p = n[1];
    const type = u16(p);
    const ttl = ((b[p + 4] << 24) | (b[p + 5] << 16) | (b[p + 6] << 8) | b[p + 7]) >>> 0;
    const rdlen = u16(p + 8);
    const rd = p + 10;
    if (rd + rdlen > end) break;
    p = rd + rdlen;
    const text = renderAnswer(b, off, end, type, rd, rdlen);
    if (text !== null) msg.answers.push({ text, ttl });
  }
  return msg;
}

function renderAnswer(
  b: Uint8Array,
  msgStart: number,
  msgEnd: number,
  type: number,
  rd: number,
  rdlen: number,
): string | null {
  switch (type) {
    case 1:
      return rdlen === 4 ? ipv4At(b, rd) : null;
    case 28:
      return rdlen === 16 ? ipv6At(b, rd) : null;
    case 2:
    case 5:
    case 12:
    case 6:
      return readName(b, msgStart, msgEnd, rd)?.[0] ?? null;
    case 15:
      return rdlen > 2 ? readName(b, msgStart, msgEnd, rd + 2)?.[0] ?? null : null;
    case 33:
      return rdlen > 6 ? readName(b, msgStart, msgEnd, rd + 6)?.[0] ?? null : null;
    case 16:
    case 99: {
      const label = type === 16 ? "TXT" : "SPF";
      const parts: string[] = [];
      let p = rd;
      const end = rd + rdlen;
      while (p < end) {
        const l = b[p];
        if (p + 1 + l > end) break;
        let s = "";
        for (let i = p + 1; i <= p + l; i++) s += String.fromCharCode(b[i]);
        parts.push(`${label} ${l} ${s}`);
        p += 1 + l;
      }
      return parts.join(" ");
    }
    case 257: {
      if (rdlen < 2) return null;
      const tagLen = b[rd + 1];
      if (2 + tagLen > rdlen) return null;
      let tag = "";
      for (let i = rd + 2; i < rd + 2 + tagLen; i++) tag += String.fromCharCode(b[i]);
      let value = "";
      for (let i = rd + 2 + tagLen; i < rd + rdlen; i++) value += String.fromCharCode(b[i]);
      return `${b[rd]} ${tag} ${value}`;
    }
    case 41:
      return null;
    default:
      return `<unknown type=${type}>`;
  }
}

const QTYPES: Record<number, string> = {
  1: "A",
  2: "NS",
  3: "MD",
  4: "MF",
  5: "CNAME",
  6: "SOA",
  7: "MB",
  8: "MG",
  9: "MR",
  10: "NULL",
  11: "WKS",
  12: "PTR",
  13: "HINFO",
  14: "MINFO",
  15: "MX",
  16: "TXT",
  17: "RP",
  18: "AFSDB",
  24: "SIG",
  25: "KEY",
  28: "AAAA",
  29: "LOC",
  33: "SRV",
  35: "NAPTR",
  36: "KX",
  37: "CERT",
  38: "A6",
  39: "DNAME",
  41: "OPT",
  42: "APL",
  43: "DS",
  44: "SSHFP",
  45: "IPSECKEY",
  46: "RRSIG",
  47: "NSEC",
  48: "DNSKEY",
  49: "DHCID",
  50: "NSEC3",
  51: "NSEC3PARAM",
  52: "TLSA",
  55: "HIP",
  59: "CDS",
  60: "CDNSKEY",
  64: "SVCB",
  65: "HTTPS",
  99: "SPF",
  249: "TKEY",
  250: "TSIG",
  251: "IXFR",
  252: "AXFR",
  255: "*",
  256: "URI",
  257: "CAA",
};

export function qtypeName(t: number): string {
  return QTYPES[t] ?? `query-${t}`;
}

export function qclassName(c: number): string {
  switch (c & 0x7fff) {
    case 1:
      return "C_INTERNET";
    case 3:
      return "C_CHAOS";
    case 4:
      return "C_HESIOD";
    case 254:
      return "C_NONE";
    case 255:
      return "C_ANY";
    default:
      return `qclass-${c}`;
  }
}

const RCODES = [
  "NOERROR",
  "FORMERR",
  "SERVFAIL",
  "NXDOMAIN",
  "NOTIMP",
  "REFUSED",
  "YXDOMAIN",
  "YXRRSET",
  "NXRRSET",
  "NOTAUTH",
  "NOTZONE",
];

export function rcodeName(r: number): string {
  return RCODES[r] ?? `rcode-${r}`;
}
