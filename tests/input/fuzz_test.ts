/**
 * Random and mutated lines through every parser, seeded so a failure repeats: no exception, no
 * hang, and whatever comes out is a well-formed record.
 */
import assert from "node:assert/strict";
import { ArgusParser } from "../../core/input/argus_parser.ts";
import { NfdumpCsvParser } from "../../core/input/nfdump_parser.ts";
import { type LineParser, ParseContext } from "../../core/input/parse_context.ts";
import { emptyStats } from "../../core/input/reader.ts";
import { SuricataParser } from "../../core/input/suricata_parser.ts";
import { ZeekLogParser } from "../../core/input/zeek_parser.ts";
import type { FlowRecord } from "../../core/records/records.ts";
import { fixture, prng, readAll } from "./helpers.ts";

const ITERATIONS = 3000;
const ALPHABET = '\t,{}[]":-.0123456789abcdefxST#\\ \u00e9\uFFFD\u0000';

function mutate(line: string, rnd: () => number): string {
  const pick = <T>(s: ArrayLike<T>): T => s[Math.floor(rnd() * s.length)];
  let s = line;
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (s.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: // Truncate.
        s = s.slice(0, at);
        break;
      case 1: // Delete a run.
        s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 8));
        break;
      case 2: // Insert structure characters.
        s = s.slice(0, at) + pick(ALPHABET) + pick(ALPHABET) + s.slice(at);
        break;
      case 3: // Replace one character.
        s = s.slice(0, at) + pick(ALPHABET) + s.slice(at + 1);
        break;
      case 4: // Duplicate a slice.
        s = s.slice(0, at) + s.slice(Math.max(0, at - 10), at) + s.slice(at);
        break;
      default: // Swap a number for something that is not one.
        s = s.replace(/\d+(\.\d+)?/, pick(["NaN", "-1", "1e309", "0x1g", "", "９"]));
    }
  }
  return s;
}

function randomLine(rnd: () => number): string {
  const n = Math.floor(rnd() * 120);
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  return s;
}

function checkRecord(r: FlowRecord) {
  assert.equal(typeof r.kind, "string");
  assert.ok(Number.isFinite(r.ts), `non-finite ts in ${JSON.stringify(r)}`);
  assert.equal(typeof r.saddr, "string");
  assert.ok(Number.isFinite(r.sport) && Number.isFinite(r.dport));
  if (r.kind === "conn") {
    for (const v of [r.dur, r.sbytes, r.dbytes, r.spkts, r.dpkts]) assert.ok(Number.isFinite(v));
    assert.ok(r.interpreted === "Established" || r.interpreted === "Not Established");
  }
}

interface FuzzCase {
  name: string;
  file: string;
  make: (ctx: ParseContext) => LineParser;
}

const CASES: FuzzCase[] = [
  { name: "Zeek TSV", file: "alllogs/tsv/dns.log", make: (c) => new ZeekLogParser(c, "dns") },
  {
    name: "Zeek TSV conn",
    file: "flows/zeek_tsv/conn.log",
    make: (c) => new ZeekLogParser(c, "conn"),
  },
  { name: "Zeek JSON", file: "flows/zeek_json/conn.log", make: (c) => new ZeekLogParser(c, null) },
  {
    name: "Zeek JSON http",
    file: "alllogs/json/http.log",
    make: (c) => new ZeekLogParser(c, "http"),
  },
  { name: "Argus", file: "flows/argus.binetflow", make: (c) => new ArgusParser(c) },
  { name: "Suricata", file: "events/eve_events.jsonl", make: (c) => new SuricataParser(c) },
  { name: "Suricata flows", file: "flows/eve.jsonl", make: (c) => new SuricataParser(c) },
  { name: "nfdump CSV", file: "flows/nfdump.csv", make: (c) => new NfdumpCsvParser(c) },
];

for (const c of CASES) {
  Deno.test(`fuzz: ${c.name} parser survives random and mutated lines`, async () => {
    const source = (await Deno.readTextFile(fixture(c.file))).split("\n").filter((l) => l !== "");
    const header = source.filter((l) => l.startsWith("#") || /^(StartTime|ts,)/.test(l));
    const data = source.filter((l) => !header.includes(l) && l !== "Summary");
    const rnd = prng(0x5eed + c.name.length);
    const stats = emptyStats();
    let warnings = 0;
    const ctx = new ParseContext("fuzz", stats, () => warnings++, () => {});
    let parser = c.make(ctx);
    const out: FlowRecord[] = [];
    let lineNo = 0;
    const feed = (l: string) => {
      if (parser.ended) {
        parser = c.make(ctx);
        for (const h of header) parser.parse(h, ++lineNo, out);
      }
      parser.parse(l, ++lineNo, out);
    };
    for (const h of header) feed(h);
    for (let i = 0; i < ITERATIONS; i++) {
      const r = rnd();
      if (r < 0.1) feed(randomLine(rnd));
      else if (r < 0.15 && header.length > 0) {
        feed(mutate(header[Math.floor(rnd() * header.length)], rnd));
      } else feed(mutate(data[Math.floor(rnd() * data.length)], rnd));
      if (i % 50 === 0) feed(data[i % data.length]);
    }
    out.forEach(checkRecord);
    assert.equal(stats.badLines, warnings);
    assert.ok(warnings > 0, "mutations must produce some warnings");
    assert.ok(out.length > 0, "intact lines between mutations must still be read");
  });
}

Deno.test("fuzz: random files through recognition and reading never throw anything but InputError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rnd = prng(42);
    const seeds = await Promise.all(
      [
        "flows/zeek_tsv/conn.log",
        "flows/eve.jsonl",
        "flows/argus.binetflow",
        "flows/nfdump.csv",
        "flows/zeek_json/conn.log",
      ]
        .map((f) => Deno.readTextFile(fixture(f))),
    );
    for (let i = 0; i < 60; i++) {
      const base = seeds[i % seeds.length].split("\n");
      const lines = base.map((l) => (rnd() < 0.3 ? mutate(l, rnd) : l));
      if (rnd() < 0.2) lines.unshift(randomLine(rnd));
      const path = `${dir}/f${i}.log`;
      await Deno.writeTextFile(path, lines.join(rnd() < 0.5 ? "\n" : "\r\n"));
      try {
        const { records } = await readAll(path);
        records.forEach(checkRecord);
      } catch (e) {
        assert.equal((e as Error).name, "InputError", `file ${i}: ${(e as Error).stack}`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
