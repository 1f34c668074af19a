/**
 * Broken input: each bad line is counted and reported with its file and line, the good lines
 * around it are kept; inputs with nothing readable are an InputError with a clear sentence.
 */
import assert from "node:assert/strict";
import { describeInput, InputError, openInput } from "../../core/input/mod.ts";
import type { InputWarning } from "../../core/input/reader.ts";
import { fixture, readAll } from "./helpers.ts";

function lines(ws: InputWarning[]): number[] {
  return ws.map((w) => w.line);
}

function assertNamed(ws: InputWarning[], file: string) {
  for (const w of ws) {
    assert.equal(w.file, fixture(file));
    assert.ok(w.message.includes(fixture(file)), `message names the file: ${w.message}`);
    assert.ok(w.message.includes(`line ${w.line}`), `message names the line: ${w.message}`);
    assert.match(w.message, /expected|not valid/, "message says what was expected");
  }
}

Deno.test("bad input: Zeek TSV truncated, wrong field count, non-UTF-8, non-numeric, bad ts", async () => {
  const { records, warnings, reader } = await readAll(fixture("bad/conn_bad.log"));
  // Header lines are 1-8; data starts at line 9.
  assert.deepEqual(lines(warnings), [10, 11, 13, 14, 15]);
  assertNamed(warnings, "bad/conn_bad.log");
  assert.match(warnings[0].message, /expected 23 tab-separated fields .* found 7/);
  assert.match(warnings[2].message, /UTF-8/);
  assert.match(warnings[3].message, /number in the orig_bytes field/);
  assert.match(warnings[4].message, /timestamp/);
  assert.deepEqual(records.map((r) => r.uid), [
    "CFix0aaaaaaaaaaaaa",
    "CFix1aaaaaaaaaaaaa",
    "CFix4aaaaaaaaaaaaa",
  ]);
  assert.equal(reader.stats.badLines, 5);
  assert.equal(reader.stats.records, 3);
  assert.equal(reader.stats.linesRead, 16);
});

Deno.test("bad input: Zeek JSON truncated, not an object, non-numeric, non-UTF-8", async () => {
  const { records, warnings, reader } = await readAll(fixture("bad/conn_bad.json.log"));
  assert.deepEqual(lines(warnings), [2, 3, 4, 5]);
  assertNamed(warnings, "bad/conn_bad.json.log");
  assert.equal(records.length, 2);
  assert.equal(reader.stats.badLines, 4);
});

Deno.test("bad input: a TSV log without #fields header warns on every line", async () => {
  const { records, warnings } = await readAll(fixture("bad/no_header.log"));
  assert.equal(records.length, 0);
  assert.deepEqual(lines(warnings), [1, 2, 3, 4, 5]);
  assert.match(warnings[0].message, /#fields header/);
});

Deno.test("bad input: Argus short row, bad time, bad number", async () => {
  const { records, warnings } = await readAll(fixture("bad/argus_bad.binetflow"));
  assert.deepEqual(lines(warnings), [3, 4, 5]);
  assertNamed(warnings, "bad/argus_bad.binetflow");
  assert.equal(records.length, 2);
  assert.match(warnings[2].message, /SrcBytes/);
});

Deno.test("bad input: Suricata invalid timestamp and invalid JSON", async () => {
  const { records, warnings } = await readAll(fixture("bad/eve_bad.jsonl"));
  assert.deepEqual(lines(warnings), [2, 3]);
  assertNamed(warnings, "bad/eve_bad.jsonl");
  assert.match(warnings[0].message, /timestamp/);
  assert.equal(records.length, 2);
});

Deno.test("bad input: nfdump CSV short row", async () => {
  const { records, warnings } = await readAll(fixture("bad/nfdump_bad.csv"));
  assert.deepEqual(lines(warnings), [3]);
  assertNamed(warnings, "bad/nfdump_bad.csv");
  assert.equal(records.length, 2);
});

const UNREADABLE: [string, RegExp][] = [
  ["bad/empty.log", /is empty/],
  ["bad/nologs_dir", /holds no Zeek log/],
  ["bad/not_a_log.txt", /not a flow log/],
  ["bad/binary.bin", /binary and not a format/],
  ["bad/does-not-exist.log", /does not exist/],
];

for (const [rel, re] of UNREADABLE) {
  Deno.test(`bad input: ${rel} is an InputError`, async () => {
    await assert.rejects(
      describeInput(fixture(rel)),
      (e) => e instanceof InputError && re.test(e.message),
    );
    await assert.rejects(
      openInput(fixture(rel), { onWarning: () => {} }),
      (e) => e instanceof InputError && e.message.includes(fixture(rel)),
    );
  });
}

Deno.test("bad input: a single log of a type that is not analysed is an InputError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/reporter.log`,
      "#separator \\x09\n#path\treporter\n#fields\tts\tlevel\n#types\ttime\tenum\n1.0\tINFO\n",
    );
    await assert.rejects(
      describeInput(`${dir}/reporter.log`),
      (e) => e instanceof InputError && /"reporter" log/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad input: a damaged gzip log is reported and reading goes on", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = await Deno.readFile(fixture("rotated/conn.12:00:00-13:00:00.log.gz"));
    // Cut the compressed stream in the middle.
    await Deno.writeFile(`${dir}/conn.1.log.gz`, good.slice(0, Math.floor(good.length * 0.6)));
    await Deno.copyFile(fixture("rotated/conn.log"), `${dir}/conn.log`);
    const { records, warnings } = await readAll(dir);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /conn\.1\.log\.gz.*could not be read/);
    assert.ok(records.length >= 2, "the intact log is still read");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
