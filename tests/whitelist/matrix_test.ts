/**
 * Every kind of entry × every direction × every ignore type, checked on both sides of a flow and
 * of an evidence: the entry must match exactly where its direction and ignore type say, and
 * nowhere else.
 */
import assert from "node:assert/strict";
import {
  type EvidenceParties,
  type Side,
  Whitelist,
  type WhitelistDirection,
  type WhitelistIgnoreType,
} from "../../core/whitelist/mod.ts";
import type { FlowRecord } from "../../core/records/records.ts";
import { conn, entity, evidence, http, ssl } from "./records.ts";

/** Addresses that match no entry of any case below. */
const LOCAL = "192.168.1.5";
const NEUTRAL = "93.184.216.34";
const NEUTRAL_MAC = "02:00:00:00:00:01";

const dirOf = (side: Side) => (side === "src" ? "SRC" : "DST");
const otherDir = (side: Side) => (side === "src" ? "DST" : "SRC");

interface Case {
  name: string;
  /** The whitelist line, given its direction and ignore type. */
  line: (dir: WhitelistDirection, ignore: WhitelistIgnoreType) => string;
  /** A flow in which the whitelisted thing appears on `side` only. */
  flow: (wl: Whitelist, side: Side) => FlowRecord;
  /** An evidence in which the whitelisted thing is the party on `side` only. */
  evidence: (wl: Whitelist, side: Side) => EvidenceParties;
}

/** A flow where `value` is the address on `side` and a neutral address is on the other side. */
function flowWithIp(value: string, side: Side): FlowRecord {
  return side === "src" ? conn(value, NEUTRAL) : conn(LOCAL, value);
}

/** An evidence whose party on `side` is the address `value`, the other party neutral. */
function evidenceWithIp(value: string, side: Side): EvidenceParties {
  return evidence(
    entity(dirOf(side), "IP", value),
    entity(otherDir(side), "IP", side === "src" ? NEUTRAL : LOCAL),
  );
}

/** A domain appears on the source side of a flow only through the source's DNS resolution. */
function domainFlow(wl: Whitelist, domain: string, side: Side): FlowRecord {
  if (side === "src") {
    const resolvedSrc = "185.199.108.7";
    wl.rememberResolution(domain, [resolvedSrc]);
    return conn(resolvedSrc, NEUTRAL);
  }
  return http(LOCAL, NEUTRAL, domain);
}

/** A domain is a party of an evidence through an address that resolved from it. */
function domainEvidence(wl: Whitelist, domain: string, side: Side): EvidenceParties {
  const resolved = "185.199.108.9";
  wl.rememberResolution(domain, [resolved]);
  return evidenceWithIp(resolved, side);
}

const CASES: Case[] = [
  {
    name: "ip (single address)",
    line: (d, i) => `ip,203.0.113.7,${d},${i}`,
    flow: (_wl, side) => flowWithIp("203.0.113.7", side),
    evidence: (_wl, side) => evidenceWithIp("203.0.113.7", side),
  },
  {
    name: "ip (CIDR range)",
    line: (d, i) => `ip,203.0.113.0/24,${d},${i}`,
    flow: (_wl, side) => flowWithIp("203.0.113.99", side),
    evidence: (_wl, side) => evidenceWithIp("203.0.113.99", side),
  },
  {
    name: "domain",
    line: (d, i) => `domain,example.com,${d},${i}`,
    flow: (wl, side) => domainFlow(wl, "example.com", side),
    evidence: (wl, side) => domainEvidence(wl, "example.com", side),
  },
  {
    name: "domain (subdomain)",
    line: (d, i) => `domain,example.com,${d},${i}`,
    flow: (wl, side) => domainFlow(wl, "www.shop.example.com", side),
    evidence: (wl, side) => domainEvidence(wl, "www.shop.example.com", side),
  },
  {
    name: "organization (IP range)",
    line: (d, i) => `organization,google,${d},${i}`,
    flow: (_wl, side) => flowWithIp("8.8.8.8", side),
    evidence: (_wl, side) => evidenceWithIp("142.250.185.78", side),
  },
  {
    name: "organization (domain)",
    line: (d, i) => `organization,google,${d},${i}`,
    flow: (wl, side) =>
      side === "dst"
        ? ssl(LOCAL, NEUTRAL, "ads.google.com")
        : domainFlow(wl, "ads.google.com", side),
    evidence: (wl, side) => domainEvidence(wl, "mail.google.com", side),
  },
  {
    name: "mac",
    line: (d, i) => `mac,AA:BB:CC:DD:EE:FF,${d},${i}`,
    flow: (_wl, side) =>
      side === "src"
        ? conn(LOCAL, NEUTRAL, "aa:bb:cc:dd:ee:ff", NEUTRAL_MAC)
        : conn(LOCAL, NEUTRAL, NEUTRAL_MAC, "aa:bb:cc:dd:ee:ff"),
    evidence: (wl, side) => {
      wl.rememberMac("192.168.1.77", "aa-bb-cc-dd-ee-ff");
      return evidenceWithIp("192.168.1.77", side);
    },
  },
];

const DIRECTIONS: WhitelistDirection[] = ["src", "dst", "both"];
const IGNORES: WhitelistIgnoreType[] = ["flows", "alerts", "both"];
const SIDES: Side[] = ["src", "dst"];

for (const c of CASES) {
  Deno.test(`whitelist matrix: ${c.name}`, async (t) => {
    for (const dir of DIRECTIONS) {
      for (const ignore of IGNORES) {
        await t.step(`${dir},${ignore}`, () => {
          for (const side of SIDES) {
            const covers = dir === "both" || dir === side;
            const problems: string[] = [];
            const wl = Whitelist.fromText(c.line(dir, ignore), {
              onProblem: (p) => problems.push(p.message),
            });
            assert.deepEqual(problems, []);

            const flowExpected = covers && ignore !== "alerts";
            assert.equal(
              wl.matchFlow(c.flow(wl, side)),
              flowExpected,
              `flow with the value on the ${side} side`,
            );

            const alertExpected = covers && ignore !== "flows";
            assert.equal(
              wl.matchEvidence(c.evidence(wl, side)),
              alertExpected,
              `evidence with the value as the ${side} party`,
            );
          }
        });
      }
    }
  });
}

Deno.test("whitelist matrix: the neutral parties used above match nothing", () => {
  const all = CASES.map((c) => c.line("both", "both")).join("\n");
  const wl = Whitelist.fromText(all);
  assert.equal(wl.matchFlow(conn(LOCAL, NEUTRAL, NEUTRAL_MAC, NEUTRAL_MAC)), false);
  assert.equal(wl.matchEvidence(evidenceWithIp(NEUTRAL, "dst")), false);
  assert.equal(wl.matchEvidence(evidenceWithIp(LOCAL, "src")), false);
});
