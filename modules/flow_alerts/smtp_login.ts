import type { EvidenceInput, Profiled, SmtpRecord } from "@slips/core";
import { dstIp, srcIp } from "./entities.ts";
import { BoundedMap } from "@slips/core";

/** Bad logins that make a brute force… */
export const BRUTE_LOGINS = 3;
/** …within this many seconds. */
export const BRUTE_SECONDS = 10;

// BAD_SMTP_LOGIN: last_reply contains "bad smtp-auth user".
export function isBadSmtpLogin(r: SmtpRecord): boolean {
  return r.lastReply.toLowerCase().includes("bad smtp-auth user");
}

/** Bad-login times per source, across windows. */
export class SmtpLogins {
  #times = new BoundedMap<string, number[]>(50_000);

  // SMTP_LOGIN_BRUTEFORCE: 3 bad logins from one source within 10 s; the history is then cleared.
  observe(r: SmtpRecord): boolean {
    let times = this.#times.get(r.saddr);
    if (times === undefined) this.#times.set(r.saddr, times = []);
    times.push(r.ts);
    if (times.length < BRUTE_LOGINS) return false;
    if (times[times.length - 1] - times[0] <= BRUTE_SECONDS) {
      this.#times.delete(r.saddr);
      return true;
    }
    times.shift();
    return false;
  }
}

export function badSmtpLoginEvidence(r: Profiled<SmtpRecord>): EvidenceInput {
  return {
    evidenceType: "BAD_SMTP_LOGIN",
    attacker: srcIp(r.saddr),
    victim: dstIp(r.daddr),
    threatLevel: "high",
    confidence: 1,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description: `Bad SMTP login from ${r.saddr} to ${r.daddr}.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}

export function smtpBruteforceEvidence(r: Profiled<SmtpRecord>): EvidenceInput {
  return {
    evidenceType: "SMTP_LOGIN_BRUTEFORCE",
    attacker: srcIp(r.saddr),
    victim: dstIp(r.daddr),
    threatLevel: "high",
    confidence: 1,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description:
      `SMTP login brute force from ${r.saddr} to ${r.daddr}: ${BRUTE_LOGINS} bad logins within ${BRUTE_SECONDS} seconds.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}
