/**
 * The shared suite: the same five flows written as Zeek TSV, Zeek JSON, Argus CSV and TSV,
 * Suricata eve.json and nfdump CSV (and through stdin) must come back as the same records.
 */
import assert from "node:assert/strict";
import { type FixtureFlow, FLOWS } from "../../tools/gen_fixtures_input.ts";
import { describeInput } from "../../core/input/mod.ts";
import { openStdin, type StdinType } from "../../core/input/stdin_reader.ts";
import type { ConnRecord, FlowRecord, RecordSource } from "../../core/records/records.ts";
import type { InputWarning } from "../../core/input/reader.ts";
import { fixture, readAll, textStream } from "./helpers.ts";

const CASES: { file: string; source: RecordSource; format: string }[] = [
  { file: "flows/zeek_tsv/conn.log", source: "zeek", format: "zeek-tsv" },
  { file: "flows/zeek_json/conn.log", source: "zeek", format: "zeek-json" },
  { file: "flows/argus.binetflow", source: "argus", format: "argus" },
  { file: "flows/argus_tab.binetflow", source: "argus", format: "argus" },
  { file: "flows/eve.jsonl", source: "suricata", format: "suricata" },
  { file: "flows/nfdump.csv", source: "nfdump", format: "nfdump-csv" },
];

function close(a: number, b: number, what: string) {
  assert.ok(Math.abs(a - b) < 1e-6, `${what}: expected ${b}, got ${a}`);
}

function compare(records: FlowRecord[], source: RecordSource, label: string) {
  assert.equal(records.length, FLOWS.length, `${label}: record count`);
  records.forEach((r, i) => {
    const f: FixtureFlow = FLOWS[i];
    const at = `${label} flow ${i}`;
    assert.equal(r.kind, "conn", at);
    const c = r as ConnRecord;
    assert.equal(c.source, source, at);
    close(c.ts, f.ts, `${at} ts`);
    assert.equal(c.saddr, f.saddr, `${at} saddr`);
    assert.equal(c.daddr, f.daddr, `${at} daddr`);
    assert.equal(c.proto, f.proto, `${at} proto`);
    if (f.proto === "icmp") {
      assert.equal(c.icmpType, f.icmpType, `${at} icmpType`);
      assert.equal(c.icmpCode, f.icmpCode, `${at} icmpCode`);
    } else {
      assert.equal(c.sport, f.sport, `${at} sport`);
      assert.equal(c.dport, f.dport, `${at} dport`);
      assert.equal(c.icmpType, -1, `${at} icmpType`);
    }
    close(c.dur, f.dur, `${at} dur`);
    assert.equal(c.sbytes, f.sbytes, `${at} sbytes`);
    assert.equal(c.dbytes, f.dbytes, `${at} dbytes`);
    assert.equal(c.spkts, f.spkts, `${at} spkts`);
    assert.equal(c.dpkts, f.dpkts, `${at} dpkts`);
    assert.equal(c.interpreted, f.established ? "Established" : "Not Established", `${at} state`);
    assert.ok(c.uid.length > 0, `${at} uid`);
  });
}

for (const c of CASES) {
  Deno.test(`shared flows: ${c.file} reads back the five flows`, async () => {
    const info = await describeInput(fixture(c.file));
    assert.equal(info.format, c.format);
    assert.equal(info.kind, "file");
    const res = await readAll(fixture(c.file));
    assert.deepEqual(res.warnings, []);
    compare(res.records, c.source, c.file);
    const s = res.reader.stats;
    assert.equal(s.records, FLOWS.length);
    assert.equal(s.badLines, 0);
    assert.equal(s.bytesRead, s.totalBytes);
    assert.ok(s.totalBytes > 0);
  });
}

Deno.test("shared flows: raw states and source-specific fields are kept", async () => {
  const zeek = (await readAll(fixture("flows/zeek_tsv/conn.log"))).records as ConnRecord[];
  assert.deepEqual(zeek.map((r) => r.state), FLOWS.map((f) => f.zeekState));
  assert.equal(zeek[0].smac, "aa:bb:cc:00:00:01");
  assert.equal(zeek[0].dmac, "aa:bb:cc:00:00:02");
  assert.equal(zeek[0].appproto, "http");
  assert.equal(zeek[0].sipBytes, 300 + 40 * 5);
  assert.equal(zeek[0].uid, "CFix0aaaaaaaaaaaaa");
  const argus = (await readAll(fixture("flows/argus.binetflow"))).records as ConnRecord[];
  assert.deepEqual(argus.map((r) => r.state), FLOWS.map((f) => f.argusState));
  assert.equal(argus[0].label, "flow=Fixture");
  const eve = (await readAll(fixture("flows/eve.jsonl"))).records as ConnRecord[];
  assert.deepEqual(eve.map((r) => r.state), FLOWS.map((f) => f.suricataState));
  assert.equal(eve[0].uid, "1000000000000000");
  assert.equal(eve[0].appproto, "http");
  assert.equal(eve[1].appproto, "", "app_proto failed means unknown");
  const nf = (await readAll(fixture("flows/nfdump.csv"))).records as ConnRecord[];
  assert.deepEqual(nf.map((r) => r.state), FLOWS.map((f) => f.nfdumpFlags));
});

const STDIN_CASES: { type: StdinType; file: string; source: RecordSource }[] = [
  { type: "zeek", file: "flows/zeek_json/conn.log", source: "zeek" },
  { type: "suricata", file: "flows/eve.jsonl", source: "suricata" },
  { type: "argus", file: "flows/argus.binetflow", source: "argus" },
];

for (const c of STDIN_CASES) {
  Deno.test(`shared flows: stdin ${c.type} lines end at "done"`, async () => {
    const text = await Deno.readTextFile(fixture(c.file));
    // Anything after "done" must not be read.
    const stream = textStream(text + "done\n" + text);
    const warnings: InputWarning[] = [];
    const reader = openStdin(c.type, { onWarning: (w) => warnings.push(w) }, stream);
    const records: FlowRecord[] = [];
    for await (const b of reader.batches()) records.push(...b);
    assert.deepEqual(warnings, []);
    compare(records, c.source, `stdin ${c.type}`);
    assert.ok(reader.stats.bytesRead > 0);
  });
}

Deno.test("shared flows: stdin specs are recognised without touching the file system", async () => {
  for (const t of ["zeek", "suricata", "argus"]) {
    const info = await describeInput(t);
    assert.equal(info.kind, "stdin");
    assert.equal(info.format, `stdin-${t}`);
    assert.match(info.description, /standard input/);
  }
});

Deno.test("shared flows: stdin reading stops when the signal aborts", async () => {
  const ctl = new AbortController();
  // A stream that never ends, like an idle terminal.
  const stream = new ReadableStream<Uint8Array>({ start() {} });
  const reader = openStdin("zeek", { onWarning: () => {}, signal: ctl.signal }, stream);
  const done = (async () => {
    let n = 0;
    for await (const b of reader.batches()) n += b.length;
    return n;
  })();
  setTimeout(() => ctl.abort(), 50);
  assert.equal(await done, 0);
});
