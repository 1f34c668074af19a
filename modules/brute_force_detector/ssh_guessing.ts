/**
 * SSH password guessing: many sessions to one SSH server that did not log in, per source and
 * time window, reported on a log2 scale so a long campaign is not one evidence per attempt.
 */
import type { EvidenceInput, NoticeRecord, Profiled, SoftwareRecord, SshRecord } from "@slips/core";
import { forgetOldest } from "@slips/core";
import { isIp } from "@slips/core";

/** Attempts at which Zeek's own guesser (30) gives up doubting: full confidence from there. */
export const CERTAIN_ATTEMPTS = 30;

const AUTOMATION_CLIENTS = [
  "libssh",
  "paramiko",
  "hydra",
  "medusa",
  "ncrack",
  "net::ssh",
  "net-ssh",
  "asyncssh",
  "jsch",
  "sshj",
];
const INTERACTIVE_CLIENTS = ["openssh", "putty", "dropbear", "winscp"];

/** The log2 bucket of a campaign: 0 at T attempts, then +1 at T+1, T+3, T+7, T+15 …; -1 below T. */
export function attemptBucket(attempts: number, threshold: number): number {
  if (attempts < threshold) return -1;
  return Math.floor(Math.log2(attempts - threshold + 1));
}

/** Up to 0.1 more confidence when the client banner names a brute-force library or tool. */
export function bannerBonus(banner: string, fromSoftwareLog: boolean): number {
  if (banner === "") return 0;
  const b = banner.toLowerCase();
  let bonus = fromSoftwareLog ? 0.03 : 0;
  if (AUTOMATION_CLIENTS.some((k) => b.includes(k))) bonus += 0.07;
  else if (INTERACTIVE_CLIENTS.some((k) => b.includes(k))) bonus += 0.02;
  return bonus;
}

/** 0.5 at the threshold rising to 0.9 at 30 attempts, plus the banner bonus, below 1 until 30. */
export function guessingConfidence(
  evidenceAttempts: number,
  threshold: number,
  bonus: number,
): number {
  if (evidenceAttempts >= CERTAIN_ATTEMPTS) return 1;
  const span = Math.max(1, CERTAIN_ATTEMPTS - threshold);
  const ramp = Math.min(1, Math.max(0, evidenceAttempts - threshold) / span);
  const c = Math.min(0.99, 0.5 + 0.4 * ramp + bonus);
  return Math.round(c * 100) / 100;
}

/** The connection count in Zeek's SSH::Password_Guessing message ("… (seen in 30 connections)"). */
export function noticeAttempts(msg: string): number {
  const m = msg.match(/seen in (\d+) connections/);
  return m ? Number(m[1]) : 0;
}

export function isPasswordGuessingNotice(n: NoticeRecord): boolean {
  return n.note.includes("Password_Guessing");
}

interface Campaign {
  attempts: number;
  lastBucket: number;
  uids: string[];
}

const MAX_UIDS = 1000;
const MAX_BANNERS = 50_000;

/** Campaigns per (profile, window, server, port), client banners per source, Zeek notices per window. */
export class SshGuessingTracker {
  readonly #campaigns = new Map<string, Campaign>();
  readonly #byWindow = new Map<string, Set<string>>();
  /** Per window: the largest attempt count a Zeek notice gave, and whether one was reported. */
  readonly #notices = new Map<string, number>();
  readonly #banners = new Map<string, string>();

  constructor(private readonly threshold = 9) {}

  /** Remembers the SSH client banner a host announced (software.log SSH::CLIENT). */
  addSoftware(s: SoftwareRecord): void {
    if (s.softwareType !== "SSH::CLIENT" || s.saddr === "") return;
    const banner = s.unparsedVersion ||
      [s.name, [s.versionMajor, s.versionMinor].filter((x) => x !== "").join(".")].join(" ").trim();
    if (banner === "") return;
    if (!this.#banners.has(s.saddr) && this.#banners.size >= MAX_BANNERS) {
      forgetOldest(this.#banners);
    }
    this.#banners.set(s.saddr, banner);
  }

  /**
   * PASSWORD_GUESSING: sessions to one server not known to have logged in (auth_attempts each,
   * at least 1) reach ssh_attempt_threshold (9), reported again at each new log2 bucket.
   * Sessions with unknown outcome (packet engine, Zeek without auth info) count as failed.
   */
  add(r: Profiled<SshRecord>): EvidenceInput | undefined {
    if (r.authSuccess === true) return undefined;
    const window = `${r.profileid}_${r.twid}`;
    const key = `${window}|${r.daddr}|${r.dport}`;
    let c = this.#campaigns.get(key);
    if (!c) {
      this.#campaigns.set(key, c = { attempts: 0, lastBucket: -1, uids: [] });
      let keys = this.#byWindow.get(window);
      if (!keys) this.#byWindow.set(window, keys = new Set());
      keys.add(key);
    }
    c.attempts += r.authAttempts > 0 ? r.authAttempts : 1;
    if (c.uids.length < MAX_UIDS) c.uids.push(r.uid);
    const bucket = attemptBucket(c.attempts, this.threshold);
    if (bucket <= c.lastBucket) return undefined;
    c.lastBucket = bucket;

    const fromSoftware = this.#banners.get(r.saddr);
    const banner = fromSoftware ?? r.client;
    const zeek = this.#notices.get(window);
    const evidenceAttempts = Math.max(c.attempts, zeek ?? 0);
    const confidence = guessingConfidence(
      evidenceAttempts,
      this.threshold,
      bannerBonus(banner, fromSoftware !== undefined),
    );
    const uids = c.uids;
    c.uids = [];
    const service = r.dport > 0 ? `the SSH service on port ${r.dport}/tcp` : "the SSH service";
    const bannerText = banner === ""
      ? "The client banner is unknown."
      : `Client banner "${banner}" (from ${
        fromSoftware !== undefined ? "software.log" : "the SSH session"
      }).`;
    return {
      evidenceType: "PASSWORD_GUESSING",
      attacker: { direction: "SRC", iocType: "IP", value: r.saddr },
      victim: isIp(r.daddr) ? { direction: "DST", iocType: "IP", value: r.daddr } : undefined,
      threatLevel: "medium",
      confidence,
      profileIp: r.saddr,
      twid: r.twid,
      ts: r.ts,
      description:
        `${r.saddr} is guessing SSH passwords on ${r.daddr} (${service}): ${c.attempts} attempts without a successful login. ${bannerText}${
          zeek !== undefined ? " Zeek confirmed the password guessing." : ""
        } Confidence: ${confidence}.`,
      uids,
      proto: "tcp",
      dstPort: r.dport > 0 ? r.dport : undefined,
    };
  }

  /** PASSWORD_GUESSING (Zeek): the first SSH::Password_Guessing notice of a profile and window. */
  addNotice(n: Profiled<NoticeRecord>): EvidenceInput | undefined {
    if (!isPasswordGuessingNotice(n)) return undefined;
    const window = `${n.profileid}_${n.twid}`;
    const attempts = noticeAttempts(n.msg);
    const seen = this.#notices.get(window);
    this.#notices.set(window, Math.max(seen ?? 0, attempts));
    if (seen !== undefined) return undefined;
    const src = n.scanningIp || n.saddr;
    return {
      evidenceType: "PASSWORD_GUESSING",
      attacker: { direction: "SRC", iocType: "IP", value: src },
      threatLevel: "medium",
      confidence: 1,
      profileIp: src,
      twid: n.twid,
      ts: n.ts,
      description: `Zeek confirmed that ${src} is guessing SSH passwords: ${n.msg}`,
      uids: [n.uid],
      proto: "tcp",
    };
  }

  close(profileid: string, twid: number): void {
    const window = `${profileid}_${twid}`;
    for (const k of this.#byWindow.get(window) ?? []) this.#campaigns.delete(k);
    this.#byWindow.delete(window);
    this.#notices.delete(window);
  }

  get trackedCampaigns(): number {
    return this.#campaigns.size;
  }
}
