import { EmbeddedDatabase } from "../core/database/embedded.ts";
import { ModuleHost } from "../core/modules/host.ts";
import { openInput } from "../core/input/mod.ts";
const r = await openInput("/work/main/.bench/conn_100000.log", { onWarning: () => {} });
const batches: any[] = [];
for await (const b of r.batches()) { for (const f of b) { (f as any).profileid = "profile_" + f.saddr; (f as any).twid = 1; } batches.push(b); }
for (const mode of ["shared", "clone", "shared", "clone"] as const) {
  const db = new EmbeddedDatabase();
  const host = new ModuleHost({ modulesDir: "/work/main/modules", disabled: Deno.args, db, config: {}, context: { outputDir: "/tmp", twWidth: 3600, clientIps: [], inputType: "file", homeDir: "/work/main" }, output: { print: () => {}, error: (m, t) => console.log(m, t) }, verbose: 0, debug: 0, flowDelivery: mode });
  await host.start();
  const t = performance.now();
  for (const b of batches) await db.publishBatch("new_flow", b);
  const t1 = performance.now();
  await host.stop(10000);
  console.log(mode, "publish", (t1 - t).toFixed(0), "total", (performance.now() - t).toFixed(0));
}
