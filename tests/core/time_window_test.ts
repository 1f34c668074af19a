import assert from "node:assert/strict";
import {
  ONLY_ONE_TW_WIDTH,
  parseTimeWindowWidth,
  timeWindowOf,
  timeWindowStart,
} from "../../core/profiler/time_window.ts";

Deno.test("time windows follow floor((ts - t0) / width) + 1 (reference worked example)", () => {
  const t0 = 1_700_000_000;
  const cases: [number, number, number][] = [
    [1_700_000_000.0, 1, 1_700_000_000],
    [1_700_003_599.9, 1, 1_700_000_000],
    [1_700_003_600.0, 2, 1_700_003_600],
    [1_700_010_000.0, 3, 1_700_007_200],
  ];
  for (const [ts, tw, start] of cases) {
    assert.equal(timeWindowOf(ts, t0, 3600), tw, `ts ${ts}`);
    assert.equal(timeWindowStart(tw, t0, 3600), start);
  }
  assert.equal(timeWindowOf(26, 0, 5), 6);
  assert.equal(timeWindowStart(6, 0, 5), 25);
});

Deno.test("a flow older than the first one goes to window 1", () => {
  assert.equal(timeWindowOf(99, 100, 3600), 1);
});

Deno.test("only_one_tw puts every realistic flow into window 1", () => {
  const w = parseTimeWindowWidth("only_one_tw");
  assert.equal(w, ONLY_ONE_TW_WIDTH);
  assert.equal(timeWindowOf(1_700_000_000 + 10 * 365 * 86400, 1_700_000_000, w), 1);
  assert.equal(parseTimeWindowWidth("600"), 600);
});
