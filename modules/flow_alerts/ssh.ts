import type { EvidenceInput, Profiled, SoftwareRecord, SshRecord } from "@slips/core";
import { dstIp, srcIp } from "./entities.ts";
import { BoundedMap } from "@slips/core";
import type { ConnBytes } from "./uid_join.ts";

/** Who decided an SSH login succeeded. */
export type SshVerdict = "Zeek" | "Slips";

// SSH_SUCCESSFUL: auth_success true (Zeek's verdict), else conn orig+resp bytes > ssh_succesful_detection_threshold (4290).
export function sshSuccess(
  r: SshRecord,
  bytes: ConnBytes | undefined,
  threshold: number,
): SshVerdict | undefined {
  if (r.authSuccess === true) return "Zeek";
  if (bytes !== undefined && bytes.sbytes + bytes.dbytes > threshold) return "Slips";
  return undefined;
}

export function sshSuccessEvidence(
  r: Profiled<SshRecord>,
  verdict: SshVerdict,
  bytes: ConnBytes | undefined,
): EvidenceInput {
  const size = bytes === undefined
    ? "transfer size unknown"
    : `${bytes.sbytes + bytes.dbytes} bytes transferred`;
  return {
    evidenceType: "SSH_SUCCESSFUL",
    attacker: srcIp(r.saddr),
    victim: dstIp(r.daddr),
    threatLevel: "info",
    confidence: 0.8,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description:
      `Successful SSH login from ${r.saddr} to ${r.daddr} (${size}), detected by ${verdict}. Confidence 0.8.`,
    uids: [r.uid],
    proto: r.proto,
    srcPort: r.sport,
    dstPort: r.dport,
  };
}

const ROLES: Record<string, string> = { "SSH::CLIENT": "client", "SSH::SERVER": "server" };

/** The SSH client and server versions each host was last seen with. */
export class SshVersions {
  #versions = new BoundedMap<string, string>(100_000);

  // MULTIPLE_SSH_VERSIONS: a host's SSH::CLIENT or SSH::SERVER major.minor differs from the one stored for that host and role.
  observe(r: SoftwareRecord): { role: string; before: string; now: string } | undefined {
    const role = ROLES[r.softwareType];
    if (role === undefined) return undefined;
    const now = r.versionMajor === "" && r.versionMinor === ""
      ? r.unparsedVersion
      : `${r.versionMajor}.${r.versionMinor}`;
    if (now === "") return undefined;
    const key = r.saddr + "|" + role;
    const before = this.#versions.get(key);
    this.#versions.set(key, now);
    return before !== undefined && before !== now ? { role, before, now } : undefined;
  }
}

export function sshVersionEvidence(
  r: Profiled<SoftwareRecord>,
  change: { role: string; before: string; now: string },
): EvidenceInput {
  return {
    evidenceType: "MULTIPLE_SSH_VERSIONS",
    attacker: srcIp(r.saddr),
    threatLevel: "medium",
    confidence: 0.9,
    profileIp: r.saddr,
    twid: r.twid,
    ts: r.ts,
    description:
      `${r.saddr} changed its SSH ${change.role} version from ${change.before} to ${change.now}.`,
    uids: [r.uid],
  };
}
