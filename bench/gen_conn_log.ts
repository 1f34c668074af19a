/**
 * A realistic Zeek TSV conn.log for benchmarks: mostly normal clients talking to web, DNS and
 * mail servers, a few scanners (horizontal and vertical), and some long connections. Seeded, so
 * every run measures the same input.
 */

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = [
  "#separator \\x09",
  "#set_separator\t,",
  "#empty_field\t(empty)",
  "#unset_field\t-",
  "#path\tconn",
  "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents",
  "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]",
].join("\n");

export async function generateConnLog(path: string, flows: number, seed = 42): Promise<void> {
  const rnd = prng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
  const clients = Array.from({ length: 500 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
  const servers = Array.from(
    { length: 3000 },
    (_, i) => `93.${(i >> 8) & 255}.${i & 255}.${7 + (i % 200)}`,
  );
  const scanners = ["10.9.0.1", "10.9.0.2", "10.9.0.3"];
  const services: [number, string, string][] = [
    [443, "tcp", "ssl"],
    [80, "tcp", "http"],
    [53, "udp", "dns"],
    [25, "tcp", "smtp"],
    [22, "tcp", "ssh"],
    [123, "udp", "-"],
  ];
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let chunk: string[] = [HEADER];
  let ts = 1_704_067_200;
  const secondsPerFlow = (24 * 3600) / flows; // one day of traffic whatever the size
  for (let i = 0; i < flows; i++) {
    ts += secondsPerFlow * (0.5 + rnd());
    const r = rnd();
    let line: string;
    const uid = `C${i.toString(36)}x${Math.floor(rnd() * 1e6).toString(36)}`;
    if (r < 0.02) {
      // Scanner: many ports / hosts, not established.
      const s = pick(scanners);
      const vertical = s.endsWith(".1");
      const dst = vertical
        ? "10.1.0.7"
        : `10.1.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 255)}`;
      const dport = vertical ? 1 + Math.floor(rnd() * 65535) : 445;
      line = `${ts.toFixed(6)}\t${uid}\t${s}\t${
        40000 + (i % 20000)
      }\t${dst}\t${dport}\ttcp\t-\t-\t-\t-\tS0\tT\tT\t0\tS\t1\t44\t0\t0\t-`;
    } else if (r < 0.025) {
      // Long connection.
      const c = pick(clients);
      const dur = 1500 + rnd() * 20000;
      line = `${ts.toFixed(6)}\t${uid}\t${c}\t${1024 + (i % 60000)}\t${
        pick(servers)
      }\t443\ttcp\tssl\t${dur.toFixed(6)}\t${Math.floor(rnd() * 1e6)}\t${
        Math.floor(rnd() * 1e7)
      }\tSF\tT\tF\t0\tShADadFf\t${100 + Math.floor(rnd() * 1000)}\t90000\t${
        100 + Math.floor(rnd() * 1000)
      }\t900000\t-`;
    } else {
      const [port, proto, service] = pick(services);
      const c = pick(clients);
      const ok = rnd() > 0.05;
      const sb = Math.floor(rnd() * 2000);
      const db = Math.floor(rnd() * 20000);
      const sp = 2 + Math.floor(rnd() * 20);
      const dp = 2 + Math.floor(rnd() * 30);
      line = `${ts.toFixed(6)}\t${uid}\t${c}\t${1024 + (i % 60000)}\t${
        port === 53 ? "10.1.0.1" : pick(servers)
      }\t${port}\t${proto}\t${service}\t${(rnd() * 5).toFixed(6)}\t${ok ? sb : 0}\t${
        ok ? db : 0
      }\t${ok ? "SF" : "S0"}\tT\tF\t0\t${ok ? "ShADadFf" : "S"}\t${sp}\t${sp * 40 + sb}\t${
        ok ? dp : 0
      }\t${ok ? dp * 40 + db : 0}\t-`;
    }
    chunk.push(line);
    if (chunk.length >= 10_000) {
      await file.write(enc.encode(chunk.join("\n") + "\n"));
      chunk = [];
    }
  }
  chunk.push("#close\t2024-01-02-00-00-00");
  await file.write(enc.encode(chunk.join("\n") + "\n"));
  file.close();
}

if (import.meta.main) {
  const [path, n] = Deno.args;
  await generateConnLog(path, Number(n ?? 1_000_000));
}
