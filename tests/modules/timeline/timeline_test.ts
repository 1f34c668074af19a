import assert from "node:assert/strict";
import { join } from "node:path";
import { runModule } from "../../helpers/module_harness.ts";
import Timeline from "../../../modules/timeline/timeline.ts";
import {
  connEntry,
  dnsEntry,
  formatBytes,
  formatTime,
  httpEntry,
  sslEntry,
} from "../../../modules/timeline/timeline_entry.ts";
import type { ChannelMessage } from "../../../core/database/channels.ts";
import { EmbeddedDatabase, runOnDb } from "../threat_intelligence/run_on_db.ts";
import {
  type ConnRecord,
  type DnsRecord,
  emptyConn,
  type HttpRecord,
  type Profiled,
  type SslRecord,
} from "../../../core/records/mod.ts";

const BASE = {
  uid: "C1",
  ts: 1_714_557_600.25, // 2024-05-01 10:00:00.25 UTC
  saddr: "10.0.0.5",
  daddr: "93.184.216.34",
  sport: 50000,
  dport: 443,
  proto: "tcp",
  source: "zeek" as const,
  profileid: "profile_10.0.0.5",
  twid: 1,
};

function conn(over: Partial<Profiled<ConnRecord>> = {}): Profiled<ConnRecord> {
  return {
    ...emptyConn("zeek"),
    ...BASE,
    interpreted: "Established",
    sbytes: 1200,
    dbytes: 34_500,
    dur: 12.3,
    ...over,
  };
}

function dns(over: Partial<Profiled<DnsRecord>> = {}): Profiled<DnsRecord> {
  return {
    ...BASE,
    kind: "dns",
    daddr: "10.0.0.1",
    dport: 53,
    proto: "udp",
    query: "example.org",
    qclass: "C_INTERNET",
    qtype: "A",
    rcode: "NOERROR",
    answers: ["93.184.216.34"],
    ttls: [60],
    ...over,
  };
}

function http(): Profiled<HttpRecord> {
  return {
    ...BASE,
    kind: "http",
    dport: 80,
    method: "GET",
    host: "example.org",
    uri: "/index.html",
    version: "1.1",
    userAgent: "curl/8.5.0",
    requestBodyLen: 0,
    responseBodyLen: 2048,
    statusCode: 200,
    statusMsg: "OK",
    respMimeTypes: [],
    respFuids: [],
  };
}

function ssl(): Profiled<SslRecord> {
  return {
    ...BASE,
    kind: "ssl",
    version: "TLSv13",
    cipher: "",
    resumed: false,
    established: true,
    certChainFps: [],
    clientCertChainFps: [],
    subject: "",
    issuer: "",
    serverName: "www.example.org",
    validationStatus: "self signed certificate",
    curve: "",
    ja3: "",
    ja3s: "",
    isDoH: false,
    notValidBefore: 0,
    notValidAfter: 0,
  };
}

const m = {
  flow: (d: Profiled<ConnRecord>): ChannelMessage => ({ channel: "new_flow", data: d }),
  dns: (d: Profiled<DnsRecord>): ChannelMessage => ({ channel: "new_dns", data: d }),
  http: (d: Profiled<HttpRecord>): ChannelMessage => ({ channel: "new_http", data: d }),
  ssl: (d: Profiled<SslRecord>): ChannelMessage => ({ channel: "new_ssl", data: d }),
  closed: (twid: number): ChannelMessage => ({
    channel: "tw_closed",
    data: { profileid: BASE.profileid, ip: BASE.saddr, twid, start: 0, end: 0 },
  }),
};

Deno.test("formatTime and formatBytes read as people expect", () => {
  assert.equal(formatTime(1_714_557_600.25, true), "2024/05/01 10:00:00.250000");
  assert.equal(formatTime(1_714_557_600.25, false), "1714557600.250000");
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1200), "1.2 kB");
  assert.equal(formatBytes(34_500_000), "34.5 MB");
});

Deno.test("entries say who talked to whom, over what, how much", () => {
  const names = (ip: string) => ip === "93.184.216.34" ? "example.org" : undefined;
  assert.equal(
    connEntry(conn(), names).text,
    "to 93.184.216.34 (example.org) 443/tcp [https], established, sent 1.2 kB, received 34.5 kB in 12.3 s",
  );
  // Filed under the destination's profile, the line is written from its side.
  const inbound = connEntry(conn({ profileid: "profile_93.184.216.34" }), () => undefined);
  assert.match(inbound.text, /^from 10\.0\.0\.5 .* sent 34\.5 kB, received 1\.2 kB/);
  assert.equal(inbound.peer, "10.0.0.5");
  assert.equal(
    dnsEntry(dns()).text,
    "asked 10.0.0.1 for example.org (A): 93.184.216.34",
  );
  assert.equal(
    dnsEntry(dns({ rcode: "NXDOMAIN", answers: [] })).text,
    "asked 10.0.0.1 for example.org (A): NXDOMAIN",
  );
  assert.equal(
    httpEntry(http()).text,
    'HTTP GET http://example.org/index.html to 93.184.216.34:80 → 200 OK, received 2.0 kB, user agent "curl/8.5.0"',
  );
  assert.equal(
    sslEntry(ssl()).text,
    "TLS TLSv13 to www.example.org (93.184.216.34:443), established, certificate: self signed certificate",
  );
});

Deno.test("the window's timeline goes to the cache, in order, with names learned from DNS", async () => {
  const { db } = await runModule(new Timeline(), [
    m.dns(dns()),
    m.flow(conn()),
    m.http(http()),
    m.ssl(ssl()),
    m.closed(1),
  ]);
  const stored = JSON.parse((await db.cacheGet("timeline", "profile_10.0.0.5_1"))!);
  assert.equal(stored.twid, 1);
  assert.equal(stored.dropped, 0);
  assert.deepEqual(stored.entries.map((e: { kind: string }) => e.kind), [
    "dns",
    "conn",
    "http",
    "ssl",
  ]);
  assert.match(stored.entries[1].text, /93\.184\.216\.34 \(example\.org\)/);
});

Deno.test("with write_files the timeline is written to <output>/timeline/<ip>.txt", async () => {
  const out = Deno.makeTempDirSync({ prefix: "slips-timeline-" });
  await runModule(
    new Timeline(),
    [
      m.dns(dns()),
      m.flow(conn()),
      m.closed(1),
      m.flow(conn({ twid: 2, ts: BASE.ts + 3600 })),
    ],
    { timeline: { write_files: "yes" } },
    { outputDir: out },
  );
  const text = await Deno.readTextFile(join(out, "timeline", "10.0.0.5.txt"));
  const lines = text.trimEnd().split("\n");
  assert.deepEqual(lines, [
    "--- time window 1 ---",
    "2024/05/01 10:00:00.250000 asked 10.0.0.1 for example.org (A): 93.184.216.34",
    "2024/05/01 10:00:00.250000 to 93.184.216.34 (example.org) 443/tcp [https], established, sent 1.2 kB, received 34.5 kB in 12.3 s",
    "--- time window 2 ---",
    "2024/05/01 11:00:00.250000 to 93.184.216.34 (example.org) 443/tcp [https], established, sent 1.2 kB, received 34.5 kB in 12.3 s",
  ]);
});

Deno.test("timeline_human_timestamp = no writes unix times; write_files off writes no file", async () => {
  const out = Deno.makeTempDirSync({ prefix: "slips-timeline-" });
  await runModule(new Timeline(), [m.flow(conn())], {
    timeline: { write_files: "yes" },
    modules: { timeline_human_timestamp: "no" },
  }, { outputDir: out });
  const text = await Deno.readTextFile(join(out, "timeline", "10.0.0.5.txt"));
  assert.match(text.split("\n")[1], /^1714557600\.250000 to 93\.184\.216\.34/);
  const off = Deno.makeTempDirSync({ prefix: "slips-timeline-" });
  await runModule(new Timeline(), [m.flow(conn())], {}, { outputDir: off });
  assert.equal([...Deno.readDirSync(off)].length, 0);
});

Deno.test("a window keeps at most max_entries_per_window entries and counts the rest", async () => {
  const out = Deno.makeTempDirSync({ prefix: "slips-timeline-" });
  const flows = Array.from(
    { length: 5 },
    (_, i) => m.flow(conn({ uid: `C${i}`, dport: 8000 + i })),
  );
  const { db } = await runModule(new Timeline(), [...flows, m.closed(1)], {
    timeline: { write_files: "yes", max_entries_per_window: "3" },
  }, { outputDir: out });
  const stored = JSON.parse((await db.cacheGet("timeline", "profile_10.0.0.5_1"))!);
  assert.equal(stored.entries.length, 3);
  assert.equal(stored.dropped, 2);
  const text = await Deno.readTextFile(join(out, "timeline", "10.0.0.5.txt"));
  assert.match(text, /\(2 more records in time window 1 were not kept\)\n$/);
  assert.equal(text.split("\n").filter((l) => / to 93\./.test(l)).length, 3);
});

Deno.test("a window is saved once, when it closes (open ones at shutdown), not while it fills", async () => {
  const db = new EmbeddedDatabase();
  const seen: number[] = [];
  const look = (key: string) => async () => {
    await db.drain();
    const v = await db.cacheGet("timeline", key);
    seen.push(v === undefined ? 0 : JSON.parse(v).entries.length);
  };
  const flows = Array.from({ length: 60 }, (_, i) => m.flow(conn({ uid: `C${i}` })));
  const later = Array.from(
    { length: 3 },
    (_, i) => m.flow(conn({ uid: `D${i}`, twid: 2, ts: BASE.ts + 3600 })),
  );
  const out = Deno.makeTempDirSync({ prefix: "slips-timeline-" });
  await runOnDb(
    db,
    new Timeline(),
    [
      ...flows,
      look("profile_10.0.0.5_1"),
      m.closed(1),
      look("profile_10.0.0.5_1"),
      ...later,
      look("profile_10.0.0.5_2"),
    ],
    {},
    out,
  );
  assert.deepEqual(seen, [0, 60, 0]);
  // Shutdown saves the window still open.
  const stored = JSON.parse((await db.cacheGet("timeline", "profile_10.0.0.5_2"))!);
  assert.deepEqual(stored.entries.map((e: { ts: number }) => e.ts), [
    BASE.ts + 3600,
    BASE.ts + 3600,
    BASE.ts + 3600,
  ]);
});

Deno.test("entries are saved in time order with the name known when the flow came", async () => {
  const { db } = await runModule(new Timeline(), [
    m.flow(conn({ uid: "late", ts: BASE.ts + 5 })),
    m.dns(dns({ ts: BASE.ts + 1 })),
    m.flow(conn({ uid: "named", ts: BASE.ts + 2 })),
    m.closed(1),
  ]);
  const stored = JSON.parse((await db.cacheGet("timeline", "profile_10.0.0.5_1"))!);
  assert.deepEqual(stored.entries.map((e: { kind: string }) => e.kind), ["dns", "conn", "conn"]);
  assert.deepEqual(Object.keys(stored.entries[1]).sort(), [
    "dport",
    "kind",
    "peer",
    "proto",
    "text",
    "ts",
  ]);
  assert.match(stored.entries[1].text, /^to 93\.184\.216\.34 \(example\.org\) 443\/tcp/);
  // The first flow came before the DNS answer named the address.
  assert.match(stored.entries[2].text, /^to 93\.184\.216\.34 443\/tcp/);
});

Deno.test("lines kept as columns read exactly like connEntry's, for every kind of conn", async () => {
  const flows = [
    conn(),
    conn({ ts: BASE.ts + 1, profileid: "profile_93.184.216.34" }),
    conn({ ts: BASE.ts + 2, proto: "icmp", dport: 0, sport: 8, icmpType: -1, dur: 0 }),
    conn({ ts: BASE.ts + 3, proto: "icmp", icmpType: 3, interpreted: "Not Established" }),
    conn({ ts: BASE.ts + 4, proto: "", appproto: "", dport: 8080, dur: 4000 }),
    conn({ ts: BASE.ts + 5, saddr: "10.0.0.5", daddr: "10.0.0.5", sbytes: 5_000_000 }),
  ];
  const { db } = await runModule(new Timeline(), [m.dns(dns()), ...flows.map(m.flow), m.closed(1)]);
  const stored = JSON.parse((await db.cacheGet("timeline", "profile_10.0.0.5_1"))!);
  const named = (ip: string) => ip === "93.184.216.34" ? "example.org" : undefined;
  const mine = flows.filter((f) => f.profileid === "profile_10.0.0.5");
  assert.deepEqual(
    stored.entries.filter((e: { kind: string }) => e.kind === "conn"),
    mine.map((f) => connEntry(f, named)),
  );
  assert.match(stored.entries[2].text, /ICMP type 8/);
  assert.equal(mine.length, 5);
});
