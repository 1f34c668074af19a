/** DNS messages for test captures: queries and responses with common answer types. */
import { concat, ip4, ip6, text, u16, u32 } from "./packet_builder.ts";

export function dnsName(name: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const label of name.split(".")) {
    if (label === "") continue;
    const b = text(label);
    parts.push(new Uint8Array([b.length]), b);
  }
  parts.push(new Uint8Array([0]));
  return concat(...parts);
}

export interface Rr {
  type: number;
  ttl: number;
  rdata: Uint8Array;
}

export const rdata = {
  a: (ip: string) => ip4(ip),
  aaaa: (ip: string) => ip6(ip),
  name: (n: string) => dnsName(n),
  txt: (...strings: string[]) =>
    concat(...strings.map((s) => concat(new Uint8Array([text(s).length]), text(s)))),
  mx: (pref: number, n: string) => concat(u16(pref), dnsName(n)),
};

function header(id: number, flags: number, qd: number, an: number): Uint8Array {
  return concat(u16(id), u16(flags), u16(qd), u16(an), u16(0), u16(0));
}

export function dnsQuery(id: number, name: string, qtype = 1): Uint8Array {
  return concat(header(id, 0x0100, 1, 1 - 1), dnsName(name), u16(qtype), u16(1));
}

/** A response; answer owner names point back at the question (compression). */
export function dnsResponse(
  id: number,
  name: string,
  qtype: number,
  answers: Rr[],
  rcode = 0,
): Uint8Array {
  const rrs = answers.map((a) =>
    concat(u16(0xc00c), u16(a.type), u16(1), u32(a.ttl), u16(a.rdata.length), a.rdata)
  );
  return concat(
    header(id, 0x8180 | rcode, 1, answers.length),
    dnsName(name),
    u16(qtype),
    u16(1),
    ...rrs,
  );
}
