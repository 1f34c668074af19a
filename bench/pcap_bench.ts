/**
 * Packet engine throughput: openPcap over the shared Slips captures and over two larger synthetic
 * captures (many short application sessions; a few long transfers), against
 * `tshark -q -z conv,tcp -r FILE` on the same files in the same run.
 *
 *   deno run -A bench/pcap_bench.ts [sessions]     (default 60000 synthetic sessions)
 *
 * Packets/s counts captured frames; Mbit/s is the capture file's size in bits per second.
 * tshark's times include its start-up (about half a second), which dominates the small files.
 */
import { openPcap } from "../core/input/pcap/mod.ts";
import { PcapWriter } from "../core/input/pcap/pcap_writer.ts";
import { SLIPS_DATA } from "../tests/helpers/datasets.ts";
import { writeBulkFlows, writeTrafficMix } from "../tests/pcap/traffic_mix.ts";

const sessions = Number(Deno.args[0] ?? 60000);
const RUNS = 3;

async function engineSeconds(
  path: string,
): Promise<{ secs: number; packets: number; records: number }> {
  let best = Infinity;
  let packets = 0;
  let records = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const reader = await openPcap(path, { onWarning: () => {}, onNotice: () => {} });
    let n = 0;
    for await (const batch of reader.batches()) n += batch.length;
    const secs = (performance.now() - t0) / 1000;
    best = Math.min(best, secs);
    packets = reader.stats.linesRead;
    records = n;
  }
  return { secs: best, packets, records };
}

async function tsharkSeconds(path: string): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const out = await new Deno.Command("tshark", {
      args: ["-n", "-q", "-z", "conv,tcp", "-r", path],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) return NaN;
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

async function haveTshark(): Promise<boolean> {
  try {
    return (await new Deno.Command("tshark", { args: ["-v"], stdout: "null", stderr: "null" })
      .output())
      .success;
  } catch {
    return false;
  }
}

function generated(path: string, fill: (w: PcapWriter) => void): number {
  const file = Deno.openSync(path, { write: true, create: true, truncate: true });
  const w = new PcapWriter((chunk) => {
    let o = 0;
    while (o < chunk.length) o += file.writeSync(chunk.subarray(o));
  });
  fill(w);
  w.finish();
  file.close();
  return w.packets;
}

const files = [
  "test7-malicious.pcap",
  "test8-malicious.pcap",
  "test12-icmp-portscan.pcap",
  "test19-malicious-ssh/malicious-ssh-bruteforce.pcap",
  "test-cc/test-cc-capture-1.pcap",
  "test-cc/test-cc-capture-2.pcap",
].map((f) => ({ name: f, path: `${SLIPS_DATA}/${f}` }));

const synthetic = await Deno.makeTempFile({ prefix: "pcap-bench-", suffix: ".pcap" });
const bulk = await Deno.makeTempFile({ prefix: "pcap-bench-bulk-", suffix: ".pcap" });
try {
  generated(synthetic, (w) => writeTrafficMix(w, sessions, 1234));
  files.push({ name: `synthetic mix (${sessions} short sessions)`, path: synthetic });
  generated(bulk, (w) => writeBulkFlows(w, 300, 1_000_000, 99));
  files.push({ name: "synthetic bulk (300 transfers of 1 MB)", path: bulk });
  const tshark = await haveTshark();
  if (!tshark) {
    console.warn("tshark is not installed (apt-get install -y tshark); only the engine is timed.");
  }

  const rows: string[][] = [[
    "capture",
    "packets",
    "MB",
    "engine s",
    "engine pkt/s",
    "engine Mbit/s",
    "tshark s",
    "tshark pkt/s",
    "tshark Mbit/s",
    "engine/tshark",
  ]];
  for (const f of files) {
    const size = (await Deno.stat(f.path)).size;
    const e = await engineSeconds(f.path);
    const t = tshark ? await tsharkSeconds(f.path) : NaN;
    const mbit = (secs: number) => (size * 8 / secs / 1e6).toFixed(1);
    const pps = (secs: number) => Math.round(e.packets / secs).toLocaleString("en-US");
    rows.push([
      f.name,
      e.packets.toLocaleString("en-US"),
      (size / 1e6).toFixed(1),
      e.secs.toFixed(3),
      pps(e.secs),
      mbit(e.secs),
      Number.isNaN(t) ? "-" : t.toFixed(3),
      Number.isNaN(t) ? "-" : pps(t),
      Number.isNaN(t) ? "-" : mbit(t),
      Number.isNaN(t) ? "-" : `${(t / e.secs).toFixed(1)}x faster`,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, r] of rows.entries()) {
    console.log(
      r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join(" | "),
    );
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  }
  console.log(`\nBest of ${RUNS} runs each; engine times are in-process (no Deno start-up).`);
} finally {
  await Deno.remove(synthetic);
  await Deno.remove(bulk);
}
