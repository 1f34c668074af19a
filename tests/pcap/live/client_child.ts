/**
 * Runs inside a network namespace: a TCP connect sweep over 20 ports, one DNS query over UDP and
 * one HTTP request, all to `server`. Prints a JSON summary.
 */
import dgram from "node:dgram";
import { parseDns } from "../../../core/input/pcap/app/dns_message.ts";
import { dnsQuery } from "../dns_builder.ts";

const [server] = Deno.args;
const open: number[] = [];
const ports = [...Array(17).keys()].map((i) => 20 + i).concat([2222, 8080, 9000]);
for (const port of ports) {
  try {
    const c = await Deno.connect({ hostname: server, port });
    open.push(port);
    c.close();
  } catch {
    // Closed port: the connection was refused.
  }
}
const answer = await new Promise<string>((resolve) => {
  const s = dgram.createSocket("udp4");
  const timer = setTimeout(() => {
    s.close();
    resolve("");
  }, 5000);
  s.on("message", (m: Uint8Array) => {
    clearTimeout(timer);
    s.close();
    resolve(parseDns(m, 0, m.length)?.answers[0]?.text ?? "");
  });
  s.send(dnsQuery(0x4242, "live.test.example", 1), 53, server);
});
const res = await fetch(`http://${server}:8080/hello?from=netns`);
const body = await res.text();
console.log(JSON.stringify({ open, answer, status: res.status, body }));
