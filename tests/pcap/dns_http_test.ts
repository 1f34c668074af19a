/** DNS (UDP and TCP) and HTTP records from synthetic captures. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { ofKind, runEngineBytes } from "./engine_run.ts";
import { dnsQuery, dnsResponse, rdata } from "./dns_builder.ts";
import { Capture, concat, TcpSession, text, u16, udpFrame } from "./packet_builder.ts";

const C = "172.16.0.5";
const DNS = "172.16.0.53";
const WEB = "93.184.216.34";

Deno.test("DNS over UDP: answers, CNAME chains, TXT, TTLs, rcodes, unanswered queries", async () => {
  const cap = new Capture();
  cap.add(udpFrame(C, DNS, 33000, 53, dnsQuery(1, "WWW.Example.COM", 1)));
  cap.add(udpFrame(
    DNS,
    C,
    53,
    33000,
    dnsResponse(1, "www.example.com", 1, [
      { type: 5, ttl: 300, rdata: rdata.name("edge.example.net") },
      { type: 1, ttl: 60, rdata: rdata.a("93.184.216.34") },
      { type: 1, ttl: 60, rdata: rdata.a("93.184.216.35") },
    ]),
  ));
  cap.add(udpFrame(C, DNS, 33001, 53, dnsQuery(2, "example.org", 16)));
  cap.add(udpFrame(
    DNS,
    C,
    53,
    33001,
    dnsResponse(2, "example.org", 16, [
      { type: 16, ttl: 3600, rdata: rdata.txt("v=spf1 -all", "second") },
    ]),
  ));
  cap.add(udpFrame(C, DNS, 33002, 53, dnsQuery(3, "nope.invalid", 28)));
  cap.add(udpFrame(DNS, C, 53, 33002, dnsResponse(3, "nope.invalid", 28, [], 3)));
  cap.add(udpFrame(C, DNS, 33003, 53, dnsQuery(4, "v6.example.com", 28)));
  cap.add(udpFrame(
    DNS,
    C,
    53,
    33003,
    dnsResponse(4, "v6.example.com", 28, [
      { type: 28, ttl: 30, rdata: rdata.aaaa("2606:2800:220:1:248:1893:25c8:1946") },
    ]),
  ));
  cap.add(udpFrame(C, DNS, 33004, 53, dnsQuery(5, "silent.example.com", 1)));
  const run = await runEngineBytes("dns", cap.bytes());
  const dns = ofKind(run.records, "dns");
  assert.deepEqual(
    dns.map((d) => [d.query, d.qtype, d.qclass, d.rcode, d.answers, d.ttls]),
    [
      ["www.example.com", "A", "C_INTERNET", "NOERROR", [
        "edge.example.net",
        "93.184.216.34",
        "93.184.216.35",
      ], [300, 60, 60]],
      ["example.org", "TXT", "C_INTERNET", "NOERROR", ["TXT 11 v=spf1 -all TXT 6 second"], [3600]],
      ["nope.invalid", "AAAA", "C_INTERNET", "NXDOMAIN", [], []],
      ["v6.example.com", "AAAA", "C_INTERNET", "NOERROR", ["2606:2800:220:1:248:1893:25c8:1946"], [
        30,
      ]],
      ["silent.example.com", "A", "C_INTERNET", "", [], []],
    ],
  );
  assert.equal(dns[0].saddr, C);
  assert.equal(dns[0].dport, 53);
  assert.equal(dns[0].proto, "udp");
  const conns = ofKind(run.records, "conn");
  assert.ok(conns.every((c) => c.appproto === "dns"));
  assert.equal(dns[0].uid, conns.find((c) => c.sport === 33000)!.uid);
});

Deno.test("DNS over TCP: length-prefixed messages split across segments", async () => {
  const cap = new Capture();
  const s = new TcpSession(cap, { client: C, server: DNS, cport: 34000, sport: 53 });
  const q = dnsQuery(7, "tcp.example.com", 1);
  const r = dnsResponse(7, "tcp.example.com", 1, [{ type: 1, ttl: 5, rdata: rdata.a("1.2.3.4") }]);
  s.handshake();
  s.send(true, concat(u16(q.length), q));
  const framed = concat(u16(r.length), r);
  s.send(false, framed.subarray(0, 10));
  s.send(false, framed.subarray(10));
  s.close();
  const run = await runEngineBytes("dnstcp", cap.bytes());
  const [d] = ofKind(run.records, "dns");
  assert.equal(d.query, "tcp.example.com");
  assert.deepEqual(d.answers, ["1.2.3.4"]);
  assert.equal(d.proto, "tcp");
  assert.equal(ofKind(run.records, "conn")[0].appproto, "dns");
});

function httpResponse(status: string, headers: string[], body: Uint8Array): Uint8Array {
  return concat(text(`HTTP/1.1 ${status}\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n`), body);
}

Deno.test("HTTP: requests, bodies, MIME sniffing, hashes, files and software records", async () => {
  const cap = new Capture();
  const html = text("<!DOCTYPE html><html><body>hello</body></html>");
  const exe = concat(text("MZ"), new Uint8Array(300).fill(0x90));
  const s = new TcpSession(cap, { client: C, server: WEB, cport: 50000, sport: 80 });
  s.handshake();
  s.send(
    true,
    text(
      "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0\r\n\r\n",
    ),
  );
  s.send(
    false,
    httpResponse("200 OK", ["Server: nginx/1.18.0", `Content-Length: ${html.length}`], html),
  );
  // A POST with a body, answered with a chunked executable.
  s.send(
    true,
    text("POST /upload HTTP/1.1\r\nHost: example.com\r\nContent-Length: 11\r\n\r\nhello world"),
  );
  const chunked = concat(
    text(`${(100).toString(16)}\r\n`),
    exe.subarray(0, 100),
    text(`\r\n${(exe.length - 100).toString(16)}\r\n`),
    exe.subarray(100),
    text("\r\n0\r\n\r\n"),
  );
  s.send(false, httpResponse("200 OK", ["Transfer-Encoding: chunked"], chunked), 97);
  s.close();
  const run = await runEngineBytes("http", cap.bytes());
  const http = ofKind(run.records, "http");
  assert.equal(http.length, 2);
  const [get, post] = http;
  assert.deepEqual(
    [
      get.method,
      get.host,
      get.uri,
      get.version,
      get.statusCode,
      get.statusMsg,
      get.responseBodyLen,
    ],
    ["GET", "example.com", "/index.html?q=1", "1.1", 200, "OK", html.length],
  );
  assert.match(get.userAgent, /Firefox\/115\.0$/);
  assert.deepEqual(get.respMimeTypes, ["text/html"]);
  assert.equal(get.respMd5, createHash("md5").update(html).digest("hex"));
  assert.equal(get.respSha1, createHash("sha1").update(html).digest("hex"));
  assert.deepEqual([post.method, post.requestBodyLen, post.responseBodyLen], [
    "POST",
    11,
    exe.length,
  ]);
  assert.deepEqual(post.respMimeTypes, ["application/x-dosexec"]);
  assert.equal(post.respMd5, createHash("md5").update(exe).digest("hex"));

  const files = ofKind(run.records, "files");
  assert.equal(files.length, 2);
  assert.deepEqual(files.map((f) => f.uid), [...get.respFuids, ...post.respFuids]);
  assert.deepEqual(files[1].txHosts, [WEB]);
  assert.deepEqual(files[1].rxHosts, [C]);
  assert.equal(files[1].sha256, createHash("sha256").update(exe).digest("hex"));
  assert.equal(files[1].mimeType, "application/x-dosexec");

  const sw = ofKind(run.records, "software");
  assert.deepEqual(
    sw.map((w) => [w.saddr, w.softwareType, w.name, w.versionMajor, w.versionMinor]),
    [[C, "HTTP::BROWSER", "Firefox", "115", "0"], [WEB, "HTTP::SERVER", "nginx", "1", "18"]],
  );
  assert.equal(ofKind(run.records, "conn")[0].appproto, "http");
});

Deno.test("HTTP on an unusual port, pipelining, HEAD/304 and gzip bodies", async () => {
  const cap = new Capture();
  const s = new TcpSession(cap, { client: C, server: WEB, cport: 50001, sport: 8081 });
  const body = gzipSync(text('{"a": 1, "b": [1, 2, 3]}'));
  s.handshake();
  s.send(
    true,
    text(
      "GET /a HTTP/1.1\r\nHost: h:8081\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h:8081\r\n\r\n" +
        "GET /c HTTP/1.1\r\nHost: h:8081\r\nIf-None-Match: x\r\n\r\n",
    ),
  );
  s.send(
    false,
    concat(
      httpResponse("200 OK", ["Content-Encoding: gzip", `Content-Length: ${body.length}`], body),
      httpResponse("200 OK", ["Content-Length: 5000"], new Uint8Array(0)),
      httpResponse("304 Not Modified", [], new Uint8Array(0)),
    ),
  );
  s.close();
  const run = await runEngineBytes("http2", cap.bytes());
  const http = ofKind(run.records, "http");
  assert.deepEqual(
    http.map((h) => [h.method, h.uri, h.statusCode, h.responseBodyLen, h.respMimeTypes]),
    [
      ["GET", "/a", 200, body.length, ["text/json"]],
      ["HEAD", "/b", 200, 0, []],
      ["GET", "/c", 304, 0, []],
    ],
  );
});

Deno.test("HTTP over reordered, overlapping and retransmitted TCP segments", async () => {
  const cap = new Capture();
  const s = new TcpSession(cap, { client: C, server: WEB, cport: 50002, sport: 80 });
  s.handshake();
  s.send(true, text("GET /reordered HTTP/1.1\r\nHost: example.com\r\n\r\n"));
  const body = new Uint8Array(3000).map((_, i) => 65 + (i % 26));
  const resp = httpResponse("200 OK", [`Content-Length: ${body.length}`], body);
  const start = s.sseq;
  const seg = (from: number, to: number) => {
    s.sseq = (start + from) >>> 0;
    s.frame(false, "PA", resp.subarray(from, to));
  };
  // Third part first, then an overlapping second part, the first, and a retransmission.
  seg(2000, resp.length);
  seg(900, 2100);
  seg(0, 1000);
  seg(0, 1000);
  s.sseq = (start + resp.length) >>> 0;
  s.frame(true, "A");
  s.close();
  const run = await runEngineBytes("reorder", cap.bytes());
  const [h] = ofKind(run.records, "http");
  assert.equal(h.uri, "/reordered");
  assert.equal(h.statusCode, 200);
  assert.equal(h.responseBodyLen, 3000);
  assert.equal(h.respMd5, createHash("md5").update(body).digest("hex"));
  const [c] = ofKind(run.records, "conn");
  assert.equal(c.dbytes, resp.length);
  assert.ok(c.history.includes("t"), `retransmission in ${c.history}`);
});
