/**
 * Every reader on every real (non-pcap) input of its kind in the shared datasets: no warnings,
 * the expected kinds of records, consistent stats.
 */
import assert from "node:assert/strict";
import { describeInput, InputError } from "../../core/input/mod.ts";
import { openNfdump } from "../../core/input/nfdump_reader.ts";
import type { FlowRecord } from "../../core/records/records.ts";
import { SLIPS_DATA } from "../helpers/datasets.ts";
import { readAll } from "./helpers.ts";

interface Case {
  path: string;
  format: string;
  /** Record kinds that must be present. */
  kinds: string[];
  /** Known malformed lines in the data itself: file suffix and line number. */
  knownBad?: { file: string; line: number }[];
}

const CASES: Case[] = [
  { path: "port-scans/horizontal/conn.log", format: "zeek-tsv", kinds: ["conn"] },
  { path: "port-scans/vertical/conn.log", format: "zeek-json", kinds: ["conn"] },
  {
    path: "test9-mixed-zeek-dir",
    format: "zeek-dir",
    kinds: [
      "conn",
      "dns",
      "http",
      "ssl",
      "x509",
      "files",
      "smtp",
      "software",
      "arp",
      "dhcp",
      "notice",
    ],
  },
  {
    path: "test10-mixed-zeek-dir",
    format: "zeek-dir",
    kinds: ["conn", "dns", "ssl", "x509", "files", "notice", "weird"],
    // A hand-edited notice line with 23 of the 26 columns (fields run together with spaces).
    knownBad: [{ file: "notice.log", line: 21 }],
  },
  { path: "test10-mixed-zeek-dir/conn.log", format: "zeek-tsv", kinds: ["conn"] },
  { path: "test13-malicious-dhcpscan-zeek-dir", format: "zeek-dir", kinds: ["conn", "dhcp"] },
  {
    path: "test14-malicious-zeek-dir",
    format: "zeek-dir",
    kinds: ["conn", "http", "smtp", "tunnel"],
  },
  { path: "test15-malicious-zeek-dir", format: "zeek-dir", kinds: ["conn", "software", "ssl"] },
  { path: "test16-malicious-zeek-dir", format: "zeek-dir", kinds: ["arp"] },
  {
    path: "test18-malicious-ctu-sme-11-win/zeek-labeled",
    format: "zeek-dir",
    kinds: ["conn", "dns", "ssl", "dhcp", "notice"],
  },
  { path: "test2-malicious.binetflow", format: "argus", kinds: ["conn"] },
  { path: "test3-mixed.binetflow", format: "argus", kinds: ["conn"] },
  { path: "test4-malicious.binetflow", format: "argus", kinds: ["conn"] },
  { path: "test5-mixed.binetflow", format: "argus", kinds: ["conn"] },
  { path: "test11-portscan.binetflow", format: "argus", kinds: ["conn"] },
  {
    path: "test6-malicious.suricata.json",
    format: "suricata",
    kinds: ["conn", "dns", "http", "ssl", "files", "ids_alert"],
  },
];

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.stat(p);
    return true;
  } catch {
    return false;
  }
}

async function hasNfdump(): Promise<boolean> {
  try {
    const out = await new Deno.Command("nfdump", { args: ["-V"], stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

for (const c of CASES) {
  Deno.test(`datasets: ${c.path}`, async () => {
    const path = `${SLIPS_DATA}/${c.path}`;
    if (!(await exists(path))) {
      // The dataset folder is optional for developers; CI has it.
      console.warn(`skipped: ${path} is missing`);
      return;
    }
    const info = await describeInput(path);
    assert.equal(info.format, c.format);
    const { records, warnings, reader } = await readAll(path);
    const unexpected = warnings.filter((w) =>
      !(c.knownBad ?? []).some((k) => w.file.endsWith(k.file) && w.line === k.line)
    );
    assert.deepEqual(unexpected.map((w) => w.message), []);
    assert.equal(warnings.length, c.knownBad?.length ?? 0);
    const kinds = new Set(records.map((r) => r.kind));
    for (const k of c.kinds) {
      assert.ok(kinds.has(k as FlowRecord["kind"]), `${c.path}: no ${k} record`);
    }
    assert.equal(reader.stats.records, records.length);
    assert.equal(reader.stats.bytesRead, reader.stats.totalBytes);
    for (const r of records) {
      assert.ok(Number.isFinite(r.ts), `${c.path}: a record without a time`);
      if (r.kind === "conn") {
        assert.ok(r.saddr !== "" && r.daddr !== "", `${c.path}: conn without addresses`);
      }
    }
  });
}

Deno.test("datasets: labelled CTU logs carry their labels", async () => {
  const path = `${SLIPS_DATA}/test18-malicious-ctu-sme-11-win/zeek-labeled`;
  if (!(await exists(path))) return;
  const { records } = await readAll(path);
  const labels = new Set(records.map((r) => r.label));
  assert.ok(labels.has("Malicious"));
  assert.ok(labels.has("Benign"));
});

Deno.test("datasets: MACs from conn.log orig_l2_addr/resp_l2_addr", async () => {
  const path = `${SLIPS_DATA}/port-scans/vertical/conn.log`;
  if (!(await exists(path))) return;
  const { records } = await readAll(path);
  const c = records[0];
  assert.equal(c.kind, "conn");
  if (c.kind === "conn") {
    assert.equal(c.smac, "c4:23:60:3d:fd:d3");
    assert.equal(c.dmac, "50:78:b3:b0:08:ec");
  }
});

Deno.test("datasets: Argus without SrcPkts and with non-IP rows", async () => {
  const noSrcPkts = `${SLIPS_DATA}/test4-malicious.binetflow`;
  if (!(await exists(noSrcPkts))) return;
  const a = await readAll(noSrcPkts);
  assert.ok(a.records.every((r) => r.kind === "conn" && r.spkts === 0));
  const mixed = await readAll(`${SLIPS_DATA}/test5-mixed.binetflow`);
  assert.ok(mixed.records.every((r) => r.proto !== "man" && r.proto !== "llc"));
  assert.ok(mixed.notices.some((n) => n.includes('"man"')));
});

Deno.test("datasets: nfdump binary through the nfdump program", async () => {
  const path = `${SLIPS_DATA}/test1-malicious.nfdump`;
  if (!(await exists(path))) return;
  const info = await describeInput(path);
  assert.equal(info.format, "nfdump");
  if (!(await hasNfdump())) {
    await assert.rejects(readAll(path), (e) => e instanceof InputError && /nfdump/.test(e.message));
    return;
  }
  const { records, warnings, reader } = await readAll(path);
  assert.deepEqual(warnings, []);
  assert.ok(records.length > 1000);
  for (let i = 1; i < records.length; i++) assert.ok(records[i - 1].ts <= records[i].ts);
  assert.ok(records.every((r) => r.kind === "conn" && r.source === "nfdump"));
  assert.ok(records.some((r) => r.kind === "conn" && r.interpreted === "Established"));
  assert.equal(reader.stats.bytesRead, reader.stats.totalBytes);
});

Deno.test("datasets: a missing nfdump program is an InputError naming the Debian package", () => {
  // Changing PATH would disturb tests running in parallel; the reader takes the program name.
  assert.throws(
    () =>
      openNfdump(
        "x.nfcapd",
        0,
        "nfdump file x.nfcapd",
        { onWarning: () => {} },
        "nfdump-not-installed",
      ),
    (e) => e instanceof InputError && /Debian package nfdump/.test(e.message),
  );
});

Deno.test("datasets: nfdump's own complaint is passed on when it reads nothing", async () => {
  if (!(await hasNfdump())) return;
  const dir = await Deno.makeTempDir();
  try {
    // nfdump magic followed by garbage: recognised as nfdump, rejected by nfdump itself.
    const bytes = new Uint8Array(512).fill(0x41);
    bytes.set([0x0c, 0xa5, 0x09, 0x00]);
    await Deno.writeFile(`${dir}/broken.nfcapd`, bytes);
    const { records, warnings } = await readAll(`${dir}/broken.nfcapd`);
    assert.equal(records.length, 0);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /nfdump reported/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
