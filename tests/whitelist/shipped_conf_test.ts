/** The real whitelist files: Slips' own default, and the one this project ships. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SLIPS_CONFIG_DATA } from "../helpers/datasets.ts";
import { resolveFromHere } from "../helpers/paths.ts";
import { readWhitelistConf, Whitelist, type WhitelistProblem } from "../../core/whitelist/mod.ts";
import { conn, dns, entity, evidence, ssl } from "./records.ts";

const SLIPS_WHITELIST = join(SLIPS_CONFIG_DATA, "whitelist.conf");
const OUR_WHITELIST = resolveFromHere(import.meta.url, "../../config/whitelist.conf");

/** Active entries counted independently of the parser: lines that start with a known type. */
function countEntryLines(text: string): number {
  const values = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^(ip|domain|organization|mac),([^,]+),/.exec(line.trim());
    if (m) values.add(`${m[1]}|${m[2].toLowerCase()}`);
  }
  return values.size;
}

Deno.test("Slips' whitelist.conf parses without a single problem", async () => {
  const problems: WhitelistProblem[] = [];
  const conf = await readWhitelistConf(SLIPS_WHITELIST, { onProblem: (p) => problems.push(p) });
  assert.deepEqual(problems, []);
  assert.equal(conf.entries.length, countEntryLines(Deno.readTextFileSync(SLIPS_WHITELIST)));
  const orgs = conf.entries.filter((e) => e.type === "organization").map((e) => e.value).sort();
  assert.deepEqual(orgs, ["apple", "facebook", "google", "microsoft", "twitter"]);
  assert.ok(conf.entries.every((e) => e.direction === "both" && e.ignore === "alerts"));
  // Lines starting with ; are examples only.
  assert.ok(!conf.entries.some((e) => e.value === "91.121.83.118"));
});

Deno.test("Slips' whitelist.conf: flows are kept, evidence about the listed parties is not", async () => {
  const problems: WhitelistProblem[] = [];
  const wl = await Whitelist.load(SLIPS_WHITELIST, { onProblem: (p) => problems.push(p) });
  assert.deepEqual(problems, [], "all five organisations have data files");
  assert.equal(wl.hasFlowRules, false);
  assert.equal(wl.matchFlow(conn("192.168.1.5", "8.8.8.8")), false);
  assert.equal(wl.matchFlow(dns("192.168.1.5", "8.8.8.8", "ip-api.com", ["208.95.112.1"])), false);

  const local = entity("SRC", "IP", "192.168.1.5");
  assert.equal(wl.matchEvidence(evidence(local, entity("DST", "IP", "8.8.8.8"))), true);
  assert.equal(wl.matchEvidence(evidence(local, entity("DST", "IP", "208.95.112.1"))), true);
  assert.equal(
    wl.matchEvidence(evidence(local, entity("DST", "DOMAIN", "www.virustotal.com"))),
    true,
  );
  assert.equal(wl.matchEvidence(evidence(local, entity("DST", "IP", "185.199.108.153"))), false);
});

Deno.test("our config/whitelist.conf parses cleanly and covers our services and the five orgs", async () => {
  const problems: WhitelistProblem[] = [];
  const wl = await Whitelist.load(OUR_WHITELIST, { onProblem: (p) => problems.push(p) });
  assert.deepEqual(problems, []);
  assert.deepEqual([...wl.organizations].sort(), [
    "apple",
    "facebook",
    "google",
    "microsoft",
    "twitter",
  ]);
  assert.ok(wl.entries.every((e) => e.ignore === "alerts" && e.direction === "both"));
  assert.equal(wl.hasFlowRules, false);

  const local = entity("SRC", "IP", "192.168.1.5");
  for (const d of ["ip-api.com", "www.virustotal.com", "feodotracker.abuse.ch", "tranco-list.eu"]) {
    assert.equal(wl.matchEvidence(evidence(local, entity("DST", "DOMAIN", d))), true, d);
  }
  assert.equal(
    wl.matchEvidence(evidence(local, entity("DST", "DOMAIN", "raw.githubusercontent.com"))),
    false,
  );
  // The address of a service counts once its name was seen resolving to it.
  assert.equal(wl.matchFlow(ssl("192.168.1.5", "185.60.216.35", "www.facebook.com")), false);
  wl.matchFlow(dns("192.168.1.5", "1.1.1.1", "ipinfo.io", ["34.117.59.81"]));
  assert.equal(wl.matchEvidence(evidence(local, entity("DST", "IP", "34.117.59.81"))), true);
  assert.equal(wl.matchEvidence(evidence(local, entity("DST", "IP", "185.60.216.35"))), true);
});
