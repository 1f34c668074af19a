/** Suricata eve.json event types other than flow, mapped to their records. */
import assert from "node:assert/strict";
import type {
  DnsRecord,
  FilesRecord,
  HttpRecord,
  IdsAlertRecord,
  SshRecord,
  SslRecord,
} from "../../core/records/records.ts";
import { fixture, readAll } from "./helpers.ts";

Deno.test("suricata: http, dns, tls, fileinfo, ssh, alert and anomaly events", async () => {
  const { records, warnings, notices } = await readAll(fixture("events/eve_events.jsonl"));
  assert.deepEqual(warnings, []);
  assert.deepEqual(records.map((r) => r.kind), [
    "http",
    "dns",
    "ssl",
    "files",
    "ssh",
    "ids_alert",
    "ids_alert",
  ]);
  assert.equal(
    notices.filter((n) => n.includes('"stats"')).length,
    1,
    "unknown event types get a notice",
  );
  for (const r of records) {
    assert.equal(r.uid, "1000000000000000", "flow_id links events like a Zeek uid");
    assert.equal(r.source, "suricata");
    assert.equal(r.ts, 1600000000.625);
  }
  const http = records[0] as HttpRecord;
  assert.equal(http.host, "example.com");
  assert.equal(http.uri, "/index.html");
  assert.equal(http.version, "1.1");
  assert.equal(http.method, "GET");
  assert.equal(http.statusCode, 200);
  assert.equal(http.responseBodyLen, 5000);
  assert.equal(http.userAgent, "curl/8.0");
  const dns = records[1] as DnsRecord;
  assert.equal(dns.query, "example.com");
  assert.equal(dns.qtype, "A");
  assert.equal(dns.rcode, "NOERROR");
  assert.deepEqual(dns.answers, ["93.184.216.34"]);
  assert.deepEqual(dns.ttls, [300]);
  assert.equal(dns.proto, "udp");
  const tls = records[2] as SslRecord;
  assert.equal(tls.serverName, "example.com");
  assert.equal(tls.issuer, "CN=Fixture CA");
  assert.equal(tls.notValidBefore, 1577836800);
  assert.equal(tls.notValidAfter, 1609459200);
  assert.equal(tls.ja3, "ja3hash");
  assert.deepEqual(tls.certChainFps, ["aa:bb:cc"]);
  const file = records[3] as FilesRecord;
  assert.equal(file.size, 5000);
  assert.equal(file.md5, "00112233445566778899aabbccddeeff");
  assert.equal(file.fileSource, "HTTP");
  const ssh = records[4] as SshRecord;
  assert.equal(ssh.version, 2);
  assert.equal(ssh.client, "OpenSSH_8.1");
  assert.equal(ssh.server, "OpenSSH_9.0");
  const alert = records[5] as IdsAlertRecord;
  assert.equal(alert.signature, "FIXTURE test alert");
  assert.equal(alert.signatureId, 2000001);
  assert.equal(alert.severity, 2);
  assert.equal(alert.category, "Misc Attack");
  const anomaly = records[6] as IdsAlertRecord;
  assert.equal(anomaly.signature, "APPLAYER_DETECT_PROTOCOL_ONLY_ONE_DIRECTION");
  assert.equal(anomaly.category, "anomaly:applayer");
});

Deno.test("suricata: grouped DNS answers and 64-bit flow ids", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const line = '{"timestamp":"2021-06-06T16:26:27.431769+0200","flow_id":18446744073709551557,' +
      '"event_type":"dns","src_ip":"192.168.1.129","src_port":35790,"dest_ip":"192.168.1.1","dest_port":53,' +
      '"proto":"UDP","dns":{"version":2,"type":"answer","rrname":"a.example","rrtype":"A","rcode":"NOERROR",' +
      '"grouped":{"CNAME":["b.example"],"A":["192.0.2.1","192.0.2.2"],"TXT":["v=spf1"]}}}';
    await Deno.writeTextFile(`${dir}/eve.json`, line + "\n");
    const { records, warnings } = await readAll(`${dir}/eve.json`);
    assert.deepEqual(warnings, []);
    const d = records[0] as DnsRecord;
    assert.equal(d.uid, "18446744073709551557");
    assert.deepEqual(d.answers, ["b.example", "192.0.2.1", "192.0.2.2", "TXT v=spf1"]);
    // 16:26:27.431769+02:00 is 14:26:27.431769Z.
    assert.ok(Math.abs(d.ts - 1622989587.431769) < 1e-6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
