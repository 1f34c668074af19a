/**
 * Measures the Zeek conn parse rate: writes N synthetic conn lines (TSV and JSON) to a scratch
 * directory and reads them back through openInput.
 *
 *   deno run -A tools/bench_inputs.ts [lines=1000000] [dir=/tmp/slips-input-bench]
 */
import { openInput } from "../core/input/mod.ts";
import { ZEEK_CONN_FIELDS } from "../core/input/zeek_log_types.ts";

const lines = Number(Deno.args[0] ?? 1_000_000);
const dir = Deno.args[1] ?? "/tmp/slips-input-bench";
await Deno.mkdir(`${dir}/tsv`, { recursive: true });
await Deno.mkdir(`${dir}/json`, { recursive: true });

const STATES = ["SF", "S0", "REJ", "RSTO", "OTH", "S1", "RSTR"];

function row(i: number): string[] {
  const ts = (1_600_000_000 + i * 0.001).toFixed(6);
  return [
    ts,
    `C${i.toString(36).padStart(17, "x")}`,
    `10.0.${(i >> 8) & 255}.${i & 255}`,
    String(1024 + (i % 60000)),
    `93.184.${(i >> 4) & 255}.${(i * 7) & 255}`,
    String([80, 443, 53, 22][i % 4]),
    i % 5 === 0 ? "udp" : "tcp",
    i % 3 === 0 ? "-" : "http",
    (i % 1000 / 7).toFixed(6),
    String(i % 5000),
    String(i % 90000),
    STATES[i % STATES.length],
    "-",
    "-",
    "0",
    "ShADadFf",
    String(i % 40),
    String(i % 7000),
    String(i % 50),
    String(i % 95000),
    "-",
  ];
}

const FIELDS = ZEEK_CONN_FIELDS;

async function write(path: string, render: (i: number) => string, header: string) {
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  await f.write(enc.encode(header));
  let buf: string[] = [];
  for (let i = 0; i < lines; i++) {
    buf.push(render(i));
    if (buf.length === 10000) {
      await f.write(enc.encode(buf.join("\n") + "\n"));
      buf = [];
    }
  }
  if (buf.length) await f.write(enc.encode(buf.join("\n") + "\n"));
  f.close();
}

const tsvHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n" +
  `#path\tconn\n#fields\t${FIELDS.join("\t")}\n#types\t${FIELDS.map(() => "string").join("\t")}\n`;
await write(`${dir}/tsv/conn.log`, (i) => row(i).join("\t"), tsvHeader);
await write(`${dir}/json/conn.log`, (i) => {
  const r = row(i);
  const o: Record<string, string | number> = {};
  FIELDS.forEach((f, k) => {
    if (r[k] === "-") return;
    const n = Number(r[k]);
    o[f] = k === 1 || k === 2 || k === 4 || Number.isNaN(n) ? r[k] : n;
  });
  return JSON.stringify(o);
}, "");

for (const kind of ["tsv", "json"]) {
  for (const path of [`${dir}/${kind}/conn.log`, `${dir}/${kind}`]) {
    const t0 = performance.now();
    const r = await openInput(path, { onWarning: (w) => console.error(w.message) });
    let n = 0;
    for await (const b of r.batches()) n += b.length;
    const s = (performance.now() - t0) / 1000;
    console.log(
      `${kind.padEnd(4)} ${path.endsWith(".log") ? "file" : "dir "}: ${n} records in ${
        s.toFixed(2)
      } s = ${Math.round(n / s)} lines/s (bad ${r.stats.badLines})`,
    );
  }
}
