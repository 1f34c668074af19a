import assert from "node:assert/strict";
import {
  conn,
  dhcp,
  dhcpMsg,
  dns,
  dnsMsg,
  flowMsg,
  notice,
  noticeMsg,
  twClosed,
} from "./records.ts";
import { ofType, run } from "./run.ts";
import type { ChannelMessage } from "../../../core/database/channels.ts";

const T = 1_700_000_000;

Deno.test("LONG_CONNECTION: a 2-hour flow is reported once per destination port and window", async () => {
  const ev = ofType(
    await run([
      flowMsg(conn({ dur: 7200 })),
      flowMsg(conn({ dur: 7300, ts: T + 10 })),
    ]),
    "LONG_CONNECTION",
  );
  assert.equal(ev.length, 1);
  const e = ev[0];
  assert.equal(e.threatLevel, "low");
  assert.equal(e.confidence, 0.08);
  assert.deepEqual(e.attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(e.victim?.value, "93.184.216.34");
  assert.equal(e.profileIp, "192.168.1.10");
  assert.equal(e.twid, 1);
  assert.match(e.description, /120 minutes/);
});

Deno.test("LONG_CONNECTION: not at exactly the threshold, nor to multicast", async () => {
  const ev = await run([
    flowMsg(conn({ dur: 1500 })),
    flowMsg(conn({ dur: 9000, daddr: "224.0.0.251", dport: 5353, proto: "udp" })),
  ]);
  assert.equal(ofType(ev, "LONG_CONNECTION").length, 0);
});

Deno.test("LONG_CONNECTION: the threshold comes from [flow_alerts] long_connection_threshold", async () => {
  const ev = await run([flowMsg(conn({ dur: 200 }))], {
    config: { long_connection_threshold: "100" },
  });
  assert.equal(ofType(ev, "LONG_CONNECTION").length, 1);
});

Deno.test("UNKNOWN_PORT: established is HIGH, an attempt MEDIUM, confidence 1", async () => {
  const ev = ofType(
    await run([
      flowMsg(conn({ dport: 55555, appproto: "" })),
      flowMsg(conn({ dport: 55556, appproto: "", state: "S0", interpreted: "Not Established" })),
    ]),
    "UNKNOWN_PORT",
  );
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "high");
  assert.equal(ev[1].threatLevel, "medium");
  assert.equal(ev[0].confidence, 1);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
  assert.equal(ev[0].victim?.value, "93.184.216.34");
  assert.equal(ev[0].profileIp, "192.168.1.10");
  assert.match(ev[0].description, /55555\/TCP/);
});

Deno.test("UNKNOWN_PORT: known services, org ports, ICMP, broadcast/multicast and repeats are not reported", async () => {
  const ev = await run([
    flowMsg(conn({ dport: 443 })),
    flowMsg(conn({ dport: 8443, appproto: "" })),
    // Apple push notifications to Apple's 17/8.
    flowMsg(conn({ dport: 5223, daddr: "17.57.146.20", appproto: "" })),
    flowMsg(conn({ proto: "icmp", dport: 0, sport: 8, appproto: "" })),
    // LAN discovery to broadcast and multicast addresses.
    flowMsg(conn({ proto: "udp", dport: 48899, daddr: "255.255.255.255", appproto: "" })),
    flowMsg(conn({ proto: "udp", dport: 48899, daddr: "147.32.83.255", appproto: "" })),
    flowMsg(conn({ proto: "udp", dport: 48899, daddr: "239.255.255.250", appproto: "" })),
    flowMsg(conn({ dport: 55555, appproto: "" })),
    flowMsg(conn({ dport: 55555, appproto: "", ts: T + 5 })),
  ]);
  assert.deepEqual(ofType(ev, "UNKNOWN_PORT").map((e) => e.dstPort), [55555]);
});

Deno.test("UNKNOWN_PORT: P2P-like UDP stops after 5 distinct destinations", async () => {
  const flows = [1, 2, 3, 4, 5, 6, 7].map((i) =>
    flowMsg(conn({ proto: "udp", appproto: "", dport: 40000 + i, daddr: `185.199.108.${i}` }))
  );
  assert.equal(ofType(await run(flows), "UNKNOWN_PORT").length, 5);
});

Deno.test("UNKNOWN_PORT: FTP data ports and port scanners are exempt", async () => {
  const ev = await run([
    { channel: "new_ftp", data: { ...conn(), kind: "ftp", usedPort: 55001 } } as ChannelMessage,
    flowMsg(conn({ dport: 55001, appproto: "" })),
    {
      channel: "port_scanner",
      data: { profileid: "profile_192.168.1.10", ip: "192.168.1.10", twid: 1 },
    },
    flowMsg(conn({ dport: 55002, appproto: "" })),
  ]);
  assert.equal(ofType(ev, "UNKNOWN_PORT").length, 0);
});

Deno.test("UNKNOWN_PORT: a port-scan verdict within 60 s of traffic after the flow still exempts it", async () => {
  const scanner = {
    channel: "port_scanner",
    data: { profileid: "profile_192.168.1.10", ip: "192.168.1.10", twid: 1 },
  } as ChannelMessage;
  // The verdict comes from another worker and may arrive after flows it covers.
  const late = await run([
    flowMsg(conn({ dport: 55002, appproto: "" })),
    flowMsg(conn({ dport: 443, ts: T + 30 })),
    scanner,
    flowMsg(conn({ dport: 443, ts: T + 90 })),
  ]);
  assert.equal(ofType(late, "UNKNOWN_PORT").length, 0);
  // Past the hold the flow is judged: a verdict after that does not take the evidence back.
  const tooLate = await run([
    flowMsg(conn({ dport: 55002, appproto: "" })),
    flowMsg(conn({ dport: 443, ts: T + 61 })),
    scanner,
  ]);
  assert.deepEqual(ofType(tooLate, "UNKNOWN_PORT").map((e) => e.dstPort), [55002]);
});

Deno.test("MULTIPLE_RECONNECTION_ATTEMPTS: every 5 REJ flows to the same port", async () => {
  const rej = (i: number) =>
    flowMsg(conn({ state: "REJ", interpreted: "Not Established", dport: 8080, ts: T + i }));
  const ev = ofType(
    await run(Array.from({ length: 10 }, (_, i) => rej(i))),
    "MULTIPLE_RECONNECTION_ATTEMPTS",
  );
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "medium");
  assert.equal(ev[0].confidence, 0.5);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
  assert.equal(ev[0].victim?.value, "93.184.216.34");
  assert.equal(ev[0].profileIp, "192.168.1.10");
});

Deno.test("MULTIPLE_RECONNECTION_ATTEMPTS: 4 REJ flows, or 5 over different ports, are not enough", async () => {
  const ev = await run([
    ...[1, 2, 3, 4].map((i) =>
      flowMsg(conn({ state: "REJ", interpreted: "Not Established", dport: 8080, ts: T + i }))
    ),
    ...[1, 2, 3, 4, 5].map((i) =>
      flowMsg(conn({ state: "REJ", interpreted: "Not Established", dport: 9000 + i }))
    ),
  ]);
  assert.equal(ofType(ev, "MULTIPLE_RECONNECTION_ATTEMPTS").length, 0);
});

Deno.test("MULTIPLE_RECONNECTION_ATTEMPTS (telnet): 4 failed telnet connections", async () => {
  const ev = ofType(
    await run(
      [1, 2, 3, 4].map((i) =>
        flowMsg(
          conn({
            dport: i % 2 ? 23 : 2323,
            state: "S0",
            interpreted: "Not Established",
            appproto: "",
            ts: T + i,
          }),
        )
      ),
    ),
    "MULTIPLE_RECONNECTION_ATTEMPTS",
  );
  assert.equal(ev.length, 1);
  assert.match(ev[0].description, /telnet/);
  assert.equal(ev[0].threatLevel, "medium");
});

Deno.test("MULTIPLE_RECONNECTION_ATTEMPTS (telnet): 3 failures or established sessions are not enough", async () => {
  const ev = await run([
    ...[1, 2, 3].map((i) =>
      flowMsg(conn({ dport: 23, state: "S0", interpreted: "Not Established", ts: T + i }))
    ),
    ...[1, 2, 3, 4].map((i) => flowMsg(conn({ daddr: "185.199.108.9", dport: 23, ts: T + i }))),
  ]);
  assert.equal(ofType(ev, "MULTIPLE_RECONNECTION_ATTEMPTS").length, 0);
});

Deno.test("PORT_0_CONNECTION: source port 0 blames the source, destination port 0 the destination", async () => {
  const ev = ofType(
    await run([
      flowMsg(conn({ sport: 0, dport: 80 })),
      flowMsg(conn({ daddr: "185.199.108.1", sport: 1234, dport: 0, proto: "udp" })),
    ]),
    "PORT_0_CONNECTION",
  );
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "high");
  assert.equal(ev[0].confidence, 0.8);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.deepEqual(ev[1].attacker, { direction: "DST", iocType: "IP", value: "185.199.108.1" });
  assert.deepEqual(ev[1].victim, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(ev[1].profileIp, "192.168.1.10");
});

Deno.test("PORT_0_CONNECTION: not for ICMP, portless protocols or multicast", async () => {
  const ev = await run([
    flowMsg(conn({ proto: "icmp", sport: 0, dport: 0 })),
    flowMsg(conn({ proto: "gre", sport: 0, dport: 0 })),
    flowMsg(conn({ proto: "udp", sport: 0, dport: 0, daddr: "224.0.0.1" })),
  ]);
  assert.equal(ofType(ev, "PORT_0_CONNECTION").length, 0);
});

Deno.test("CONNECTION_TO_PRIVATE_IP: private to private is INFO with the port, once per destination", async () => {
  const ev = ofType(
    await run([
      flowMsg(conn({ daddr: "192.168.1.20", dport: 445 })),
      flowMsg(conn({ daddr: "192.168.1.20", dport: 139, ts: T + 1 })),
    ]),
    "CONNECTION_TO_PRIVATE_IP",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 1);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
  assert.equal(ev[0].victim?.value, "192.168.1.20");
  assert.match(ev[0].description, /445\/TCP/);
});

Deno.test("CONNECTION_TO_PRIVATE_IP: not to public IPs, nor DNS/DHCP to the gateway", async () => {
  const ev = await run([
    noticeMsg(notice()),
    flowMsg(conn()),
    flowMsg(conn({ daddr: "192.168.1.1", dport: 53, proto: "udp" })),
    flowMsg(conn({ daddr: "192.168.1.1", dport: 67, proto: "udp" })),
  ]);
  assert.equal(ofType(ev, "CONNECTION_TO_PRIVATE_IP").length, 0);
});

Deno.test("DIFFERENT_LOCALNET: private destination outside the local network (HIGH, filed under it)", async () => {
  const ev = ofType(
    await run([
      flowMsg(conn()),
      flowMsg(conn({ daddr: "10.0.0.5", dport: 445 })),
    ]),
    "DIFFERENT_LOCALNET",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "high");
  assert.equal(ev[0].confidence, 1);
  assert.deepEqual(ev[0].attacker, { direction: "DST", iocType: "IP", value: "10.0.0.5" });
  assert.equal(ev[0].victim?.value, "192.168.1.10");
  assert.equal(ev[0].profileIp, "10.0.0.5");
  assert.match(ev[0].description, /192\.168\.0\.0\/16/);
});

Deno.test("DIFFERENT_LOCALNET: private source outside the local network (LOW, filed under it)", async () => {
  const ev = ofType(
    await run([
      flowMsg(conn()),
      flowMsg(conn({ saddr: "172.16.0.9", daddr: "192.168.1.20", dport: 22 })),
    ]),
    "DIFFERENT_LOCALNET",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "low");
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "172.16.0.9" });
  assert.equal(ev[0].profileIp, "172.16.0.9");
});

Deno.test("DIFFERENT_LOCALNET: nothing inside the network, to public IPs, on 53/udp, or before a network is known", async () => {
  const ev = await run([
    // No local network yet: the first private source decides it, so this flow is not judged.
    flowMsg(conn({ saddr: "8.8.8.8", daddr: "10.0.0.5", dport: 80 })),
    flowMsg(conn()),
    flowMsg(conn({ daddr: "192.168.7.7", dport: 80 })),
    flowMsg(conn({ daddr: "10.0.0.53", dport: 53, proto: "udp" })),
  ]);
  assert.equal(ofType(ev, "DIFFERENT_LOCALNET").length, 0);
});

Deno.test("DIFFERENT_LOCALNET: client_ips' private CIDR is the local network", async () => {
  const ev = await run([flowMsg(conn({ saddr: "10.1.1.1", daddr: "10.2.2.2", dport: 80 }))], {
    context: { clientIps: ["10.0.0.0/8"] },
  });
  assert.equal(ofType(ev, "DIFFERENT_LOCALNET").length, 0);
});

/** A resolution of something else: shows the input has DNS at all. */
const otherDns = () => dnsMsg(dns({ query: "other.example", answers: ["151.101.1.9"], ts: T - 5 }));

Deno.test("CONNECTION_WITHOUT_DNS: a public destination nobody resolved", async () => {
  const ev = ofType(await run([otherDns(), flowMsg(conn())]), "CONNECTION_WITHOUT_DNS");
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 0.8);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(ev[0].victim, undefined);
  assert.match(ev[0].description, /93\.184\.216\.34/);
});

Deno.test("CONNECTION_WITHOUT_DNS: a resolution older than 24 h of traffic time does not count", async () => {
  const ev = await run([
    dnsMsg(dns({ ts: T - 90_000 })),
    flowMsg(conn({ ts: T })),
  ]);
  assert.equal(ofType(ev, "CONNECTION_WITHOUT_DNS").length, 1);
});

Deno.test("CONNECTION_WITHOUT_DNS: an input without any DNS record (a lone conn.log) is not judged", async () => {
  const ev = await run([flowMsg(conn()), flowMsg(conn({ daddr: "151.101.1.77", ts: T + 400 }))]);
  assert.equal(ofType(ev, "CONNECTION_WITHOUT_DNS").length, 0);
});

Deno.test("CONNECTION_WITHOUT_DNS: resolved before, resolved by a DNS record handled later, org servers, private, Argus, broadcast, single file", async () => {
  const resolvedBefore = await run([dnsMsg(dns({ ts: T - 3600 })), flowMsg(conn({ ts: T }))]);
  assert.equal(ofType(resolvedBefore, "CONNECTION_WITHOUT_DNS").length, 0);
  const dnsLate = await run([
    flowMsg(conn({ ts: T })),
    flowMsg(conn({ ts: T + 2, daddr: "192.168.1.30" })),
    dnsMsg(dns({ ts: T - 1 })),
  ]);
  assert.equal(ofType(dnsLate, "CONNECTION_WITHOUT_DNS").length, 0);
  const others = await run([
    otherDns(),
    flowMsg(conn({ daddr: "142.250.74.46" })),
    flowMsg(conn({ daddr: "192.168.1.30" })),
    flowMsg(conn({ source: "argus", appproto: "" })),
    flowMsg(conn({ proto: "udp", dport: 17500, daddr: "147.32.83.255", appproto: "" })),
  ]);
  assert.equal(ofType(others, "CONNECTION_WITHOUT_DNS").length, 0);
  const singleFile = await run([otherDns(), flowMsg(conn())], { context: { inputType: "file" } });
  assert.equal(ofType(singleFile, "CONNECTION_WITHOUT_DNS").length, 0);
});

Deno.test("CONNECTION_TO_MULTIPLE_PORTS: established TCP to several unidentified ports of one server", async () => {
  const ev = ofType(
    await run(
      [55001, 55002, 55003].map((p, i) => flowMsg(conn({ dport: p, appproto: "", ts: T + i }))),
    ),
    "CONNECTION_TO_MULTIPLE_PORTS",
  );
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "info");
  assert.equal(ev[0].confidence, 0.5);
  assert.equal(ev[0].victim?.value, "93.184.216.34");
  assert.match(ev[1].description, /55001, 55002, 55003/);
});

Deno.test("CONNECTION_TO_MULTIPLE_PORTS: one port, identified services, or unestablished flows", async () => {
  const ev = await run([
    flowMsg(conn({ dport: 55001, appproto: "" })),
    flowMsg(conn({ dport: 55001, appproto: "", ts: T + 1 })),
    flowMsg(conn({ dport: 22, appproto: "" })),
    flowMsg(conn({ dport: 55005, appproto: "ssh" })),
    flowMsg(conn({ dport: 55006, appproto: "", state: "S0", interpreted: "Not Established" })),
  ]);
  assert.equal(ofType(ev, "CONNECTION_TO_MULTIPLE_PORTS").length, 0);
});

Deno.test("DATA_UPLOAD: one 150 MB flow gives linked INFO (sender) and HIGH (receiver) evidence", async () => {
  const ev = ofType(await run([flowMsg(conn({ sbytes: 150_000_000 }))]), "DATA_UPLOAD");
  assert.equal(ev.length, 2);
  const [a, b] = ev;
  assert.equal(a.threatLevel, "info");
  assert.equal(a.confidence, 0.6);
  assert.deepEqual(a.attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.10" });
  assert.equal(a.profileIp, "192.168.1.10");
  assert.equal(b.threatLevel, "high");
  assert.deepEqual(b.attacker, { direction: "DST", iocType: "IP", value: "93.184.216.34" });
  assert.equal(b.profileIp, "93.184.216.34");
  assert.deepEqual(a.relIds, [b.id]);
  assert.deepEqual(b.relIds, [a.id]);
  assert.match(a.description, /150 MB/);
});

Deno.test("DATA_UPLOAD: 99 MB in one flow is not reported; neither is upload to multicast", async () => {
  const ev = await run([
    flowMsg(conn({ sbytes: 99_000_000 })),
    flowMsg(conn({ sbytes: 200_000_000, daddr: "239.1.1.1", proto: "udp" })),
  ]);
  assert.equal(ofType(ev, "DATA_UPLOAD").length, 0);
});

Deno.test("DATA_UPLOAD: 540 MB to one destination within a closed window", async () => {
  const flows = Array.from(
    { length: 6 },
    (_, i) => flowMsg(conn({ sbytes: 90_000_000, ts: T + i })),
  );
  const ev = ofType(await run([...flows, twClosed("192.168.1.10", 1)]), "DATA_UPLOAD");
  assert.equal(ev.length, 2);
  assert.match(ev[0].description, /540 MB/);
  assert.match(ev[0].description, /time window 1/);
  assert.equal(ev[0].twid, 1);
  assert.equal(ev[1].threatLevel, "high");
});

Deno.test("DATA_UPLOAD: the window sum does not carry over between windows (B5)", async () => {
  const flows = Array.from(
    { length: 6 },
    (_, i) => flowMsg(conn({ sbytes: 90_000_000, ts: T + i * 1000, twid: i < 3 ? 1 : 2 })),
  );
  const ev = await run([...flows, twClosed("192.168.1.10", 1), twClosed("192.168.1.10", 2)]);
  assert.equal(ofType(ev, "DATA_UPLOAD").length, 0);
});

Deno.test("DEVICE_CHANGING_IP: a MAC seen with one IP shows up with another", async () => {
  const ev = ofType(
    await run([
      flowMsg(conn({ smac: "aa:bb:cc:00:11:22" })),
      flowMsg(conn({ saddr: "192.168.1.77", smac: "aa:bb:cc:00:11:22", ts: T + 60 })),
    ]),
    "DEVICE_CHANGING_IP",
  );
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "medium");
  assert.equal(ev[0].confidence, 0.8);
  assert.deepEqual(ev[0].attacker, { direction: "SRC", iocType: "IP", value: "192.168.1.77" });
  assert.equal(ev[0].profileIp, "192.168.1.77");
  assert.match(ev[0].description, /192\.168\.1\.10/);
});

Deno.test("DEVICE_CHANGING_IP: a DHCP binding is remembered too", async () => {
  const ev = await run([
    dhcpMsg(dhcp({ mac: "aa:bb:cc:00:11:33", clientAddr: "192.168.1.40", ts: T - 100 })),
    flowMsg(conn({ saddr: "192.168.1.41", smac: "aa:bb:cc:00:11:33" })),
  ]);
  assert.equal(ofType(ev, "DEVICE_CHANGING_IP").length, 1);
});

Deno.test("DEVICE_CHANGING_IP: a binding announced on new_MAC counts, earliest in traffic time first", async () => {
  const mac = (ip: string, ts: number): ChannelMessage => ({
    channel: "new_MAC",
    data: { ip, mac: "aa:bb:cc:00:11:44", ts },
  });
  const ev = ofType(
    await run([
      // Announced out of order: the later binding is handled first.
      mac("192.168.1.51", T),
      mac("192.168.1.50", T - 600),
      flowMsg(conn({ saddr: "192.168.1.51", smac: "aa:bb:cc:00:11:44", ts: T })),
    ]),
    "DEVICE_CHANGING_IP",
  );
  assert.equal(ev.length, 1);
  assert.match(ev[0].description, /belonged to 192\.168\.1\.50/);
});

Deno.test("DEVICE_CHANGING_IP: same IP again, public sources and flows without a MAC are fine", async () => {
  const ev = await run([
    flowMsg(conn({ smac: "aa:bb:cc:00:11:22" })),
    flowMsg(conn({ smac: "aa:bb:cc:00:11:22", ts: T + 5 })),
    flowMsg(
      conn({ saddr: "8.8.8.8", daddr: "192.168.1.10", smac: "aa:bb:cc:00:11:22", ts: T + 6 }),
    ),
    flowMsg(conn({ saddr: "192.168.1.99", ts: T + 7 })),
  ]);
  assert.equal(ofType(ev, "DEVICE_CHANGING_IP").length, 0);
});

Deno.test("NON_SSL_PORT_443_CONNECTION: unrecognised traffic on 443 with no TLS flow of the pair", async () => {
  const ev = ofType(await run([flowMsg(conn({ appproto: "" }))]), "NON_SSL_PORT_443_CONNECTION");
  assert.equal(ev.length, 1);
  assert.equal(ev[0].threatLevel, "medium");
  assert.equal(ev[0].confidence, 0.8);
  assert.equal(ev[0].attacker.value, "192.168.1.10");
  assert.equal(ev[0].victim?.value, "93.184.216.34");
});

Deno.test("NON_SSL_PORT_443_CONNECTION: a TLS flow of the pair within 5 minutes vouches, before or after", async () => {
  const after = await run([
    flowMsg(conn({ appproto: "" })),
    flowMsg(conn({ ts: T + 200 })),
    flowMsg(conn({ ts: T + 1000, daddr: "185.199.108.200", dport: 80, appproto: "http" })),
  ]);
  assert.equal(ofType(after, "NON_SSL_PORT_443_CONNECTION").length, 0);
  const before = await run([flowMsg(conn({ ts: T - 100 })), flowMsg(conn({ appproto: "" }))]);
  assert.equal(ofType(before, "NON_SSL_PORT_443_CONNECTION").length, 0);
  const noData = await run([flowMsg(conn({ appproto: "", sbytes: 0, dbytes: 0 }))]);
  assert.equal(ofType(noData, "NON_SSL_PORT_443_CONNECTION").length, 0);
  const tooLate = await run([
    flowMsg(conn({ appproto: "" })),
    flowMsg(conn({ ts: T + 400 })),
  ]);
  assert.equal(ofType(tooLate, "NON_SSL_PORT_443_CONNECTION").length, 1);
});

Deno.test("NON_HTTP_PORT_80_CONNECTION: paired LOW (client) and MEDIUM (server) evidence", async () => {
  const ev = ofType(
    await run([flowMsg(conn({ dport: 80, appproto: "" }))]),
    "NON_HTTP_PORT_80_CONNECTION",
  );
  assert.equal(ev.length, 2);
  assert.equal(ev[0].threatLevel, "low");
  assert.equal(ev[0].profileIp, "192.168.1.10");
  assert.equal(ev[1].threatLevel, "medium");
  assert.deepEqual(ev[1].attacker, { direction: "DST", iocType: "IP", value: "93.184.216.34" });
  assert.equal(ev[1].profileIp, "93.184.216.34");
  assert.deepEqual(ev[0].relIds, [ev[1].id]);
});

Deno.test("NON_HTTP_PORT_80_CONNECTION: HTTP recognised, or an HTTP flow of the pair nearby", async () => {
  const ev = await run([
    flowMsg(conn({ dport: 80, appproto: "http" })),
    flowMsg(conn({ dport: 80, appproto: "", ts: T + 30 })),
  ]);
  assert.equal(ofType(ev, "NON_HTTP_PORT_80_CONNECTION").length, 0);
});
