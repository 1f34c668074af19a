/** Input recognition from content: magic numbers, gzip, and the text formats' first lines. */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { describeInput } from "../../core/input/mod.ts";
import { classifyText } from "../../core/input/detect.ts";
import { fixture } from "./helpers.ts";

async function withFile(
  name: string,
  content: Uint8Array | string,
  fn: (path: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/${name}`;
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const PCAP_MAGICS: [string, number[]][] = [
  ["pcap big-endian", [0xa1, 0xb2, 0xc3, 0xd4]],
  ["pcap little-endian", [0xd4, 0xc3, 0xb2, 0xa1]],
  ["pcap nanosecond", [0xa1, 0xb2, 0x3c, 0x4d]],
  ["pcap nanosecond little-endian", [0x4d, 0x3c, 0xb2, 0xa1]],
  ["pcapng", [0x0a, 0x0d, 0x0d, 0x0a]],
];

for (const [name, magic] of PCAP_MAGICS) {
  Deno.test(`detect: ${name} magic is a packet capture, whatever the name`, async () => {
    const bytes = new Uint8Array(64);
    bytes.set(magic);
    await withFile("capture.txt", bytes, async (p) => {
      const info = await describeInput(p);
      assert.equal(info.kind, "pcap");
      assert.equal(info.format, "pcap");
      assert.equal(info.size, 64);
    });
  });
}

Deno.test("detect: nfdump magic, and nfcapd names with binary content", async () => {
  const bytes = new Uint8Array(32);
  bytes.set([0x0c, 0xa5, 0x01, 0x00]);
  await withFile("flows.bin", bytes, async (p) => {
    assert.equal((await describeInput(p)).format, "nfdump");
  });
  const other = new Uint8Array([1, 2, 0, 4, 5]);
  await withFile("nfcapd.202001010000", other, async (p) => {
    assert.equal((await describeInput(p)).format, "nfdump");
  });
});

Deno.test("detect: gzip files are recognised by what they hold", async () => {
  const eve = await Deno.readFile(fixture("flows/eve.jsonl"));
  await withFile("eve.json.gz", gzipSync(eve), async (p) => {
    const info = await describeInput(p);
    assert.equal(info.format, "suricata");
    assert.equal(info.gzip, true);
  });
});

Deno.test("detect: text formats from their first lines", () => {
  const cases: [string, string][] = [
    ["#separator \\x09\n#fields\tts\tuid\n1.0\tC1\n", "zeek-tsv"],
    ["\t#separator \\x09\n#fields\tts\n", "zeek-tsv"],
    ['{"ts":1.0,"uid":"C1"}\n', "zeek-json"],
    ['{"timestamp":"2021-01-01T00:00:00","flow_id":1,"event_type":"flow"}\n', "suricata"],
    ["StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr\n", "argus"],
    ["StartTime\tDur\tProto\tSrcAddr\n", "argus"],
    [
      "2019/04/04 16:23:00.3,0.02,udp,10.8.0.69,48427,  <->,8.8.8.8,53,CON,0,0,2,142,63,1,\n",
      "argus",
    ],
    ["ts,te,td,sa,da,sp,dp,pr\n", "nfdump-csv"],
    [
      "2018-01-12 15:37:30,2018-01-12 15:37:30,0.000,1.2.3.4,5.6.7.8,1,2,TCP,......S.\n",
      "nfdump-csv",
    ],
    ["1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\n", "zeek-tsv"],
    ["hello world\n", "unknown"],
    ["", "unknown"],
  ];
  for (const [text, want] of cases) {
    assert.equal(classifyText(text, false).format, want, JSON.stringify(text));
  }
});

Deno.test("detect: descriptions say what is read", async () => {
  const dir = await describeInput(fixture("alllogs/tsv"));
  assert.match(dir.description, /Zeek log directory .*conn/);
  const tsv = await describeInput(fixture("flows/zeek_tsv/conn.log"));
  assert.match(tsv.description, /^Zeek TSV conn log /);
  assert.equal(tsv.zeekType, "conn");
  const argus = await describeInput(fixture("flows/argus.binetflow"));
  assert.match(argus.description, /^Argus binetflow /);
  assert.ok(argus.size > 0);
});
