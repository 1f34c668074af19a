import assert from "node:assert/strict";
import {
  DEFAULT_ORGANIZATIONS_DIR,
  listOrganizations,
  loadOrganizationSync,
  OrganizationIndex,
  parseOrganizationFile,
  SHIPPED_ORGANIZATIONS,
  Whitelist,
  type WhitelistProblem,
} from "../../core/whitelist/mod.ts";
import { conn, entity, evidence } from "./records.ts";

function loadAll() {
  const problems: WhitelistProblem[] = [];
  const orgs = SHIPPED_ORGANIZATIONS.map((n) =>
    loadOrganizationSync(DEFAULT_ORGANIZATIONS_DIR, n, (p) => problems.push(p))
  );
  return { orgs, problems };
}

Deno.test("organisations: every shipped data file loads without problems and is not empty", () => {
  const { orgs, problems } = loadAll();
  assert.deepEqual(problems, []);
  assert.deepEqual(listOrganizations(), [...SHIPPED_ORGANIZATIONS].sort());
  for (const org of orgs) {
    assert.ok(org, "data file present");
    assert.ok(org.asns.size > 0, `${org.name} has AS numbers`);
    assert.ok(org.ranges.length > 0, `${org.name} has ranges`);
    assert.ok(org.domains.length > 0, `${org.name} has domains`);
  }
});

Deno.test("organisations: well-known addresses land in their organisation", () => {
  const index = new OrganizationIndex(loadAll().orgs.filter((o) => o !== undefined));
  const cases: [string, string][] = [
    ["8.8.8.8", "google"],
    ["142.250.185.78", "google"],
    ["2001:4860:4860::8888", "google"],
    ["::ffff:8.8.4.4", "google"],
    ["13.107.42.14", "microsoft"],
    ["20.190.128.1", "microsoft"],
    ["2603:1030::1", "microsoft"],
    ["17.253.144.10", "apple"],
    ["2620:149:a44::1", "apple"],
    ["157.240.1.35", "facebook"],
    ["2a03:2880:f12f:83:face:b00c::25de", "facebook"],
    ["104.244.42.1", "twitter"],
  ];
  for (const [ip, org] of cases) assert.deepEqual(index.orgsOfIp(ip), [org], ip);
  for (const ip of ["93.184.216.34", "1.1.1.1", "2606:4700::1111", "not-an-ip", ""]) {
    assert.deepEqual(index.orgsOfIp(ip), [], ip);
  }
});

Deno.test("organisations: domains match as equal, sub- or parent domain within the same registered domain", () => {
  const index = new OrganizationIndex(loadAll().orgs.filter((o) => o !== undefined));
  const yes: [string, string][] = [
    ["google.com", "google"],
    ["ads.google.com", "google"],
    ["www.google.co.uk", "google"],
    ["r3---sn-abc.googlevideo.com", "google"],
    ["windows.net", "microsoft"], // parent of login.windows.net
    ["login.windows.net", "microsoft"],
    ["eu.login.windows.net", "microsoft"],
    ["gateway.icloud.com", "apple"],
    ["scontent.xx.fbcdn.net", "facebook"],
    ["abs.twimg.com", "twitter"],
    ["t.co", "twitter"],
  ];
  for (const [d, org] of yes) assert.deepEqual(index.orgsOfDomain(d), [org], d);
  const no = [
    "google.net", // another registered domain
    "notgoogle.com",
    "google.com.evil.net",
    "com",
    "co.uk",
    "blob.core.windows.net", // customer storage, a sibling of login.windows.net
    "myapp.appspot.com", // customer hosting, left out of the data on purpose
    "t.co.example",
    "",
  ];
  for (const d of no) assert.deepEqual(index.orgsOfDomain(d), [], d);
});

Deno.test("organisations: AS numbers, listed AS names and AS names starting with the org's name", () => {
  const index = new OrganizationIndex(loadAll().orgs.filter((o) => o !== undefined));
  assert.deepEqual(index.orgsOfAsn({ number: 15169 }), ["google"]);
  assert.deepEqual(index.orgsOfAsn({ number: "AS8075" }), ["microsoft"]);
  assert.deepEqual(index.orgsOfAsn({ name: "MSFT" }), ["microsoft"]);
  assert.deepEqual(index.orgsOfAsn({ name: "Apple Inc." }), ["apple"]);
  assert.deepEqual(index.orgsOfAsn({ name: "GOOGLE-CLOUD-PLATFORM" }), ["google"]);
  assert.deepEqual(index.orgsOfAsn({ name: "GOLDAPPLE" }), []);
  assert.deepEqual(index.orgsOfAsn({ name: "LITTLE-APPLE" }), []);
  assert.deepEqual(index.orgsOfAsn({ number: 13335, name: "CLOUDFLARENET" }), []);
});

Deno.test("organisations: ASN lookups whitelist, but never for private addresses", () => {
  const asns: Record<string, { number: number }> = {
    "185.199.108.10": { number: 32934 },
    "10.1.1.1": { number: 32934 },
  };
  const wl = Whitelist.fromText("organization,facebook,dst,both\n", { asnOf: (ip) => asns[ip] });
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "185.199.108.10"))), true);
  assert.equal(wl.matchFlow(conn("192.168.1.5", "185.199.108.10")), true);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "10.1.1.1"))), false);
  assert.equal(wl.matchFlow(conn("192.168.1.5", "10.1.1.1")), false);
});

Deno.test("organisations: only the organisations named in the whitelist are loaded", () => {
  const wl = Whitelist.fromText("organization,twitter,both,alerts\n");
  assert.deepEqual([...wl.organizations], ["twitter"]);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "8.8.8.8"))), false);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "104.244.42.1"))), true);
});

Deno.test("organisation files: bad lines are reported with line numbers", () => {
  const problems: WhitelistProblem[] = [];
  const org = parseOrganizationFile(
    "acme",
    [
      "# Acme", // 1
      "stray.example", // 2: outside a section
      "[asn]", // 3
      "AS64500 ACME-NET", // 4
      "64501", // 5
      "ASX", // 6: bad
      "[asn-names]", // 7
      "acme-backbone", // 8
      "[ranges]", // 9
      "192.0.2.0/24", // 10
      "192.0.2.300/24", // 11: bad
      "2001:db8::1", // 12: bare address
      "[domains]", // 13
      "Acme.example.", // 14
      "bad domain", // 15: bad
      "[people]", // 16: unknown section
      "alice", // 17: outside a known section
    ].join("\n"),
    { file: "acme.txt", onProblem: (p) => problems.push(p) },
  );
  assert.deepEqual(problems.map((p) => p.line), [2, 6, 11, 15, 16, 17]);
  for (const p of problems) {
    assert.equal(p.file, "acme.txt");
    assert.match(p.message, /expected/);
  }
  assert.deepEqual([...org.asns], [[64500, "ACME-NET"], [64501, ""]]);
  assert.deepEqual(org.asNames, ["ACME-BACKBONE"]);
  assert.deepEqual(org.ranges, ["192.0.2.0/24", "2001:db8::1/128"]);
  assert.deepEqual(org.domains, ["acme.example"]);
});

Deno.test("organisations: a new organisation is a new data file", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(
    `${dir}/acme.txt`,
    "[asn]\nAS64500\n[ranges]\n185.15.56.0/22\n[domains]\nacme.com\n",
  );
  const problems: WhitelistProblem[] = [];
  const wl = Whitelist.fromText("organization,acme,src,alerts\n", {
    organizationsDir: dir,
    onProblem: (p) => problems.push(p),
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(listOrganizations(dir), ["acme"]);
  assert.equal(wl.matchEvidence(evidence(entity("SRC", "IP", "185.15.57.7"))), true);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "185.15.57.7"))), false);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("organisations: a private address resolved from an organisation's domain stays outside it", () => {
  const wl = Whitelist.fromText(
    "organization,google,both,alerts\ndomain,corp.example,both,alerts\n",
  );
  wl.rememberResolution("www.google.com", ["10.0.0.8", "172.217.16.4"]);
  wl.rememberResolution("intranet.corp.example", ["10.0.0.9"]);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "10.0.0.8"))), false);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "10.0.0.9"))), true);
  assert.equal(wl.matchEvidence(evidence(entity("DST", "IP", "172.217.16.4"))), true);
});
