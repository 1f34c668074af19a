/**
 * A synthetic network: many hosts doing DNS, HTTP, TLS, SSH, SMTP, DHCP, ARP, ICMP and port
 * scans, plus fragments and a GRE tunnel. Used as fuzzing seed and as the benchmark's large
 * capture. Deterministic for a given seed.
 */
import type { PcapWriter } from "../../core/input/pcap/pcap_writer.ts";
import { dnsQuery, dnsResponse, rdata } from "./dns_builder.ts";
import {
  arp,
  concat,
  ethernet,
  gre,
  icmp,
  ipv4,
  ipv4Fragments,
  ipv6,
  tcp,
  text,
  udp,
  udpFrame,
} from "./packet_builder.ts";
import { clientHello, groupsExt, serverHello, sniExt, tlsRecord } from "./tls_builder.ts";

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes TCP segments with running sequence numbers. */
class Flow {
  cseq: number;
  sseq: number;
  constructor(
    private out: (f: Uint8Array, dt: number) => void,
    private c: string,
    private s: string,
    private cp: number,
    private sp: number,
    rnd: () => number,
  ) {
    this.cseq = Math.floor(rnd() * 4e9);
    this.sseq = Math.floor(rnd() * 4e9);
  }
  seg(
    fromClient: boolean,
    flags: string,
    payload: Uint8Array = new Uint8Array(0),
    dt = 0.0005,
  ): void {
    const seq = fromClient ? this.cseq : this.sseq;
    const ack = fromClient ? this.sseq : this.cseq;
    const t = tcp({
      sport: fromClient ? this.cp : this.sp,
      dport: fromClient ? this.sp : this.cp,
      seq,
      ack: flags.includes("A") ? ack : 0,
      flags,
      payload,
    });
    const src = fromClient ? this.c : this.s;
    const dst = fromClient ? this.s : this.c;
    this.out(ethernet(0x0800, ipv4({ src, dst, proto: 6, payload: t })), dt);
    let n = payload.length + (flags.includes("S") ? 1 : 0) + (flags.includes("F") ? 1 : 0);
    if (flags.includes("R")) n = 0;
    if (fromClient) this.cseq = (this.cseq + n) >>> 0;
    else this.sseq = (this.sseq + n) >>> 0;
  }
  open(): void {
    this.seg(true, "S");
    this.seg(false, "SA");
    this.seg(true, "A");
  }
  data(fromClient: boolean, bytes: Uint8Array): void {
    for (let o = 0; o < bytes.length; o += 1448) {
      this.seg(fromClient, "PA", bytes.subarray(o, Math.min(bytes.length, o + 1448)));
      this.seg(!fromClient, "A");
    }
  }
  close(): void {
    this.seg(true, "FA");
    this.seg(false, "FA");
    this.seg(true, "A");
  }
}

/**
 * Writes about `sessions` application sessions (several packets each) to `w`, starting at `start`.
 */
export function writeTrafficMix(
  w: PcapWriter,
  sessions: number,
  seed: number,
  start = 1_700_000_000,
): void {
  const rnd = prng(seed);
  let t = start;
  const out = (f: Uint8Array, dt: number) => {
    t += dt;
    w.add(t, f);
  };
  const host = (net: number) =>
    `10.${net}.${Math.floor(rnd() * 250) + 1}.${Math.floor(rnd() * 250) + 1}`;
  const page = text("<html><body>" + "lorem ipsum ".repeat(400) + "</body></html>");
  for (let i = 0; i < sessions; i++) {
    const c = host(1);
    const s = host(2);
    const cp = 1024 + Math.floor(rnd() * 60000);
    const kind = i % 10;
    t += rnd() * 0.01;
    if (kind === 0 || kind === 5) {
      const id = i & 0xffff;
      const name = `host${i % 5000}.example.com`;
      out(udpFrame(c, "10.0.0.53", cp, 53, dnsQuery(id, name, 1)), 0.0001);
      out(
        udpFrame(
          "10.0.0.53",
          c,
          53,
          cp,
          dnsResponse(id, name, 1, [{ type: 1, ttl: 300, rdata: rdata.a(s) }]),
        ),
        0.002,
      );
    } else if (kind === 1) {
      const f = new Flow(out, c, s, cp, 80, rnd);
      f.open();
      f.data(
        true,
        text(
          `GET /p${i} HTTP/1.1\r\nHost: site${i % 300}.example\r\nUser-Agent: curl/8.${
            i % 9
          }.0\r\n\r\n`,
        ),
      );
      f.data(
        false,
        concat(text(`HTTP/1.1 200 OK\r\nContent-Length: ${page.length}\r\n\r\n`), page),
      );
      f.close();
    } else if (kind === 2) {
      const f = new Flow(out, c, s, cp, 443, rnd);
      f.open();
      f.data(
        true,
        tlsRecord(
          22,
          clientHello({
            ciphers: [0x1301, 0xc02f],
            extensions: [sniExt(`api${i % 700}.example`), groupsExt([29])],
          }),
          0x0301,
        ),
      );
      f.data(
        false,
        concat(
          tlsRecord(
            22,
            serverHello({
              cipher: 0x1301,
              extensions: [{ type: 43, data: new Uint8Array([3, 4]) }],
            }),
          ),
          tlsRecord(23, new Uint8Array(3000)),
        ),
      );
      f.data(true, tlsRecord(23, new Uint8Array(500)));
      f.close();
    } else if (kind === 3) {
      // A port scan burst: SYNs answered by RSTs.
      for (let p = 0; p < 8; p++) {
        const f = new Flow(out, c, s, cp + p, 1 + Math.floor(rnd() * 1024), rnd);
        f.seg(true, "S");
        f.seg(false, "RA");
      }
    } else if (kind === 4) {
      const f = new Flow(out, c, s, cp, 22, rnd);
      f.open();
      f.data(false, text("SSH-2.0-OpenSSH_8.9\r\n"));
      f.data(true, text("SSH-2.0-libssh2_1.11.0\r\n"));
      f.data(true, new Uint8Array(800));
      f.data(false, new Uint8Array(1100));
      f.close();
    } else if (kind === 6) {
      const payload = icmp(8, 0, new Uint8Array([0, 1, 0, i & 255]), new Uint8Array(56));
      out(ethernet(0x0800, ipv4({ src: c, dst: s, proto: 1, payload })), 0.0001);
      out(
        ethernet(
          0x0800,
          ipv4({
            src: s,
            dst: c,
            proto: 1,
            payload: icmp(0, 0, new Uint8Array([0, 1, 0, i & 255]), new Uint8Array(56)),
          }),
        ),
        0.001,
      );
      out(
        ethernet(0x0806, arp(1, "52:54:00:00:00:01", c, "00:00:00:00:00:00", s), {
          dst: "ff:ff:ff:ff:ff:ff",
        }),
        0.0001,
      );
    } else if (kind === 7) {
      const frags = ipv4Fragments({
        src: c,
        dst: s,
        proto: 17,
        id: i & 0xffff,
        payload: udp(cp, 9999, new Uint8Array(3000)),
      }, 1480);
      for (const fr of frags) out(ethernet(0x0800, fr), 0.0001);
      out(
        ethernet(
          0x86dd,
          ipv6(
            `2001:db8::${(i % 60000).toString(16)}`,
            "2001:db8::1",
            17,
            udp(cp, 123, new Uint8Array(48)),
          ),
        ),
        0.0001,
      );
    } else if (kind === 8) {
      const inner = ipv4({
        src: "192.168.99.1",
        dst: "192.168.99.2",
        proto: 17,
        payload: udp(cp, 53, dnsQuery(i & 0xffff, "tunnelled.example", 1)),
      });
      out(
        ethernet(0x0800, ipv4({ src: c, dst: s, proto: 47, payload: gre(0x0800, inner) })),
        0.0001,
      );
    } else {
      const f = new Flow(out, c, s, cp, 25, rnd);
      f.open();
      f.data(false, text("220 mx.example ESMTP\r\n"));
      f.data(true, text("EHLO x\r\n"));
      f.data(false, text("250 OK\r\n"));
      f.data(true, text("AUTH LOGIN\r\n"));
      f.data(false, text("535 5.7.8 bad smtp-auth user\r\n"));
      f.close();
    }
  }
}

/**
 * Long transfers: `flows` TCP connections (HTTP downloads, TLS and unknown payload in turn) each
 * moving `bytesPerFlow` bytes in full-size segments, interleaved, one ACK per two segments.
 */
export function writeBulkFlows(
  w: PcapWriter,
  flows: number,
  bytesPerFlow: number,
  seed: number,
): void {
  const rnd = prng(seed);
  let t = 1_700_100_000;
  const out = (f: Uint8Array, dt: number) => {
    t += dt;
    w.add(t, f);
  };
  const active: Array<{ f: Flow; left: number; n: number }> = [];
  const chunk = new Uint8Array(1448).map((_, i) => (i * 31) & 255);
  for (let i = 0; i < flows; i++) {
    const port = [80, 443, 9000][i % 3];
    const f = new Flow(
      out,
      `10.50.${i % 200}.${1 + (i % 250)}`,
      `10.60.0.${1 + (i % 20)}`,
      20000 + i,
      port,
      rnd,
    );
    f.open();
    if (port === 80) {
      f.data(true, text(`GET /big${i} HTTP/1.1\r\nHost: files.example\r\n\r\n`));
      f.data(false, text(`HTTP/1.1 200 OK\r\nContent-Length: ${bytesPerFlow}\r\n\r\n`));
    } else if (port === 443) {
      f.data(
        true,
        tlsRecord(
          22,
          clientHello({ ciphers: [0x1301], extensions: [sniExt("cdn.example")] }),
          0x0301,
        ),
      );
      f.data(
        false,
        tlsRecord(
          22,
          serverHello({ cipher: 0x1301, extensions: [{ type: 43, data: new Uint8Array([3, 4]) }] }),
        ),
      );
    }
    active.push({ f, left: bytesPerFlow, n: 0 });
  }
  while (active.length > 0) {
    for (let i = active.length - 1; i >= 0; i--) {
      const a = active[i];
      const n = Math.min(1448, a.left);
      a.f.seg(false, "A", chunk.subarray(0, n), 0.00001);
      a.left -= n;
      if (++a.n % 2 === 0) a.f.seg(true, "A", undefined, 0.00001);
      if (a.left === 0) {
        a.f.close();
        active.splice(i, 1);
      }
    }
  }
}
