import assert from "node:assert/strict";
import BruteForceDetector from "../../../modules/brute_force_detector/brute_force_detector.ts";
import {
  attemptBucket,
  bannerBonus,
  guessingConfidence,
  noticeAttempts,
} from "../../../modules/brute_force_detector/ssh_guessing.ts";
import { runModule } from "../../helpers/module_harness.ts";
import type {
  ChannelMessage,
  NoticeRecord,
  Profiled,
  SoftwareRecord,
  SshRecord,
} from "../../../core/mod.ts";
import { SLIPS_DATA } from "../../helpers/datasets.ts";
import { readZeekLog } from "../network_discovery_extras/zeek_log.ts";

const T0 = 1_700_000_000;
const ATTACKER = "203.0.113.7";
const SERVER = "192.168.1.20";
let n = 0;

function ssh(over: Partial<SshRecord> = {}, twid = 1): ChannelMessage {
  const r: SshRecord = {
    kind: "ssh",
    uid: `Cssh${++n}`,
    ts: T0 + n,
    saddr: ATTACKER,
    daddr: SERVER,
    sport: 40000 + n,
    dport: 22,
    proto: "tcp",
    source: "zeek",
    version: 2,
    authSuccess: false,
    authAttempts: 1,
    client: "SSH-2.0-OpenSSH_8.9",
    server: "SSH-2.0-OpenSSH_9.3",
    cipherAlg: "",
    macAlg: "",
    compressionAlg: "",
    kexAlg: "",
    hostKeyAlg: "",
    hostKey: "",
    ...over,
  };
  const data: Profiled<SshRecord> = { ...r, profileid: `profile_${r.saddr}`, twid };
  return { channel: "new_ssh", data };
}

function software(host: string, banner: string): ChannelMessage {
  const r: SoftwareRecord = {
    kind: "software",
    uid: `Wsw${++n}`,
    ts: T0,
    saddr: host,
    daddr: "",
    sport: 0,
    dport: 0,
    proto: "",
    source: "zeek",
    softwareType: "SSH::CLIENT",
    name: "libssh2",
    versionMajor: "1",
    versionMinor: "10",
    unparsedVersion: banner,
  };
  return { channel: "new_software", data: { ...r, profileid: `profile_${host}`, twid: 1 } };
}

function notice(msg: string, src = ATTACKER, twid = 1): ChannelMessage {
  const r: NoticeRecord = {
    kind: "notice",
    uid: `Nn${++n}`,
    ts: T0 + 100,
    saddr: src,
    daddr: src,
    sport: 0,
    dport: 0,
    proto: "tcp",
    source: "zeek",
    note: "SSH::Password_Guessing",
    msg,
    scanningIp: src,
    scannedPort: 0,
    dst: "",
  };
  const data: Profiled<NoticeRecord> = { ...r, profileid: `profile_${src}`, twid };
  return { channel: "new_notice", data };
}

const many = (k: number, over: Partial<SshRecord> = {}, twid = 1) =>
  Array.from({ length: k }, () => ssh(over, twid));

Deno.test("log2 buckets: first at 9, again at 10, 12, 16, 24, 40, 72", () => {
  const reports: number[] = [];
  let last = -1;
  for (let a = 1; a <= 80; a++) {
    const b = attemptBucket(a, 9);
    if (b > last) {
      reports.push(a);
      last = b;
    }
  }
  assert.deepEqual(reports, [9, 10, 12, 16, 24, 40, 72]);
});

Deno.test("confidence: 0.5 at threshold, 0.9 just under 30 plus banner bonus, 1 from 30", () => {
  assert.equal(guessingConfidence(9, 9, 0), 0.5);
  assert.equal(guessingConfidence(19.5, 9, 0), 0.7);
  assert.equal(guessingConfidence(29, 9, 0), 0.88);
  assert.equal(guessingConfidence(29, 9, 0.1), 0.98);
  assert.equal(guessingConfidence(30, 9, 0), 1);
  assert.equal(bannerBonus("SSH-2.0-libssh2_1.10.0", true), 0.1);
  assert.equal(bannerBonus("SSH-2.0-libssh2_1.10.0", false), 0.07);
  assert.equal(bannerBonus("SSH-2.0-OpenSSH_8.9", false), 0.02);
  assert.equal(bannerBonus("SSH-2.0-OpenSSH_8.9", true), 0.05);
  assert.equal(bannerBonus("SSH-2.0-Something", false), 0);
  assert.equal(
    noticeAttempts("x appears to be guessing SSH passwords (seen in 30 connections)."),
    30,
  );
});

Deno.test("PASSWORD_GUESSING must raise at 9 failed sessions to one server", async () => {
  const { evidence } = await runModule(new BruteForceDetector(), many(9));
  assert.equal(evidence.length, 1);
  const e = evidence[0];
  assert.equal(e.evidenceType, "PASSWORD_GUESSING");
  assert.equal(e.threatLevel, "medium");
  assert.equal(e.confidence, 0.52, "0.5 + OpenSSH bonus from the session banner");
  assert.equal(e.attacker.value, ATTACKER);
  assert.equal(e.attacker.direction, "SRC");
  assert.equal(e.victim?.value, SERVER);
  assert.equal(e.profileIp, ATTACKER);
  assert.equal(e.dstPort, 22);
  assert.equal(e.proto, "tcp");
  assert.equal(e.uids.length, 9);
  assert.match(e.description, /9 attempts/);
  assert.match(e.description, /port 22\/tcp/);
});

Deno.test("PASSWORD_GUESSING must not: 8 failures, successful logins, split servers or windows", async () => {
  const { evidence } = await runModule(new BruteForceDetector(), [
    ...many(8),
    ...many(5, { authSuccess: true }),
    ...many(8, { daddr: "192.168.1.21" }),
    ...many(8, { dport: 2222 }),
    ...many(8, {}, 2),
  ]);
  assert.equal(evidence.length, 0);
});

Deno.test("re-reports follow the buckets; auth_attempts adds several at once", async () => {
  const { evidence } = await runModule(new BruteForceDetector(), many(16));
  assert.deepEqual(evidence.map((e) => e.description.match(/(\d+) attempts/)![1]), [
    "9",
    "10",
    "12",
    "16",
  ]);
  // 3 sessions of 3 attempts each reach 9; then one jump of 6 crosses two buckets but reports once.
  const jump = await runModule(new BruteForceDetector(), [
    ...many(3, { authAttempts: 3 }),
    ...many(1, { authAttempts: 6 }),
  ]);
  assert.equal(jump.evidence.length, 2);
  assert.match(jump.evidence[1].description, /15 attempts/);
});

Deno.test("sessions with unknown outcome (no auth info) count as attempts", async () => {
  const { evidence } = await runModule(
    new BruteForceDetector(),
    many(9, { authSuccess: null, authAttempts: 0 }),
  );
  assert.equal(evidence.length, 1);
});

Deno.test("banner from software.log adds 0.03 + 0.07 for libssh2; threshold from config", async () => {
  const { evidence } = await runModule(
    new BruteForceDetector(),
    [software(ATTACKER, "SSH-2.0-libssh2_1.10.0"), ...many(5)],
    { brute_force_detector: { ssh_attempt_threshold: "5" } },
  );
  assert.equal(evidence.length, 1);
  assert.equal(evidence[0].confidence, 0.6);
  assert.match(evidence[0].description, /libssh2.*software\.log/);
});

Deno.test("Zeek Password_Guessing notice: once per window, confidence 1, lifts campaign to 1", async () => {
  const msg =
    `${ATTACKER} appears to be guessing SSH passwords (seen in 30 connections). Sampled servers: ${SERVER}`;
  const { evidence } = await runModule(new BruteForceDetector(), [
    notice(msg),
    notice(msg),
    ...many(9),
  ]);
  assert.equal(evidence.length, 2);
  const [z, c] = evidence;
  assert.equal(z.evidenceType, "PASSWORD_GUESSING");
  assert.equal(z.threatLevel, "medium");
  assert.equal(z.confidence, 1);
  assert.equal(z.profileIp, ATTACKER);
  assert.match(z.description, /Zeek confirmed.*seen in 30 connections/);
  assert.equal(c.confidence, 1);
  assert.match(c.description, /Zeek confirmed/);
});

Deno.test("other notices are ignored; closing the window forgets the campaign", async () => {
  const other = notice("scan");
  (other.data as Profiled<NoticeRecord>).note = "Scan::Port_Scan";
  const closed: ChannelMessage = {
    channel: "tw_closed",
    data: { profileid: `profile_${ATTACKER}`, ip: ATTACKER, twid: 1, start: T0, end: T0 + 3600 },
  };
  const { evidence } = await runModule(new BruteForceDetector(), [
    other,
    ...many(8),
    closed,
    ...many(1),
  ]);
  assert.equal(evidence.length, 0);
});

Deno.test("real data: test15 software.log banners are cached per host (SSH::CLIENT only)", async () => {
  const sw = readZeekLog<SoftwareRecord>(
    `${SLIPS_DATA}/test15-malicious-zeek-dir/software.log`,
    "software",
  );
  assert.ok(sw.some((s) => s.softwareType === "SSH::CLIENT"));
  const host = sw.find((s) => s.softwareType === "SSH::CLIENT")!.saddr;
  const msgs: ChannelMessage[] = sw.map((data) => ({ channel: "new_software", data }));
  const { evidence } = await runModule(new BruteForceDetector(), [
    ...msgs,
    ...many(9, { saddr: host }),
  ]);
  assert.equal(evidence.length, 1);
  // The last OpenSSH banner of that host, from software.log: 0.5 + 0.03 + 0.02.
  assert.equal(evidence[0].confidence, 0.55);
  assert.match(evidence[0].description, /OpenSSH_9\.1.*software\.log/);
});
