import assert from "node:assert/strict";
import { SWEEP_EVERY, WindowRegistry } from "../../../modules/flow_alerts/window_state.ts";
import { BoundedMap, BoundedSet } from "../../../core/collections/mod.ts";
import { UidJoin } from "../../../modules/flow_alerts/uid_join.ts";
import { conn, flowMsg, twClosed } from "./records.ts";
import { ofType, run } from "./run.ts";

Deno.test("WindowRegistry: windows are found again, released once, and counted", () => {
  const reg = new WindowRegistry();
  const a = reg.get("profile_10.0.0.1", 1);
  assert.equal(reg.get("profile_10.0.0.1", 1), a);
  reg.get("profile_10.0.0.1", 2);
  reg.get("profile_10.0.0.2", 1);
  assert.equal(reg.size, 3);
  assert.equal(reg.release("profile_10.0.0.1", 1), a);
  assert.equal(reg.release("profile_10.0.0.1", 1), undefined);
  assert.equal(reg.peek("profile_10.0.0.1", 1), undefined);
  assert.equal(reg.size, 2);
  assert.equal(reg.releaseAll().length, 2);
  assert.equal(reg.size, 0);
});

Deno.test("WindowRegistry: the sweep drops old unused windows and keeps used ones", () => {
  const reg = new WindowRegistry();
  reg.get("profile_a", 1);
  reg.get("profile_b", 1);
  reg.get("profile_c", 5);
  // First sweep period: profile_b keeps being used although its window is old.
  for (let i = 0; i < SWEEP_EVERY; i++) reg.get(i % 2 ? "profile_b" : "profile_c", i % 2 ? 1 : 5);
  assert.ok(reg.sweepDue);
  assert.deepEqual(reg.releaseStale().map((w) => w.profileid), []);
  for (let i = 0; i < SWEEP_EVERY; i++) reg.get(i % 2 ? "profile_b" : "profile_c", i % 2 ? 1 : 5);
  // profile_a was unused for a whole period and is 4 windows behind: swept.
  assert.deepEqual(reg.releaseStale().map((w) => w.profileid), ["profile_a"]);
  for (let i = 0; i < SWEEP_EVERY; i++) reg.get("profile_c", 5);
  assert.deepEqual(reg.releaseStale().map((w) => w.profileid), ["profile_b"]);
  assert.equal(reg.size, 1);
});

Deno.test("tw_closed releases the window: its dedupe memory is gone", async () => {
  const f = conn({ dur: 7200 });
  const ev = await run([
    flowMsg(f),
    flowMsg({ ...f, uid: "again" }),
    twClosed("192.168.1.10", 1),
    flowMsg({ ...f, uid: "late" }),
  ]);
  assert.deepEqual(ofType(ev, "LONG_CONNECTION").map((e) => e.uids[0]), [f.uid, "late"]);
});

Deno.test("BoundedMap and BoundedSet forget the oldest entries past their cap", () => {
  const m = new BoundedMap<string, number>(3);
  for (const k of ["a", "b", "c"]) m.set(k, 1);
  m.set("a", 2); // refreshed: now the newest
  m.set("d", 1);
  assert.equal(m.size, 3);
  assert.equal(m.has("b"), false);
  assert.equal(m.get("a"), 2);
  const s = new BoundedSet<number>(2);
  s.add(1).add(2).add(3);
  assert.equal(s.has(1), false);
  assert.equal(s.size, 2);
});

Deno.test("UidJoin: joins in either order, expires by traffic time, evicts past its cap", () => {
  const join = new UidJoin<string>(2);
  const c = conn({ uid: "U1", sbytes: 10, dbytes: 20 });
  assert.equal(join.addConn(c), undefined);
  assert.deepEqual(join.addRecord("U1", "first", 100).bytes, { sbytes: 10, dbytes: 20 });
  assert.equal(join.addRecord("U2", "second", 100).bytes, undefined);
  assert.deepEqual(join.addConn(conn({ uid: "U2", sbytes: 1, dbytes: 2 })), ["second", {
    sbytes: 1,
    dbytes: 2,
  }]);
  join.addRecord("U3", "third", 50);
  join.addRecord("U4", "fourth", 60);
  assert.deepEqual(join.addRecord("U5", "fifth", 70).evicted, ["third"]);
  assert.deepEqual(join.expired(65), ["fourth"]);
  assert.deepEqual(join.drain(), ["fifth"]);
  assert.equal(join.waiting, 0);
});
