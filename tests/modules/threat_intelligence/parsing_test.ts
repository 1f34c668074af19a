import assert from "node:assert/strict";
import { join } from "node:path";
import { SLIPS_CONFIG_DATA } from "../../helpers/datasets.ts";
import { classifyIoc, urlKey } from "../../../modules/threat_intelligence/ioc_kind.ts";
import { parseFeed } from "../../../modules/threat_intelligence/feed_parser.ts";
import { feedHosts, parseFeedList } from "../../../modules/threat_intelligence/feed_list.ts";
import {
  parseKnownFpHashes,
  parseLocalIocFile,
} from "../../../modules/threat_intelligence/local_files.ts";

const PROJECT_CONFIG = new URL("../../../config/", import.meta.url);

Deno.test("classifyIoc recognises each kind and canonicalises it", () => {
  assert.deepEqual(classifyIoc(" 23.253.126.58 "), { kind: "ip", value: "23.253.126.58" });
  assert.deepEqual(classifyIoc("2001:DB8:0::1"), { kind: "ip", value: "2001:db8::1" });
  assert.deepEqual(classifyIoc("10.1.2.3/8"), { kind: "cidr", value: "10.0.0.0/8" });
  assert.deepEqual(classifyIoc("1.2.3.4/32"), { kind: "ip", value: "1.2.3.4" });
  assert.deepEqual(classifyIoc("as39770"), { kind: "asn", value: "AS39770" });
  assert.deepEqual(classifyIoc("Bncv00.No-IP.info."), {
    kind: "domain",
    value: "bncv00.no-ip.info",
  });
  assert.deepEqual(classifyIoc("*.evil.example"), { kind: "domain", value: "evil.example" });
  assert.deepEqual(classifyIoc("HTTPS://Evil.example/a.exe?x=1"), {
    kind: "url",
    value: "evil.example/a.exe?x=1",
  });
  assert.equal(classifyIoc("44D88612FEA8A8F36DE82E1278ABB02F")?.kind, "md5");
  assert.equal(classifyIoc("3395856ce81f2b7382dee72602f798b642f14140")?.kind, "sha1");
  assert.equal(classifyIoc("a".repeat(64))?.kind, "sha256");
  assert.equal(
    classifyIoc("2ad2ad0002ad2ad22c42d42d000000faabb8fd156aa8b4d8a37853e1063261")?.kind,
    "jarm",
  );
  // Not indicators: public suffixes alone, numbers, dates, words, short hex.
  for (const s of ["co.uk", "com", "35", "2024-01-02 10:00:00", "Malware C&C", "abc123", "1.2.3"]) {
    assert.equal(classifyIoc(s), undefined, s);
  }
  assert.equal(urlKey("http://evil.example/"), "evil.example");
  assert.equal(urlKey("http://evil.example:8080/x"), "evil.example:8080/x");
});

Deno.test("parseFeed reads a plain list with comments and inline comments", () => {
  const feed = parseFeed(
    "# header\n; other comment\n1.2.3.4\n5.6.7.0/24 # Scanning host\n\nnot-an-ioc\n",
    "ti",
  );
  assert.deepEqual(feed.items.map((i) => i.ioc.value), ["1.2.3.4", "5.6.7.0/24"]);
  assert.equal(feed.items[1].description, "Scanning host");
  assert.equal(feed.skipped, 1);
});

Deno.test("parseFeed picks the second column of a hosts file, not the 0.0.0.0 placeholder", () => {
  const feed = parseFeed(
    "0.0.0.0 ads.example\n0.0.0.0 tracker.example\n127.0.0.1 localhost\n",
    "ti",
  );
  assert.deepEqual(feed.items.map((i) => i.ioc.value), ["ads.example", "tracker.example"]);
});

Deno.test("parseFeed finds the IoC column of a quoted CSV with a commented header", () => {
  const text = [
    "# Feed of C2 servers",
    '# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
    '"2021-01-17 07:44:46","51.178.161.32","4643","online","2024-05-01","Dridex"',
    '"2021-01-18 07:44:46","5.2.3.4","443","offline","2024-05-01","QakBot"',
  ].join("\n");
  const feed = parseFeed(text, "ti");
  assert.deepEqual(feed.items.map((i) => i.ioc.value), ["51.178.161.32", "5.2.3.4"]);
  assert.deepEqual(feed.items.map((i) => i.description), ["Dridex", "QakBot"]);
  assert.match(feed.layout, /csv column 2/);
});

Deno.test("parseFeed reads JA3 and SSL blacklists into the right hash kind", () => {
  const ja3 = parseFeed(
    "# ja3_md5,Firstseen,Lastseen,Listingreason\n" +
      "b386946a5a44d1ddcc843bc75336dfce,2017-07-14 18:08:15,2019-07-27 20:42:54,Dridex\n",
    "ja3",
  );
  assert.deepEqual(ja3.items, [{
    ioc: { kind: "md5", value: "b386946a5a44d1ddcc843bc75336dfce" },
    description: "Dridex",
  }]);
  const ssl = parseFeed(
    "# Listingdate,SHA1,Listingreason\n" +
      "2024-01-01 10:00:00,c23a68330be52b6c0c857e68b48f7aeae5e2f39b,AsyncRAT C&C\n",
    "ssl",
  );
  assert.equal(ssl.items[0].ioc.kind, "sha1");
  assert.equal(ssl.items[0].description, "AsyncRAT C&C");
});

Deno.test("parseFeed reads a TSV list with counts and a Zeek intel file", () => {
  const ipsum = parseFeed("# IPsum\n1.1.1.1\t9\n2.2.2.2\t3\n", "ti");
  assert.deepEqual(ipsum.items.map((i) => i.ioc.value), ["1.1.1.1", "2.2.2.2"]);
  const intel = parseFeed(
    "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n" +
      "evil.example\tIntel::DOMAIN\tcps\tPhishing kit\n9.9.9.8\tIntel::ADDR\tcps\tScanner\n",
    "ti",
  );
  assert.deepEqual(intel.items.map((i) => [i.ioc.value, i.description]), [
    ["evil.example", "Phishing kit"],
    ["9.9.9.8", "Scanner"],
  ]);
});

Deno.test("parseFeed reads JSON arrays of objects and JSON lines", () => {
  const arr = parseFeed(
    JSON.stringify([{ Register: 1, DomainAddress: "phish.example", InsertDate: "2024" }, {
      DomainAddress: "x",
    }]),
    "ti",
  );
  assert.deepEqual(arr.items.map((i) => i.ioc.value), ["phish.example"]);
  assert.equal(arr.skipped, 1);
  const lines = parseFeed(
    '{"ip":{"v4":"8.8.4.5"},"threat":["scanner"]}\n{"ip":{"v4":"8.8.4.6"},"threat":["c2"]}\n',
    "ti",
  );
  assert.deepEqual(lines.items.map((i) => [i.ioc.value, i.description]), [
    ["8.8.4.5", "scanner"],
    ["8.8.4.6", "c2"],
  ]);
});

Deno.test("Slips' own_malicious_iocs.csv sample parses without a bad line", async () => {
  const text = await Deno.readTextFile(
    join(SLIPS_CONFIG_DATA, "local_ti_files/own_malicious_iocs.csv"),
  );
  const parsed = parseLocalIocFile(text, "own_malicious_iocs.csv", "ti");
  assert.equal(parsed.problems.count, 0);
  const byValue = new Map(parsed.iocs.map((i) => [i.ioc.value, i]));
  assert.equal(byValue.get("23.253.126.58")?.entry.threatLevel, "high");
  assert.equal(byValue.get("23.253.126.58")?.entry.description, "Simda CC");
  assert.equal(byValue.get("bncv00.no-ip.info")?.entry.threatLevel, "critical");
  assert.equal(byValue.get("AS39770")?.ioc.kind, "asn");
});

Deno.test("Slips' JA3, JARM and known-FP samples parse", async () => {
  const dir = join(SLIPS_CONFIG_DATA, "local_ti_files");
  const ja3 = parseLocalIocFile(
    await Deno.readTextFile(join(dir, "own_malicious_JA3.csv")),
    "j",
    "ja3",
  );
  assert.equal(ja3.problems.count, 0);
  assert.equal(ja3.iocs.length, 2);
  assert.equal(ja3.iocs[1].entry.threatLevel, "high");
  const jarm = parseLocalIocFile(
    await Deno.readTextFile(join(dir, "own_malicious_JARM.csv")),
    "j",
    "jarm",
  );
  // One line of Slips' sample holds a 58-character hash, which is not a JARM.
  assert.equal(jarm.problems.count, 1);
  assert.ok(jarm.iocs.length >= 20);
  const fp = parseKnownFpHashes(await Deno.readTextFile(join(dir, "known_fp_md5_hashes.csv")));
  assert.ok(fp.hashes.has("d41d8cd98f00b204e9800998ecf8427e"));
  assert.ok(fp.hashes.size > 1000);
});

Deno.test("our shipped local TI files parse without a bad line", async () => {
  for (
    const [name, target] of [
      ["own_malicious_iocs.csv", "ti"],
      ["own_malicious_JA3.csv", "ja3"],
      ["own_malicious_JARM.csv", "jarm"],
    ] as const
  ) {
    const text = await Deno.readTextFile(new URL(`local_ti_files/${name}`, PROJECT_CONFIG));
    const parsed = parseLocalIocFile(text, name, target);
    assert.equal(parsed.problems.count, 0, name);
    assert.ok(parsed.iocs.length > 0, name);
  }
  const fp = parseKnownFpHashes(
    await Deno.readTextFile(new URL("local_ti_files/known_fp_md5_hashes.csv", PROJECT_CONFIG)),
  );
  assert.equal(fp.problems.count, 0);
});

Deno.test("bad lines of a local file are counted with their line numbers", () => {
  const parsed = parseLocalIocFile(
    "# c\n1.2.3.4,high,x\nnonsense,high,x\n5.6.7.8,extreme,y\n",
    "f",
    "ti",
  );
  assert.equal(parsed.iocs.length, 2);
  assert.equal(parsed.iocs[1].entry.threatLevel, "medium");
  assert.equal(parsed.problems.count, 2);
  assert.equal(parsed.problems.kept[0].line, 3);
  assert.match(parsed.problems.describe("f"), /f: skipped 2 unreadable lines \(line 3: expected/);
});

Deno.test("Slips' feed lists parse; the tor list is recognised; hosts are listed", async () => {
  const ti = parseFeedList(await Deno.readTextFile(join(SLIPS_CONFIG_DATA, "TI_feeds.csv")), "ti");
  assert.equal(ti.problems.count, 0);
  assert.ok(ti.feeds.length >= 38);
  const feodo = ti.feeds.find((f) => f.url.includes("feodotracker"));
  assert.equal(feodo?.threatLevel, "medium");
  assert.deepEqual(feodo?.tags, ["honeypot"]);
  const ja3 = parseFeedList(
    await Deno.readTextFile(join(SLIPS_CONFIG_DATA, "JA3_feeds.csv")),
    "ja3",
  );
  assert.equal(ja3.feeds[0].target, "ja3");
  const ours = parseFeedList(
    await Deno.readTextFile(new URL("TI_feeds.csv", PROJECT_CONFIG)),
    "ti",
  );
  assert.equal(ours.problems.count, 0);
  assert.equal(ours.feeds.find((f) => f.url.includes("torbulkexitlist"))?.target, "tor");
  assert.ok(feedHosts(ours.feeds).includes("raw.githubusercontent.com"));
});
