import assert from "node:assert/strict";
import { ConfigError, parseConfig, renderDefaultConfig } from "../../core/config/load_config.ts";
import { SCHEMA } from "../../core/config/schema.ts";

Deno.test("a config file may hold only the keys it changes", () => {
  const c = parseConfig("[parameters]\ntime_window_width = 600\n", "mine.conf");
  assert.equal(c.data.parameters.time_window_width, "600");
  assert.equal(c.data.detection.evidence_detection_threshold, "0.25");
  assert.deepEqual(c.warnings, []);
});

Deno.test("an unknown key warns and is ignored", () => {
  const c = parseConfig("[parameters]\nno_such_key = 1\n", "mine.conf");
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0], /no_such_key.*\[parameters\].*unknown/);
  assert.equal(c.data.parameters.no_such_key, undefined);
});

Deno.test("a bad value is an error naming file, section and key", () => {
  assert.throws(
    () => parseConfig("[detection]\nevidence_detection_threshold = lots\n", "bad.conf"),
    (e: unknown) =>
      e instanceof ConfigError &&
      /bad\.conf, section \[detection\], key evidence_detection_threshold/.test(e.message),
  );
  assert.throws(
    () => parseConfig("[parameters]\nanalysis_direction = sideways\n", "bad.conf"),
    /not one of out, all/,
  );
  assert.throws(
    () => parseConfig("[parameters]\ntime_window_width = -3\n", "bad.conf"),
    /only_one_tw/,
  );
});

Deno.test("the shipped config/slips.conf documents every key at its default", () => {
  const shipped = Deno.readTextFileSync(new URL("../../config/slips.conf", import.meta.url));
  assert.equal(shipped, renderDefaultConfig());
  const parsed = parseConfig(shipped, "slips.conf");
  assert.deepEqual(parsed.warnings, []);
  for (const [section, keys] of Object.entries(SCHEMA)) {
    for (const [key, spec] of Object.entries(keys)) {
      assert.equal(parsed.data[section][key], spec.default, `${section}.${key}`);
    }
  }
});
