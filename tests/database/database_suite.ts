/**
 * The behaviour every Database backend must show, run against each of them by
 * embedded_test.ts and redis_test.ts. A backend passes when a module cannot tell which one it got.
 */
import assert from "node:assert/strict";
import type { Database } from "../../core/database/database.ts";
import type { Alert } from "../../core/database/storage_types.ts";
import type { NewIp } from "../../core/database/channels.ts";
import type { Evidence } from "../../core/evidence/evidence.ts";

export interface SuiteOptions {
  highWater?: number;
  onHandlerError?: (channel: string, subscriber: string, err: unknown) => void;
}

/** Opens a fresh, empty database of the backend under test. */
export type DatabaseFactory = (options: SuiteOptions) => Promise<Database>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function newIp(n: number): NewIp {
  return { ip: `10.0.${Math.floor(n / 256)}.${n % 256}`, ts: 1_700_000_000 + n };
}

export function sampleEvidence(id: string, overrides: Partial<Evidence> = {}): Evidence {
  return {
    id,
    module: "suite",
    evidenceType: "HORIZONTAL_PORT_SCAN",
    attacker: { direction: "SRC", iocType: "IP", value: "192.168.1.5" },
    victim: { direction: "DST", iocType: "IP", value: "8.8.8.8", enrichment: { asn: "AS15169" } },
    threatLevel: "high",
    confidence: 0.9,
    profileIp: "192.168.1.5",
    twid: 1,
    ts: 1_700_000_100,
    description: "Horizontal port scan to port 443/tcp from 192.168.1.5 to 60 hosts.",
    uids: ["CabcDEF123"],
    proto: "tcp",
    dstPort: 443,
    ...overrides,
  };
}

function sampleAlert(id: string, twid: number): Alert {
  return {
    id,
    profileIp: "192.168.1.5",
    twid,
    twStart: 1_700_000_000 + 3600 * (twid - 1),
    twEnd: 1_700_000_000 + 3600 * twid,
    accumulatedThreat: 3.6,
    threatLevel: "high",
    confidence: 0.9,
    correlIds: ["e1", "e2"],
    lastFlowTs: 1_700_000_200,
    createdAt: 1_700_000_300_000,
  };
}

/** Runs every case as a step of `t`, each on a fresh database from `open`. */
export async function databaseSuite(t: Deno.TestContext, open: DatabaseFactory): Promise<void> {
  const withDb = async (options: SuiteOptions, body: (db: Database) => Promise<void>) => {
    const db = await open(options);
    try {
      await body(db);
    } finally {
      await db.close();
    }
  };

  await t.step(
    "keeps publication order per channel, across single messages and batches",
    () =>
      withDb({}, async (db) => {
        const ips: number[] = [];
        const ticks: number[] = [];
        db.registerChannel("suite_ticks", "numbers in order");
        await db.subscribe("new_ip", "ips", (batch) => {
          for (const m of batch) ips.push(m.ts - 1_700_000_000);
        });
        await db.subscribe("suite_ticks", "ticks", (batch) => {
          ticks.push(...(batch as number[]));
        });
        let next = 0;
        let tick = 0;
        for (let round = 0; round < 30; round++) {
          const size = round % 4 === 0 ? 1 : round % 7 + 2;
          const batch = Array.from({ length: size }, () => newIp(next++));
          if (size === 1) await db.publish("new_ip", batch[0]);
          else await db.publishBatch("new_ip", batch);
          await db.publish("suite_ticks", tick++, tick++);
        }
        await db.drain();
        assert.deepEqual(ips, Array.from({ length: next }, (_, i) => i));
        assert.deepEqual(ticks, Array.from({ length: tick }, (_, i) => i));
      }),
  );

  await t.step(
    "refuses unknown channels and accepts registered ones",
    () =>
      withDb({}, async (db) => {
        await assert.rejects(
          async () => await db.subscribe("no_such_channel", "x", () => {}),
          /There is no channel named "no_such_channel"/,
        );
        await assert.rejects(
          async () => await db.publish("no_such_channel", 1),
          /There is no channel named "no_such_channel"/,
        );
        assert.ok(db.channels().includes("new_flow"));
        assert.ok(!db.channels().includes("suite_custom"));
        db.registerChannel("suite_custom", "a module's own channel");
        db.registerChannel("suite_custom", "registering twice changes nothing");
        assert.equal(db.channels().filter((c) => c === "suite_custom").length, 1);
        const got: unknown[] = [];
        await db.subscribe("suite_custom", "mine", (batch) => {
          got.push(...batch);
        });
        await db.publish("suite_custom", { a: 1 }, { b: [2, "x"] });
        await db.drain();
        assert.deepEqual(got, [{ a: 1 }, { b: [2, "x"] }]);
        assert.throws(() => db.registerChannel("bad name!", "x"), /is not valid/);
      }),
  );

  await t.step(
    "gives every subscriber every message; a second subscription by name fails",
    () =>
      withDb({}, async (db) => {
        const seen = new Map<string, number[]>();
        for (const name of ["one", "two", "three"]) {
          seen.set(name, []);
          await db.subscribe("new_ip", name, (batch) => {
            seen.get(name)!.push(...batch.map((m) => m.ts - 1_700_000_000));
          });
        }
        await assert.rejects(
          async () => await db.subscribe("new_ip", "two", () => {}),
          /already subscribed/,
        );
        for (let i = 0; i < 50; i += 5) {
          await db.publishBatch("new_ip", [0, 1, 2, 3, 4].map((k) => newIp(i + k)));
        }
        await db.drain();
        const expected = Array.from({ length: 50 }, (_, i) => i);
        for (const name of ["one", "two", "three"]) assert.deepEqual(seen.get(name), expected);
      }),
  );

  await t.step("holds a publisher back for a slow subscriber and loses nothing", () => {
    const highWater = 20;
    const batchSize = 5;
    const total = 200;
    return withDb({ highWater }, async (db) => {
      const handled: number[] = [];
      const fast: number[] = [];
      await db.subscribe("new_ip", "slow", async (batch) => {
        await sleep(2);
        handled.push(...batch.map((m) => m.ts - 1_700_000_000));
      });
      await db.subscribe("new_ip", "fast", (batch) => {
        fast.push(...batch.map((m) => m.ts - 1_700_000_000));
      });
      let published = 0;
      let worstQueued = 0;
      for (let i = 0; i < total; i += batchSize) {
        await db.publishBatch(
          "new_ip",
          Array.from({ length: batchSize }, (_, k) => newIp(i + k)),
        );
        published += batchSize;
        worstQueued = Math.max(worstQueued, published - handled.length);
      }
      // Without back-pressure the loop would finish with almost nothing handled.
      assert.ok(
        worstQueued <= highWater + batchSize,
        `up to ${worstQueued} messages waited for the slow subscriber (limit ${highWater} + ${batchSize})`,
      );
      assert.ok(handled.length >= total - (highWater + batchSize));
      await db.drain();
      const expected = Array.from({ length: total }, (_, i) => i);
      assert.deepEqual(handled, expected);
      assert.deepEqual(fast, expected);
    });
  });

  await t.step(
    "keeps one subscriber's channels in publication order, also behind a slow handler",
    () =>
      withDb({}, async (db) => {
        // A module must never see a window's tw_closed before the flows published ahead of it.
        const seen: string[] = [];
        await db.subscribe("new_ip", "module", async (batch) => {
          await sleep(5);
          seen.push(...batch.map((m) => `ip${m.ts - 1_700_000_000}`));
        });
        await db.subscribe("tw_closed", "module", (batch) => {
          seen.push(...batch.map((w) => `closed${w.twid}`));
        });
        const closed = (twid: number) => ({
          profileid: "profile_10.0.0.1",
          ip: "10.0.0.1",
          twid,
          start: 0,
          end: 3600,
        });
        await db.publishBatch("new_ip", [newIp(1)]);
        await db.publishBatch("new_ip", [newIp(2)]);
        await db.publishBatch("tw_closed", [closed(1)]);
        await db.publishBatch("new_ip", [newIp(3)]);
        await db.publishBatch("tw_closed", [closed(2)]);
        await db.drain();
        assert.deepEqual(seen, ["ip1", "ip2", "closed1", "ip3", "closed2"]);
      }),
  );

  await t.step(
    "drops what was queued for a channel once it is unsubscribed, not the subscriber's others",
    () =>
      withDb({}, async (db) => {
        const seen: string[] = [];
        let release!: () => void;
        const gate = new Promise<void>((r) => release = r);
        const ips = await db.subscribe("new_ip", "module", async (batch) => {
          await gate;
          seen.push(...batch.map((m) => `ip${m.ts - 1_700_000_000}`));
        });
        await db.subscribe("tw_closed", "module", (batch) => {
          seen.push(...batch.map((w) => `closed${w.twid}`));
        });
        await db.publishBatch("new_ip", [newIp(1)]);
        await db.publishBatch("new_ip", [newIp(2)]);
        await db.publishBatch("tw_closed", [{
          profileid: "profile_10.0.0.1",
          ip: "10.0.0.1",
          twid: 1,
          start: 0,
          end: 3600,
        }]);
        // Give the first batch time to reach the handler (Redis delivers through the server).
        await sleep(100);
        await ips.unsubscribe();
        release();
        await db.drain();
        assert.ok(!seen.includes("ip2"), `ip2 came after its channel was unsubscribed: ${seen}`);
        assert.ok(seen.includes("closed1"), `the other channel still delivers: ${seen}`);
      }),
  );

  await t.step("goes on delivering after a handler throws, and reports the error", () => {
    const errors: [string, string, string][] = [];
    const onHandlerError = (channel: string, subscriber: string, err: unknown) => {
      errors.push([channel, subscriber, (err as Error).message]);
    };
    return withDb({ onHandlerError }, async (db) => {
      const got: number[] = [];
      await db.subscribe("new_ip", "fragile", (batch) => {
        const n = batch.map((m) => m.ts - 1_700_000_000);
        if (n.includes(3)) throw new Error("cannot handle 3");
        got.push(...n);
      });
      for (let i = 0; i < 6; i++) await db.publish("new_ip", newIp(i));
      await db.drain();
      assert.deepEqual(got, [0, 1, 2, 4, 5]);
      assert.deepEqual(errors, [["new_ip", "fragile", "cannot handle 3"]]);
    });
  });

  await t.step(
    "drain waits for messages that handlers publish in turn",
    () =>
      withDb({}, async (db) => {
        await db.drain(); // nothing subscribed yet
        const closed: string[] = [];
        await db.subscribe("new_ip", "relay", async (batch) => {
          await sleep(1);
          await db.publishBatch(
            "tw_closed",
            batch.map((m) => ({
              profileid: `profile_${m.ip}`,
              ip: m.ip,
              twid: 1,
              start: m.ts,
              end: m.ts + 3600,
            })),
          );
        });
        await db.subscribe("tw_closed", "sink", async (batch) => {
          await sleep(1);
          closed.push(...batch.map((w) => w.ip));
        });
        for (let i = 0; i < 20; i++) await db.publish("new_ip", newIp(i));
        await db.drain();
        assert.deepEqual(closed, Array.from({ length: 20 }, (_, i) => newIp(i).ip));
      }),
  );

  await t.step(
    "unsubscribe stops delivery to that subscriber only",
    () =>
      withDb({}, async (db) => {
        const a: number[] = [];
        const b: number[] = [];
        const subA = await db.subscribe("new_ip", "a", (batch) => {
          a.push(...batch.map((m) => m.ts - 1_700_000_000));
        });
        await db.subscribe("new_ip", "b", (batch) => {
          b.push(...batch.map((m) => m.ts - 1_700_000_000));
        });
        // A handler may end its own subscription.
        const once: number[] = [];
        const subOnce = await db.subscribe("new_ip", "once", async (batch) => {
          once.push(...batch.map((m) => m.ts - 1_700_000_000));
          await subOnce.unsubscribe();
        });
        await db.publish("new_ip", newIp(0));
        await db.drain();
        await subA.unsubscribe();
        await subA.unsubscribe();
        await db.publish("new_ip", newIp(1));
        await db.drain();
        assert.deepEqual(a, [0]);
        assert.deepEqual(b, [0, 1]);
        assert.deepEqual(once, [0]);
        // The name is free again.
        await db.subscribe("new_ip", "a", () => {});
      }),
  );

  await t.step("close delivers what was published before it", async () => {
    const db = await open({});
    const got: number[] = [];
    await db.subscribe("new_ip", "late", async (batch) => {
      await sleep(1);
      got.push(...batch.map((m) => m.ts - 1_700_000_000));
    });
    for (let i = 0; i < 10; i++) await db.publish("new_ip", newIp(i));
    await db.close();
    assert.deepEqual(got, Array.from({ length: 10 }, (_, i) => i));
  });

  await t.step("stores profiles and their fields", () =>
    withDb({}, async (db) => {
      assert.equal(await db.profileCount(), 0);
      assert.equal(await db.getProfile("10.0.0.1"), undefined);
      assert.equal(await db.addProfile("10.0.0.1", 1_700_000_000.5), true);
      assert.equal(await db.addProfile("10.0.0.1", 1_800_000_000), false);
      assert.equal(await db.addProfile("2001:db8::1", 1_700_000_001), true);
      await db.setProfileField("10.0.0.1", "mac", "aa:bb:cc:dd:ee:ff");
      await db.setProfileField("10.0.0.1", "hostname", "laptop");
      await db.setProfileField("10.0.0.1", "hostname", "laptop-2");
      assert.deepEqual(await db.getProfile("10.0.0.1"), {
        ip: "10.0.0.1",
        firstSeen: 1_700_000_000.5,
        fields: { mac: "aa:bb:cc:dd:ee:ff", hostname: "laptop-2" },
      });
      // A fact about an unknown IP creates its profile.
      await db.setProfileField("10.0.0.9", "vendor", "Acme");
      assert.deepEqual(await db.getProfile("10.0.0.9"), {
        ip: "10.0.0.9",
        firstSeen: 0,
        fields: { vendor: "Acme" },
      });
      assert.equal(await db.profileCount(), 3);
      assert.deepEqual((await db.profiles()).sort(), ["10.0.0.1", "10.0.0.9", "2001:db8::1"]);
      // What a caller does with a returned profile does not change the stored one.
      const p = await db.getProfile("10.0.0.1");
      p!.fields.mac = "changed";
      assert.equal((await db.getProfile("10.0.0.1"))!.fields.mac, "aa:bb:cc:dd:ee:ff");
    }));

  await t.step(
    "stores time windows and their running score, and releases them on close",
    () =>
      withDb({}, async (db) => {
        const tw = { profileIp: "2001:db8::1", twid: 3, start: 1_700_007_200, end: 1_700_010_800 };
        assert.equal(await db.getTimeWindow("2001:db8::1", 3), undefined);
        await db.addTimeWindow(tw);
        await db.addTimeWindow({ ...tw, twid: 4, start: tw.end, end: tw.end + 3600 });
        assert.deepEqual(await db.getTimeWindow("2001:db8::1", 3), tw);
        assert.equal(await db.getAccumulatedThreat("2001:db8::1", 3), 0);
        await db.setAccumulatedThreat("2001:db8::1", 3, 1.25);
        await db.setAccumulatedThreat("2001:db8::1", 4, 0.5);
        assert.equal(await db.getAccumulatedThreat("2001:db8::1", 3), 1.25);
        await db.addAlert(sampleAlert("a1", 3));
        await db.closeTimeWindow("2001:db8::1", 3);
        assert.equal(await db.getTimeWindow("2001:db8::1", 3), undefined);
        assert.equal(await db.getAccumulatedThreat("2001:db8::1", 3), 0);
        assert.deepEqual(await db.alerts(), [sampleAlert("a1", 3)]);
        // Other windows are untouched.
        assert.equal((await db.getTimeWindow("2001:db8::1", 4))?.start, tw.end);
        assert.equal(await db.getAccumulatedThreat("2001:db8::1", 4), 0.5);
      }),
  );

  await t.step(
    "addEvidence stores, refuses duplicates and publishes on evidence_added",
    () =>
      withDb({}, async (db) => {
        const published: Evidence[] = [];
        await db.subscribe("evidence_added", "handler", (batch) => {
          published.push(...batch);
        });
        const e1 = sampleEvidence("e1");
        const e2 = sampleEvidence("e2", { ts: 1_700_000_050, evidenceType: "VERTICAL_PORT_SCAN" });
        const other = sampleEvidence("e3", { twid: 2 });
        assert.equal(await db.addEvidence(e1), true);
        assert.equal(await db.addEvidence(e2), true);
        assert.equal(await db.addEvidence(other), true);
        assert.equal(await db.addEvidence({ ...e1, description: "same id again" }), false);
        await db.drain();
        assert.deepEqual(published, [e1, e2, other]);
        const byId = (list: Evidence[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
        assert.deepEqual(byId(await db.getEvidence("192.168.1.5", 1)), [e1, e2]);
        assert.deepEqual(await db.getEvidence("192.168.1.5", 2), [other]);
        assert.deepEqual(await db.getEvidence("192.168.1.6", 1), []);
        await db.deleteEvidence("192.168.1.5", 1, "e1");
        await db.deleteEvidence("192.168.1.5", 1, "never-stored");
        assert.deepEqual(await db.getEvidence("192.168.1.5", 1), [e2]);
      }),
  );

  await t.step("keeps alerts in the order they were raised", () =>
    withDb({}, async (db) => {
      assert.deepEqual(await db.alerts(), []);
      const alerts = [sampleAlert("a1", 1), sampleAlert("a2", 2), sampleAlert("a0", 1)];
      for (const a of alerts) await db.addAlert(a);
      assert.deepEqual(await db.alerts(), alerts);
    }));

  await t.step("keeps caches apart by namespace", () =>
    withDb({}, async (db) => {
      assert.equal(await db.cacheGet("dns", "example.com"), undefined);
      await db.cacheSet("dns", "example.com", "93.184.216.34");
      await db.cacheSet("ti", "example.com", '{"source":"feed"}');
      await db.cacheSet("dns", "example.com", "93.184.216.35");
      assert.equal(await db.cacheGet("dns", "example.com"), "93.184.216.35");
      assert.equal(await db.cacheGet("ti", "example.com"), '{"source":"feed"}');
      await db.cacheDelete("dns", "example.com");
      await db.cacheDelete("dns", "not-there");
      assert.equal(await db.cacheGet("dns", "example.com"), undefined);
      assert.equal(await db.cacheGet("ti", "example.com"), '{"source":"feed"}');
      await db.cacheSet("dns", "", "");
      assert.equal(await db.cacheGet("dns", ""), "");
    }));

  await t.step("counts", () =>
    withDb({}, async (db) => {
      assert.equal(await db.counter("flows"), 0);
      assert.equal(await db.incr("flows"), 1);
      assert.equal(await db.incr("flows", 41), 42);
      assert.equal(await db.incr("evidence", 2), 2);
      assert.equal(await db.incr("flows", -2), 40);
      assert.equal(await db.counter("flows"), 40);
      assert.equal(await db.counter("evidence"), 2);
      assert.equal(await db.incr("bytes", 0.5), 0.5);
      assert.equal(await db.incr("bytes", 1.25), 1.75);
    }));
}
