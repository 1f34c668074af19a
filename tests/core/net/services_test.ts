import assert from "node:assert/strict";
import { orgPort, serviceCount, serviceName } from "../../../core/net/services.ts";

Deno.test("serviceName: well-known and registered ports by protocol", () => {
  assert.equal(serviceName(443, "tcp"), "https");
  assert.equal(serviceName(53, "udp"), "domain");
  assert.equal(serviceName(22, "TCP"), "ssh");
  assert.equal(serviceName(3389, "tcp"), "ms-wbt-server");
  assert.equal(serviceName(5353, "udp"), "mdns");
  assert.equal(serviceName(1900, "udp"), "ssdp");
  assert.equal(serviceName(443, "udp"), "https");
  assert.ok(serviceCount() > 400);
});

Deno.test("serviceName: unassigned ports and the wrong protocol are unknown", () => {
  assert.equal(serviceName(55555, "tcp"), undefined);
  assert.equal(serviceName(22, "udp"), undefined);
  assert.equal(serviceName(80, "icmp"), undefined);
});

Deno.test("orgPort: ports used by big organisations, with their ranges when pinned", () => {
  const teams = orgPort(3479, "udp");
  assert.ok(teams?.some((u) => u.org === "microsoft" && u.ranges.includes("52.112.0.0/14")));
  assert.ok(orgPort(5223, "tcp")?.some((u) => u.org === "apple"));
  assert.ok(orgPort(19305, "udp")?.some((u) => u.org === "google"));
  assert.equal(orgPort(5223, "udp"), undefined);
  assert.equal(orgPort(30000, "tcp"), undefined);
  assert.ok(orgPort(55555, "tcp")?.every((u) => u.ranges.includes("17.0.0.0/8")));
});
