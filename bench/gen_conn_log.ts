/**
 * A realistic Zeek TSV conn.log for benchmarks: mostly normal clients talking to web, DNS and
 * mail servers, a few scanners (horizontal and vertical), and some long connections. Seeded, so
 * every run measures the same input.
 */
import { ZEEK_CONN_FIELDS } from "../core/input/zeek_log_types.ts";

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
  `#fields\t${ZEEK_CONN_FIELDS.join("\t")}`,
  "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]",
].join("\n");

const APP_HEADERS: Record<string, string> = {
  dns:
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\tqclass_name\tqtype_name\trcode_name\tanswers\tTTLs",
  http:
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\thost\turi\tversion\tuser_agent\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\tresp_mime_types",
  ssl:
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcipher\tserver_name\testablished\tsubject\tissuer\tvalidation_status",
};

/**
 * Writes `flows` conn records to `path`. With `appDir`, also writes dns.log, http.log and ssl.log
 * there for the DNS, HTTP and TLS flows (one application record per such flow, same uid), and
 * the conn.log goes to `appDir/conn.log`.
 */
export async function generateConnLog(
  path: string,
  flows: number,
  seed = 42,
  appDir?: string,
): Promise<void> {
  const app = appDir
    ? Object.fromEntries(
      await Promise.all(
        Object.keys(APP_HEADERS).map(async (k) => {
          const f = await Deno.open(`${appDir}/${k}.log`, {
            write: true,
            create: true,
            truncate: true,
          });
          await f.write(new TextEncoder().encode(
            `#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t${k}\n${
              APP_HEADERS[k]
            }\n`,
          ));
          return [k, { file: f, lines: [] as string[] }];
        }),
      ),
    ) as Record<string, { file: Deno.FsFile; lines: string[] }>
    : undefined;
  const domains = Array.from({ length: 400 }, (_, i) => `site${i}.example${i % 7}.com`);
  const resolved = new Set<string>();
  let pendingConn: { c: string; d: string } | undefined;
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
  // A steady 300 flows/s, as on a busy small network: a bigger file is a longer capture, not a
  // denser one, which is what shows whether memory stays flat as windows close.
  const secondsPerFlow = 1 / 300;
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
      const known = [...resolved];
      const server = known.length
        ? servers[domains.indexOf(known[Math.floor(rnd() * known.length)]) % servers.length]
        : pick(servers);
      line = `${ts.toFixed(6)}\t${uid}\t${c}\t${1024 + (i % 60000)}\t${server}\t443\ttcp\tssl\t${
        dur.toFixed(6)
      }\t${Math.floor(rnd() * 1e6)}\t${Math.floor(rnd() * 1e7)}\tSF\tT\tF\t0\tShADadFf\t${
        100 + Math.floor(rnd() * 1000)
      }\t90000\t${100 + Math.floor(rnd() * 1000)}\t900000\t-`;
    } else {
      // Normal traffic: a client looks a name up, then talks to the address it got back, the way
      // real hosts do (so the DNS/connection cross-checks see what they would see on a LAN).
      let c: string;
      let d: string;
      let svc: [number, string, string];
      if (pendingConn) {
        ({ c, d } = pendingConn);
        pendingConn = undefined;
        svc = pick(services.filter((x) => x[2] !== "dns"));
      } else {
        c = pick(clients);
        d = pick(domains);
        svc = pick(services);
        if (svc[2] !== "dns" && !resolved.has(d)) svc = services.find((x) => x[2] === "dns")!;
      }
      const [port, proto, service] = svc;
      const ok = service === "dns" || rnd() > 0.05;
      const sb = Math.floor(rnd() * 2000);
      const db = Math.floor(rnd() * 20000);
      const sp = 2 + Math.floor(rnd() * 20);
      const dp = 2 + Math.floor(rnd() * 30);
      const serverOfD = servers[domains.indexOf(d) % servers.length];
      const dst = service === "dns" ? "10.1.0.1" : serverOfD;
      const sp0 = 1024 + (i % 60000);
      if (service === "dns") {
        resolved.add(d);
        pendingConn = { c, d };
      }
      if (app && ok) {
        const head = `${ts.toFixed(6)}\t${uid}\t${c}\t${sp0}\t${dst}\t${port}`;
        if (service === "dns") {
          app.dns.lines.push(
            `${head}\tudp\t${i & 0xffff}\t${d}\tC_INTERNET\tA\tNOERROR\t${serverOfD}\t300.000000`,
          );
        } else if (service === "http") {
          app.http.lines.push(
            `${head}\tGET\t${d}\t/index.html\t1.1\tMozilla/5.0 (Windows NT 10.0; Win64; x64)\t0\t${db}\t200\tOK\ttext/html`,
          );
        } else if (service === "ssl") {
          app.ssl.lines.push(
            `${head}\tTLSv12\tTLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\t${d}\tT\tCN=${d}\tCN=Example CA\tok`,
          );
        }
      }
      line = `${ts.toFixed(6)}\t${uid}\t${c}\t${sp0}\t${dst}\t${port}\t${proto}\t${service}\t${
        (rnd() * 5).toFixed(6)
      }\t${ok ? sb : 0}\t${ok ? db : 0}\t${ok ? "SF" : "S0"}\tT\tF\t0\t${
        ok ? "ShADadFf" : "S"
      }\t${sp}\t${sp * 40 + sb}\t${ok ? dp : 0}\t${ok ? dp * 40 + db : 0}\t-`;
    }
    chunk.push(line);
    if (chunk.length >= 10_000) {
      await file.write(enc.encode(chunk.join("\n") + "\n"));
      chunk = [];
      if (app) {
        for (const a of Object.values(app)) {
          if (a.lines.length) await a.file.write(enc.encode(a.lines.join("\n") + "\n"));
          a.lines = [];
        }
      }
    }
  }
  chunk.push("#close\t2024-01-02-00-00-00");
  await file.write(enc.encode(chunk.join("\n") + "\n"));
  file.close();
  if (app) {
    for (const a of Object.values(app)) {
      if (a.lines.length) await a.file.write(enc.encode(a.lines.join("\n") + "\n"));
      a.file.close();
    }
  }
}

if (import.meta.main) {
  const [path, n, dir] = Deno.args;
  await generateConnLog(path, Number(n ?? 1_000_000), 42, dir);
}
