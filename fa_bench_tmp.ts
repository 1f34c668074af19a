import { EmbeddedDatabase } from "./core/database/embedded.ts";
import { SectionConfig } from "./core/config/module_config.ts";
import FlowAlerts from "./modules/flow_alerts/flow_alerts.ts";
import { emptyConn } from "./core/records/defaults.ts";
import { zeekState } from "./core/records/state.ts";
import type { ConnRecord, Profiled } from "./core/records/records.ts";

const text = Deno.readTextFileSync("/tmp/fa_conn_1m.log");
const recs: Profiled<ConnRecord>[] = [];
let t0 = 0;
for (const line of text.split("\n")) {
  if (line === "" || line[0] === "#") continue;
  const f = line.split("\t");
  const c = emptyConn("zeek") as Profiled<ConnRecord>;
  c.ts = Number(f[0]); c.uid = f[1]; c.saddr = f[2]; c.sport = Number(f[3]); c.daddr = f[4]; c.dport = Number(f[5]);
  c.proto = f[6]; c.appproto = f[7] === "-" ? "" : f[7]; c.dur = Number(f[8]) || 0; c.sbytes = Number(f[9]) || 0; c.dbytes = Number(f[10]) || 0;
  c.state = f[11]; c.history = f[15]; c.spkts = Number(f[16]); c.dpkts = Number(f[18]);
  c.interpreted = zeekState(c.state, c.spkts + c.dpkts);
  if (!t0) t0 = c.ts;
  c.profileid = `profile_${c.saddr}`; c.twid = Math.floor((c.ts - t0) / 3600) + 1;
  recs.push(c);
}
const db = new EmbeddedDatabase();
let n = 0;
await db.subscribe("evidence_added", "x", (b) => { n += b.length; });
const m = new FlowAlerts();
m.attach(db, new SectionConfig({}, "flow_alerts"), { outputDir: "/tmp", twWidth: 3600, clientIps: [], inputType: "directory", homeDir: Deno.cwd() }, { print: () => {} });
await m.init();
const t = performance.now();
for (const r of recs) m.main({ channel: "new_flow", data: r });
const el = (performance.now() - t) / 1000;
await m.shutdownGracefully();
await db.drain();
console.log(`${recs.length} flows in ${el.toFixed(2)} s = ${(recs.length / el / 1000).toFixed(0)}k flows/s; evidence ${n}; evidenceCount ${m.evidenceCount}`);
