import assert from "node:assert/strict";
import { createClient } from "redis";
import { DatabaseError } from "../../core/database/database.ts";
import { RedisDatabase } from "../../core/database/redis.ts";
import { redisMissingWarning, startRedisServer } from "../helpers/redis_server.ts";
import { databaseSuite, sampleEvidence } from "./database_suite.ts";

const ignore = redisMissingWarning();
let runs = 0;
const freshPrefix = () => `slips-test-${Deno.pid}-${++runs}:`;

Deno.test({ name: "redis backend passes the database suite", ignore }, async (t) => {
  const server = await startRedisServer();
  try {
    await databaseSuite(
      t,
      (options) => RedisDatabase.connect({ port: server.port, prefix: freshPrefix(), ...options }),
    );
  } finally {
    await server.stop();
  }
});

Deno.test(
  { name: "redis: an unreachable server gives one clear DatabaseError", ignore },
  async () => {
    const server = await startRedisServer();
    const port = server.port;
    await server.stop(); // the port is now known to be closed
    const fatal: string[] = [];
    const err = await RedisDatabase.connect({ port, onFatal: (m) => fatal.push(m) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof DatabaseError, `expected a DatabaseError, got ${err}`);
    assert.equal(
      err.message,
      `Cannot connect to Redis at 127.0.0.1:${port}: connection refused. Start redis-server or choose another port with -P.`,
    );
    assert.deepEqual(fatal, []);
  },
);

Deno.test({ name: "redis: losing the server mid-run calls onFatal once", ignore }, async () => {
  const server = await startRedisServer();
  const fatal: string[] = [];
  let reported!: () => void;
  const firstReport = new Promise<void>((r) => reported = r);
  const db = await RedisDatabase.connect({
    port: server.port,
    prefix: freshPrefix(),
    onFatal: (m) => {
      fatal.push(m);
      reported();
    },
  });
  try {
    const got: string[] = [];
    await db.subscribe("new_ip", "a", (b) => {
      got.push(...b.map((m) => m.ip));
    });
    await db.subscribe("evidence_added", "b", () => {});
    await db.publish("new_ip", { ip: "10.0.0.1", ts: 1 });
    await db.drain();
    assert.deepEqual(got, ["10.0.0.1"]);
    await server.stop();
    await firstReport;
    const expected = new RegExp(
      `^Lost the connection to Redis at 127\\.0\\.0\\.1:${server.port} \\(.+\\), so Slips cannot go on: check that redis-server is still running\\.$`,
    );
    assert.match(fatal[0], expected);
    await assert.rejects(() => db.addProfile("10.0.0.2", 2), DatabaseError);
    await assert.rejects(() => db.publish("new_ip", { ip: "10.0.0.3", ts: 3 }), DatabaseError);
    await assert.rejects(() => db.drain(), DatabaseError);
    await assert.rejects(() => db.addEvidence(sampleEvidence("x")), DatabaseError);
    assert.equal(fatal.length, 1);
  } finally {
    await db.close();
    await server.stop();
  }
  assert.equal(fatal.length, 1);
});

Deno.test({
  name: "redis: processes sharing a server and prefix share channels and storage",
  ignore,
}, async () => {
  const server = await startRedisServer();
  const prefix = freshPrefix();
  const a = await RedisDatabase.connect({ port: server.port, prefix });
  const b = await RedisDatabase.connect({ port: server.port, prefix });
  const other = await RedisDatabase.connect({ port: server.port, prefix: freshPrefix() });
  try {
    const atA: string[] = [];
    const atB: string[] = [];
    const atOther: string[] = [];
    // The same subscriber name in two processes: each process gets every message.
    await a.subscribe("new_ip", "ip_info", (batch) => {
      atA.push(...batch.map((m) => m.ip));
    });
    await b.subscribe("new_ip", "ip_info", (batch) => {
      atB.push(...batch.map((m) => m.ip));
    });
    await other.subscribe("new_ip", "ip_info", (batch) => {
      atOther.push(...batch.map((m) => m.ip));
    });
    await a.publish("new_ip", { ip: "10.0.0.1", ts: 1 }, { ip: "10.0.0.2", ts: 2 });
    await b.publish("new_ip", { ip: "10.0.0.3", ts: 3 });
    await a.drain();
    await b.drain();
    assert.deepEqual(atA, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    assert.deepEqual(atB, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    assert.deepEqual(atOther, []);

    assert.equal(await a.addProfile("10.0.0.1", 1), true);
    assert.equal(await b.addProfile("10.0.0.1", 1), false);
    assert.equal(await other.addProfile("10.0.0.1", 1), true);
    await a.incr("flows", 3);
    assert.equal(await b.incr("flows", 4), 7);
    assert.equal(await other.counter("flows"), 0);
  } finally {
    await a.close();
    await b.close();
    await other.close();
    await server.stop();
  }
});

Deno.test(
  { name: "redis: a closed process's queues no longer receive or hold back", ignore },
  async () => {
    const server = await startRedisServer();
    const prefix = freshPrefix();
    const a = await RedisDatabase.connect({ port: server.port, prefix, highWater: 4 });
    const b = await RedisDatabase.connect({ port: server.port, prefix, highWater: 4 });
    try {
      await b.subscribe("new_ip", "gone", () => {});
      await b.close();
      // With b's queue still registered this would wait for it forever (high water 4).
      for (let i = 0; i < 20; i++) await a.publish("new_ip", { ip: `10.0.0.${i}`, ts: i });
      await a.drain();
      assert.equal(await a.counter("nothing"), 0);
    } finally {
      await a.close();
      await server.stop();
    }
  },
);

Deno.test(
  { name: "redis: a crashed process's queues stop holding publishers back", ignore },
  async () => {
    const server = await startRedisServer();
    const prefix = freshPrefix();
    const a = await RedisDatabase.connect({ port: server.port, prefix, highWater: 4 });
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./redis_subscriber_process.ts", import.meta.url).pathname,
        String(server.port),
        prefix,
      ],
      cwd: new URL("../..", import.meta.url).pathname,
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    try {
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      const { value } = await reader.read();
      const instance = value!.trim();
      assert.match(instance, /^[0-9a-f-]{36}$/);
      child.kill("SIGKILL");
      await child.status;
      await reader.cancel();
      // Let its liveness key expire now rather than after 30 s.
      const raw = createClient({ socket: { port: server.port } });
      await raw.connect();
      assert.equal(await raw.del(`${prefix}alive:${instance}`), 1);
      assert.equal(await raw.sCard(`${prefix}subscribers:new_ip`), 1);
      await raw.close();
      const seen: number[] = [];
      await a.subscribe("new_ip", "alive", (batch) => {
        seen.push(...batch.map((m) => m.ts));
      });
      for (let i = 0; i < 20; i++) await a.publish("new_ip", { ip: `10.0.0.${i}`, ts: i });
      await a.drain();
      assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i));
    } finally {
      await a.close();
      await server.stop();
    }
  },
);
