import assert from "node:assert/strict";
import { ipv4ToInt, LocalNetwork } from "../../../core/net/local_network.ts";

Deno.test("ipv4ToInt: dotted quads only", () => {
  assert.equal(ipv4ToInt("0.0.0.0"), 0);
  assert.equal(ipv4ToInt("255.255.255.255"), 4294967295);
  assert.equal(ipv4ToInt("192.168.1.10"), 3232235786);
  for (
    const bad of ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "::1", "a.b.c.d"]
  ) {
    assert.equal(ipv4ToInt(bad), -1, bad);
  }
});

Deno.test("LocalNetwork: the first private CIDR of client_ips wins", () => {
  const net = new LocalNetwork(["8.8.8.0/24", "10.20.0.0/16", "192.168.0.0/16", "10.1.1.1"]);
  assert.equal(net.cidr, "10.20.0.0/16");
  assert.ok(net.contains("10.20.3.4"));
  assert.ok(!net.contains("10.21.0.1"));
  net.observe("192.168.1.1");
  assert.equal(net.cidr, "10.20.0.0/16");
});

Deno.test("LocalNetwork: else the RFC 1918 block of the first private ordinary IPv4 source", () => {
  const net = new LocalNetwork();
  assert.equal(net.known, false);
  assert.equal(net.contains("192.168.1.1"), false);
  for (
    const skipped of ["8.8.8.8", "169.254.1.1", "127.0.0.1", "224.0.0.1", "fe80::1", "100.64.0.1"]
  ) {
    net.observe(skipped);
    assert.equal(net.known, false, skipped);
  }
  net.observe("172.20.5.5");
  assert.equal(net.cidr, "172.16.0.0/12");
  assert.ok(net.contains("172.31.255.255"));
  assert.ok(!net.contains("172.32.0.0"));
  net.observe("10.0.0.1");
  assert.equal(net.cidr, "172.16.0.0/12");
});

Deno.test("LocalNetwork: a host address with a prefix is taken as its network", () => {
  const net = new LocalNetwork();
  net.set("10.1.2.3/8");
  assert.ok(net.contains("10.200.0.1"));
  net.set("fd00::/8");
  assert.ok(net.contains("fd12::1"));
  assert.ok(!net.contains("10.200.0.1"));
});
