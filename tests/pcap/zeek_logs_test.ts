/** writeZeekLogsDir: Zeek TSV logs with proper headers, one row per record, readable back. */
import assert from "node:assert/strict";
import { SLIPS_DATA } from "../helpers/datasets.ts";
import { ofKind, runEngine } from "./engine_run.ts";

function parseLog(text: string) {
  const lines = text.split("\n").filter((l) => l !== "");
  const header = new Map<string, string>();
  const rows: string[][] = [];
  for (const l of lines) {
    if (l.startsWith("#")) {
      const sp = l.indexOf(l.startsWith("#separator") ? " " : "\t");
      header.set(l.slice(1, sp), l.slice(sp + 1));
    } else rows.push(l.split("\t"));
  }
  return { lines, header, rows };
}

Deno.test("Zeek TSV logs are written next to the records", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = await runEngine(`${SLIPS_DATA}/test7-malicious.pcap`, { writeZeekLogsDir: dir });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      "arp.log",
      "conn.log",
      "dhcp.log",
      "dns.log",
      "software.log",
      "ssh.log",
    ]);
    for (const name of names) {
      const kind = name.replace(".log", "") as "conn";
      const log = parseLog(await Deno.readTextFile(`${dir}/${name}`));
      assert.equal(log.lines[0], "#separator \\x09");
      assert.equal(log.header.get("set_separator"), ",");
      assert.equal(log.header.get("empty_field"), "(empty)");
      assert.equal(log.header.get("unset_field"), "-");
      assert.equal(log.header.get("path"), kind);
      assert.match(log.lines[log.lines.length - 1], /^#close\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/);
      const fields = log.header.get("fields")!.split("\t");
      assert.equal(log.header.get("types")!.split("\t").length, fields.length);
      assert.equal(
        log.rows.length,
        ofKind(run.records, kind).length,
        `${name}: one row per record`,
      );
      for (const row of log.rows) assert.equal(row.length, fields.length, `${name}: full rows`);
    }
    const conn = parseLog(await Deno.readTextFile(`${dir}/conn.log`));
    const fields = conn.header.get("fields")!.split("\t");
    assert.deepEqual(fields.slice(0, 12), [
      "ts",
      "uid",
      "id.orig_h",
      "id.orig_p",
      "id.resp_h",
      "id.resp_p",
      "proto",
      "service",
      "duration",
      "orig_bytes",
      "resp_bytes",
      "conn_state",
    ]);
    const first = ofKind(run.records, "conn")[0];
    const row = conn.rows[0];
    assert.equal(row[fields.indexOf("uid")], first.uid);
    assert.equal(row[fields.indexOf("ts")], first.ts.toFixed(6));
    assert.equal(row[fields.indexOf("conn_state")], first.state);
    assert.equal(Number(row[fields.indexOf("orig_ip_bytes")]), first.sipBytes);

    // The project's Zeek log reader takes the directory back.
    const { openInput } = await import("../../core/input/mod.ts");
    const reader = await openInput(dir, {
      onWarning: (w) => assert.fail(`${w.file}:${w.line} ${w.message}`),
    });
    const back = new Map<string, number>();
    for await (const batch of reader.batches()) {
      for (const r of batch) back.set(r.kind, (back.get(r.kind) ?? 0) + 1);
    }
    await reader.close();
    for (const kind of ["conn", "dns", "dhcp", "ssh", "arp", "software"] as const) {
      assert.equal(back.get(kind), ofKind(run.records, kind).length, `${kind} records read back`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
