/**
 * A growing Zeek directory: lines appended to a live log, a partial line completed later, a log
 * rotated away and replaced, a new log type appearing, and the end on abort.
 */
import assert from "node:assert/strict";
import { openInput } from "../../core/input/mod.ts";
import type { FlowRecord } from "../../core/records/records.ts";

const HEADER =
  "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n" +
  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\torig_pkts\tresp_pkts\n" +
  "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tcount\tcount\n";

const DNS_HEADER = "#separator \\x09\n#path\tdns\n" +
  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers\n" +
  "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]\n";

function row(i: number): string {
  return `${1600000000 + i}.000000\tCgrow${i}\t10.0.0.1\t${40000 + i}\t10.0.0.2\t80\ttcp\tSF\t3\t3`;
}

/** Waits for a condition, failing after a generous bound so a broken follower cannot hang CI. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

Deno.test("growing: follows appends, partial lines, rotation and new logs until aborted", async () => {
  const dir = await Deno.makeTempDir();
  const ctl = new AbortController();
  try {
    await Deno.writeTextFile(`${dir}/conn.log`, HEADER + row(1) + "\n" + row(2) + "\n");
    const warnings: string[] = [];
    const reader = await openInput(dir, {
      growing: true,
      signal: ctl.signal,
      onWarning: (w) => warnings.push(w.message),
    });
    const records: FlowRecord[] = [];
    const loop = (async () => {
      for await (const b of reader.batches()) records.push(...b);
    })();

    await until(() => records.length === 2, "the first two records");

    await Deno.writeTextFile(`${dir}/conn.log`, row(3) + "\n" + row(4).slice(0, 20), {
      append: true,
    });
    await until(() => records.length === 3, "an appended record");
    // The half-written line must wait for its end.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(records.length, 3);
    await Deno.writeTextFile(`${dir}/conn.log`, row(4).slice(20) + "\n", { append: true });
    await until(() => records.length === 4, "the completed partial line");

    // Rotation: the old file is closed and renamed, a fresh conn.log starts.
    await Deno.writeTextFile(`${dir}/conn.log`, row(5) + "\n#close\t2020-09-13-13-00-00\n", {
      append: true,
    });
    await Deno.rename(`${dir}/conn.log`, `${dir}/conn.2020-09-13-12-00-00.log`);
    await Deno.writeTextFile(`${dir}/conn.log`, HEADER + row(6) + "\n");
    await Deno.writeTextFile(
      `${dir}/dns.log`,
      DNS_HEADER +
        `1600000007.0\tCdns\t10.0.0.1\t5353\t10.0.0.2\t53\tudp\texample.com\t192.0.2.1\n`,
    );
    await until(() => records.length === 7, "records after rotation and from a new log");

    ctl.abort();
    await loop;
    assert.deepEqual(warnings, []);
    const uids = records.map((r) => r.uid);
    assert.deepEqual(uids.sort(), ["Cdns", ...[1, 2, 3, 4, 5, 6].map((i) => `Cgrow${i}`)].sort());
    assert.ok(reader.stats.bytesRead > 0);
    await reader.close();
  } finally {
    ctl.abort();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("growing: an empty directory waits for logs to appear", async () => {
  const dir = await Deno.makeTempDir();
  const ctl = new AbortController();
  try {
    const reader = await openInput(dir, { growing: true, signal: ctl.signal, onWarning: () => {} });
    const records: FlowRecord[] = [];
    const loop = (async () => {
      for await (const b of reader.batches()) records.push(...b);
    })();
    await Deno.writeTextFile(`${dir}/conn.log`, HEADER + row(1) + "\n");
    await until(() => records.length === 1, "a record from a log created after start");
    ctl.abort();
    await loop;
    assert.equal(records[0].uid, "Cgrow1");
  } finally {
    ctl.abort();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("growing: a path that is not a directory is an InputError", async () => {
  await assert.rejects(
    openInput("/nonexistent/zeek", { growing: true, onWarning: () => {} }),
    (e) => (e as Error).name === "InputError" && /not a directory/.test((e as Error).message),
  );
});
