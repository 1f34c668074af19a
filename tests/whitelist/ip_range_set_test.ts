import assert from "node:assert/strict";
import { canonicalCidr, IpRangeSet, ipv4ToNumber } from "../../core/whitelist/mod.ts";

Deno.test("ipv4ToNumber reads dotted quads and rejects anything else", () => {
  assert.equal(ipv4ToNumber("0.0.0.0"), 0);
  assert.equal(ipv4ToNumber("255.255.255.255"), 0xffffffff);
  assert.equal(ipv4ToNumber("10.1.2.3"), 0x0a010203);
  for (const bad of ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.", "a.b.c.d", "::1"]) {
    assert.equal(ipv4ToNumber(bad), -1, bad);
  }
});

Deno.test("IpRangeSet: ranges of every width, both families, boundaries", () => {
  const set = new IpRangeSet<string>();
  set.add("10.0.0.0/8", "ten");
  set.add("10.20.0.0/16", "ten-twenty");
  set.add("192.168.1.128/25", "upper-half");
  set.add("224.0.0.0/3", "wide");
  set.add("2001:db8::/32", "doc6");
  set.add("fc00::/7", "ula");
  set.add("203.0.113.9", "single");
  assert.equal(set.size, 7);
  assert.deepEqual(set.valuesOf("10.20.3.4").sort(), ["ten", "ten-twenty"]);
  assert.deepEqual(set.valuesOf("10.255.255.255"), ["ten"]);
  assert.deepEqual(set.valuesOf("11.0.0.0"), []);
  assert.deepEqual(set.valuesOf("192.168.1.128"), ["upper-half"]);
  assert.deepEqual(set.valuesOf("192.168.1.127"), []);
  assert.deepEqual(set.valuesOf("255.255.255.255"), ["wide"]);
  assert.deepEqual(set.valuesOf("223.255.255.255"), []);
  assert.deepEqual(set.valuesOf("2001:db8:ffff::1"), ["doc6"]);
  assert.deepEqual(set.valuesOf("2001:db9::1"), []);
  assert.deepEqual(set.valuesOf("fd12:3456::1"), ["ula"]);
  assert.deepEqual(set.valuesOf("::ffff:10.1.1.1"), ["ten"]);
  assert.deepEqual(set.valuesOf("203.0.113.9"), ["single"]);
  assert.deepEqual(set.valuesOf("fe80::1%eth0"), []);
  assert.equal(set.has("not an ip"), false);
  assert.throws(() => set.add("10.0.0.0/40", "bad"), /not an IP address or CIDR range/);
});

Deno.test("IpRangeSet: /0 contains every address of its family", () => {
  const set = new IpRangeSet<number>();
  set.add("0.0.0.0/0", 4);
  assert.equal(set.has("8.8.8.8"), true);
  assert.equal(set.has("2001:db8::1"), false);
  set.add("::/0", 6);
  assert.deepEqual(set.valuesOf("2001:db8::1"), [6]);
});

Deno.test("canonicalCidr clears host bits", () => {
  assert.equal(canonicalCidr("10.1.2.3/8"), "10.0.0.0/8");
  assert.equal(canonicalCidr("2001:db8::1/32"), "2001:db8::/32");
  assert.equal(canonicalCidr("10.0.0.0/33"), undefined);
  assert.equal(canonicalCidr("example.com/8"), undefined);
});
