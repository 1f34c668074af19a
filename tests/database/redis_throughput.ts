/**
 * Measures (not a test) how many conn-like messages per second go through the Redis backend
 * to one subscriber, in batches of 1000.
 * Usage: deno run -A tests/database/redis_throughput.ts [batches]
 */
import type { ConnRecord, Profiled } from "../../core/records/records.ts";
import { RedisDatabase } from "../../core/database/redis.ts";
import { EmbeddedDatabase } from "../../core/database/embedded.ts";
import type { Database } from "../../core/database/database.ts";
import { startRedisServer } from "../helpers/redis_server.ts";

const BATCH = 1000;
const batches = Number(Deno.args[0] ?? 100);

function conn(i: number): Profiled<ConnRecord> {
  return {
    kind: "conn",
    uid: `C${i.toString(36).padStart(17, "x")}`,
    ts: 1_700_000_000 + i / 100,
    saddr: `192.168.1.${i % 250}`,
    daddr: `93.184.${(i >> 8) & 255}.${i & 255}`,
    sport: 40000 + (i % 20000),
    dport: 443,
    proto: "tcp",
    source: "zeek",
    appproto: "ssl",
    dur: 1.234567,
    sbytes: 1234,
    dbytes: 56789,
    spkts: 12,
    dpkts: 40,
    sipBytes: 1800,
    dipBytes: 58900,
    state: "SF",
    interpreted: "Established",
    history: "ShADadFf",
    smac: "aa:bb:cc:dd:ee:ff",
    dmac: "11:22:33:44:55:66",
    icmpType: -1,
    icmpCode: -1,
    profileid: `profile_192.168.1.${i % 250}`,
    twid: 1,
  };
}

async function measure(db: Database): Promise<number> {
  let received = 0;
  await db.subscribe("new_flow", "bench", (batch) => {
    received += batch.length;
  });
  const prepared = Array.from(
    { length: batches },
    (_, b) => Array.from({ length: BATCH }, (_, k) => conn(b * BATCH + k)),
  );
  const start = performance.now();
  for (const batch of prepared) await db.publishBatch("new_flow", batch);
  await db.drain();
  const seconds = (performance.now() - start) / 1000;
  if (received !== batches * BATCH) throw new Error(`received ${received} of ${batches * BATCH}`);
  await db.close();
  return received / seconds;
}

const server = await startRedisServer();
try {
  const redis = await measure(await RedisDatabase.connect({ port: server.port }));
  const embedded = await measure(new EmbeddedDatabase());
  console.log(`${batches} batches of ${BATCH} conn records to one subscriber:`);
  console.log(`  redis:    ${Math.round(redis).toLocaleString("en")} messages/s`);
  console.log(`  embedded: ${Math.round(embedded).toLocaleString("en")} messages/s`);
} finally {
  await server.stop();
}
