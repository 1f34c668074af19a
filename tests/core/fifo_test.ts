import assert from "node:assert/strict";
import { Fifo } from "../../core/collections/fifo.ts";

Deno.test("Fifo hands items out oldest first, also across its compactions", () => {
  const q = new Fifo<number>();
  assert.equal(q.shift(), undefined);
  assert.equal(q.peek(), undefined);
  const out: number[] = [];
  for (let i = 0; i < 5000; i++) {
    q.push(i);
    // Take one for every two pushed, so the consumed prefix grows past the compaction point.
    if (i % 2 === 1) out.push(q.shift()!);
  }
  assert.equal(q.size, 2500);
  assert.equal(q.peek(), 2500);
  out.push(...q.takeAll());
  assert.deepEqual(out, Array.from({ length: 5000 }, (_, i) => i));
  assert.equal(q.size, 0);
});
