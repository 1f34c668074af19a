/**
 * Runs inside a network namespace: an HTTP server on 8080, two TCP listeners that accept and
 * close (2222, 9000), and a DNS responder on UDP 53 answering every A query with `answer`.
 */
import dgram from "node:dgram";
import { parseDns } from "../../../core/input/pcap/app/dns_message.ts";
import { dnsResponse, rdata } from "../dns_builder.ts";

const [ip, answer] = Deno.args;
Deno.serve(
  { hostname: ip, port: 8080, onListen: () => {} },
  () =>
    new Response("hello from the namespace\n", {
      headers: { "content-type": "text/plain", "server": "NsTest/1.2" },
    }),
);
for (const port of [2222, 9000]) {
  const l = Deno.listen({ hostname: ip, port });
  (async () => {
    for await (const c of l) c.close();
  })();
}
const sock = dgram.createSocket("udp4");
sock.on("message", (msg: Uint8Array, rinfo: { address: string; port: number }) => {
  const q = parseDns(msg, 0, msg.length);
  if (q === null || q.questions.length === 0) return;
  const name = q.questions[0].name;
  sock.send(
    dnsResponse(q.id, name, 1, [{ type: 1, ttl: 60, rdata: rdata.a(answer) }]),
    rinfo.port,
    rinfo.address,
  );
});
sock.bind(53, ip, () => console.log(JSON.stringify({ ready: true })));
