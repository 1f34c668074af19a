import assert from "node:assert/strict";
import { join } from "node:path";
import {
  formatProblem,
  parseWhitelistConf,
  readWhitelistConf,
  readWhitelistConfSync,
  Whitelist,
  WhitelistFileError,
  type WhitelistProblem,
} from "../../core/whitelist/mod.ts";

function parse(text: string) {
  const seen: WhitelistProblem[] = [];
  const conf = parseWhitelistConf(text, { file: "test.conf", onProblem: (p) => seen.push(p) });
  return { ...conf, seen, values: conf.entries.map((e) => `${e.type}:${e.value}`) };
}

Deno.test("whitelist.conf: notes, headers and blank lines are skipped", () => {
  const r = parse([
    '"IoCType","IoCValue","Direction","IgnoreType"',
    "IoCType,IoCValue,Direction,IgnoreType",
    "; a note, with, commas, in, it",
    ";ip,1.2.3.4,both,alerts",
    "",
    "   ",
    "ip,1.2.3.4,both,alerts",
  ].join("\n"));
  assert.deepEqual(r.values, ["ip:1.2.3.4"]);
  assert.equal(r.problems.length, 0);
  assert.equal(r.entries[0].line, 7);
  assert.equal(r.entries[0].file, "test.conf");
});

Deno.test("whitelist.conf: a # line removes the entry an earlier line made", () => {
  const r = parse([
    "ip,1.2.3.4,both,alerts",
    "domain,example.com,dst,flows",
    "#ip,1.2.3.4,both,alerts",
    "# domain , example.com , src , both",
    "# this is a plain note and not an entry",
  ].join("\n"));
  assert.deepEqual(r.values, []);
  assert.equal(r.problems.length, 0, "a # line that is no entry is a note, not a problem");
});

Deno.test("whitelist.conf: a value whitelisted again after its # line is active again", () => {
  const r = parse("ip,1.2.3.4,both,alerts\n#ip,1.2.3.4,both,alerts\nip,1.2.3.4,src,flows\n");
  assert.equal(r.entries.length, 1);
  assert.equal(r.entries[0].direction, "src");
  assert.equal(r.entries[0].ignore, "flows");
});

Deno.test("whitelist.conf: the last line for a value wins", () => {
  const r = parse([
    "domain,example.com,src,flows",
    "ip,5.6.7.8,both,both",
    "domain,EXAMPLE.com.,dst,alerts",
  ].join("\n"));
  assert.deepEqual(r.values, ["ip:5.6.7.8", "domain:example.com"]);
  const d = r.entries.find((e) => e.type === "domain")!;
  assert.equal(d.direction, "dst");
  assert.equal(d.ignore, "alerts");
  assert.equal(d.line, 3);
});

Deno.test("whitelist.conf: spaces, tabs, quotes, case and CRLF do not matter", () => {
  const r = parse(
    ' "IP" , 10.0.0.1 ,\tBoth , Alerts \r\n"Domain","*.Example.ORG","DST","flows"\r\nMAC,AA-BB-CC-DD-EE-0F,src,both\r\norganisation , Google , both , both\r\n',
  );
  assert.deepEqual(r.values, [
    "ip:10.0.0.1",
    "domain:example.org",
    "mac:aa:bb:cc:dd:ee:0f",
    "organization:google",
  ]);
  assert.equal(r.problems.length, 0);
  assert.equal(r.entries[0].direction, "both");
  assert.equal(r.entries[0].ignore, "alerts");
});

Deno.test("whitelist.conf: ip entries take addresses and CIDR ranges in canonical form", () => {
  const r = parse([
    "ip,10.1.2.3/8,both,both",
    "ip,2001:DB8:0:0::1,both,both",
    "ip,192.0.2.1/32,both,both",
    "ip,2001:db8::/128,both,both",
    "ip,::ffff:8.8.4.4,both,both",
    "ip,2001:db8:aa::/48,both,both",
  ].join("\n"));
  assert.deepEqual(r.values, [
    "ip:10.0.0.0/8",
    "ip:2001:db8::1",
    "ip:192.0.2.1",
    "ip:2001:db8::",
    "ip:8.8.4.4",
    "ip:2001:db8:aa::/48",
  ]);
});

Deno.test("whitelist.conf: bad lines are reported with file, line and what was expected", () => {
  const r = parse([
    '"IoCType","IoCValue","Direction","IgnoreType"', // 1
    "ip,1.2.3.4,both", // 2: 3 columns
    "ipaddress,1.2.3.4,both,alerts", // 3: unknown type
    "ip,1.2.3.400,both,alerts", // 4: bad IP
    "ip,10.0.0.0/33,both,alerts", // 5: bad CIDR
    "domain,exa mple..com,both,alerts", // 6: bad domain (spaces removed, empty label)
    "mac,aa:bb:cc,both,alerts", // 7: bad MAC
    "ip,1.2.3.4,from,alerts", // 8: bad direction
    "ip,1.2.3.4,both,everything", // 9: bad ignore type
    "ip,,both,alerts", // 10: empty value
    "organization,go/ogle,both,alerts", // 11: bad org name
    "ip,1.2.3.4,both,alerts,extra", // 12: 5 columns
    "ip,9.9.9.9,both,alerts,", // 13: trailing comma is fine
  ].join("\n"));
  assert.deepEqual(r.values, ["ip:9.9.9.9"]);
  assert.deepEqual(r.problems.map((p) => p.line), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(r.seen, r.problems, "the handler sees each problem as the result lists it");
  for (const p of r.problems) {
    assert.equal(p.file, "test.conf");
    assert.match(p.message, /^[A-Z"].*\.$/, `a full sentence: ${p.message}`);
    assert.match(p.message, /expected/i, `says what was expected: ${p.message}`);
  }
  assert.match(r.problems[0].message, /4 comma-separated columns.*found 3/);
  assert.match(r.problems[1].message, /"ipaddress".*ip, domain, organization or mac/);
  assert.match(r.problems[2].message, /"1\.2\.3\.400" is not a valid IP address/);
  assert.match(r.problems[6].message, /"from" is not valid; expected src, dst or both/);
  assert.match(r.problems[7].message, /"everything" is not valid; expected flows, alerts or both/);
  assert.equal(formatProblem(r.problems[0]), `test.conf:2: ${r.problems[0].message}`);
});

Deno.test("whitelist.conf: a missing file is a clear error naming the file", async () => {
  const missing = join(Deno.makeTempDirSync(), "nope", "whitelist.conf");
  await assert.rejects(() => readWhitelistConf(missing), (e: unknown) => {
    assert.ok(e instanceof WhitelistFileError);
    assert.match(e.message, /does not exist/);
    assert.ok(e.message.includes(missing));
    return true;
  });
  assert.throws(() => readWhitelistConfSync(missing), WhitelistFileError);
  await assert.rejects(() => Whitelist.load(missing), WhitelistFileError);
});

Deno.test("whitelist.conf: problems of a real file carry its path", async () => {
  const dir = Deno.makeTempDirSync();
  const path = join(dir, "whitelist.conf");
  Deno.writeTextFileSync(path, "; mine\nip,1.2.3.4,both,alerts\nbogus line\n");
  const problems: WhitelistProblem[] = [];
  const conf = await readWhitelistConf(path, { onProblem: (p) => problems.push(p) });
  assert.equal(conf.entries.length, 1);
  assert.deepEqual(problems.map((p) => [p.file, p.line]), [[path, 3]]);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("whitelist.conf: an organisation without a data file is reported and matches nothing", () => {
  const dir = Deno.makeTempDirSync();
  const problems: WhitelistProblem[] = [];
  const wl = Whitelist.fromText("organization,acme,both,both\n", {
    organizationsDir: dir,
    onProblem: (p) => problems.push(p),
  });
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /"acme" has no usable data file/);
  assert.ok(problems[0].message.includes(join(dir, "acme.txt")));
  assert.equal(wl.organizations.size, 0);
  assert.equal(wl.entries.length, 1);
  Deno.removeSync(dir, { recursive: true });
});
