import assert from "node:assert/strict";
import { shannonEntropy } from "../../../core/net/entropy.ts";

Deno.test("shannonEntropy: bits per character", () => {
  assert.equal(shannonEntropy(""), 0);
  assert.equal(shannonEntropy("aaaa"), 0);
  assert.equal(shannonEntropy("abab"), 1);
  assert.equal(shannonEntropy("abcd"), 2);
  const all64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  assert.equal(shannonEntropy(all64), 6);
  assert.ok(Math.abs(shannonEntropy("hello world") - 2.845) < 0.001);
});
