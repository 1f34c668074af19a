/**
 * tshark as the oracle, on every capture in the shared Slips datasets.
 *
 * How connections are compared: both sides are reduced to *directions* "A:pa > B:pb" (tshark's
 * conversation table gives frames and bytes for A→B and B→A; the engine's connections give the
 * originator's and responder's counts). Several engine connections on the same 5-tuple (split by
 * timeouts or port reuse), like several tshark TCP streams, are summed. Then, per direction:
 *  - frames must be equal;
 *  - the engine's frame bytes (wire length of each frame) must lie in the range tshark's printed
 *    figure stands for ("9180 bytes" exactly, "17 kB" = 17000..17999);
 *  - the engine's IP bytes (Zeek's orig_ip_bytes/resp_ip_bytes) must equal the sum of tshark's
 *    ip.len (or 40 + ipv6.plen) over the same packets.
 * Application records: DNS query names (the first question of each message), HTTP host+uri,
 * TLS server names and JA3/JA3S fingerprints must match the values tshark's dissectors extract.
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import { SLIPS_DATA } from "../helpers/datasets.ts";
import { ofKind, runEngine } from "./engine_run.ts";
import {
  conversations,
  fieldValues,
  ipBytes,
  TSHARK_MISSING,
  tsharkAvailable,
} from "./tshark_oracle.ts";

function findCaptures(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...findCaptures(p));
    else if (/\.(pcap|pcapng|cap)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

const captures = findCaptures(SLIPS_DATA);
const haveTshark = await tsharkAvailable();
if (!haveTshark) console.warn(TSHARK_MISSING);

Deno.test("the shared datasets hold captures to check", () => {
  assert.ok(captures.length >= 5, `expected the Slips pcaps under ${SLIPS_DATA}`);
});

for (const file of captures) {
  const name = relative(SLIPS_DATA, file);
  Deno.test({
    name: `tshark agrees with the packet engine on ${name}`,
    ignore: !haveTshark,
    fn: async (t) => {
      const run = await runEngine(file);
      assert.deepEqual(run.warnings, [], "a clean capture gives no warnings");

      for (const proto of ["tcp", "udp"] as const) {
        await t.step(`${proto} conversations: frames, frame bytes, IP bytes`, async () => {
          const theirs = await conversations(file, proto);
          const ips = await ipBytes(file, proto);
          const ours = run.directed[proto];
          assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort(), "same directions");
          for (const [k, o] of ours) {
            const th = theirs.get(k)!;
            assert.equal(o.frames, th.frames, `frames ${k}`);
            assert.ok(
              o.wireBytes >= th.minBytes && o.wireBytes <= th.maxBytes,
              `frame bytes ${k}: ours ${o.wireBytes}, tshark ${th.minBytes}..${th.maxBytes}`,
            );
            assert.equal(o.ipBytes, ips.get(k), `IP bytes ${k}`);
          }
        });
      }

      await t.step("DNS query names", async () => {
        const rows = await fieldValues(file, "(dns || mdns || llmnr) && !icmp && !icmpv6", [
          "dns.qry.name",
        ]);
        const theirs = new Set<string>();
        // One record per message, named after its first question, as in dns.log.
        for (const [names] of rows) {
          const first = names.split(",")[0];
          if (first !== "" && first !== "<Root>") theirs.add(first.toLowerCase());
        }
        const ours = new Set(
          ofKind(run.records, "dns").map((r) => r.query).filter((q) => q !== ""),
        );
        assert.deepEqual([...ours].sort(), [...theirs].sort());
      });

      await t.step("HTTP requests (host + uri)", async () => {
        const rows = await fieldValues(file, "http.request", ["http.host", "http.request.uri"]);
        const theirs = rows.map(([h, u]) => `${h} ${u}`).sort();
        const ours = ofKind(run.records, "http").filter((r) => r.method !== "").map((r) =>
          `${r.host} ${r.uri}`
        ).sort();
        assert.deepEqual(ours, theirs);
      });

      await t.step("TLS server names", async () => {
        const rows = await fieldValues(file, "tls.handshake.type == 1", [
          "tcp.stream",
          "tls.handshake.extensions_server_name",
        ]);
        const perStream = new Map<string, string>();
        for (const [stream, sni] of rows) if (!perStream.has(stream)) perStream.set(stream, sni);
        const theirs = [...perStream.values()].sort();
        const ours = ofKind(run.records, "ssl").filter((r) => r.ja3 !== "").map((r) => r.serverName)
          .sort();
        assert.deepEqual(ours, theirs);
      });

      await t.step("TLS JA3 and JA3S fingerprints", async () => {
        const rows = await fieldValues(file, "tls.handshake.type == 1 || tls.handshake.type == 2", [
          "tcp.stream",
          "tls.handshake.ja3",
          "tls.handshake.ja3s",
        ]);
        const perStream = new Map<string, { ja3: string; ja3s: string }>();
        for (const [stream, ja3, ja3s] of rows) {
          const e = perStream.get(stream) ?? { ja3: "", ja3s: "" };
          if (e.ja3 === "" && ja3 !== "") e.ja3 = ja3;
          if (e.ja3s === "" && ja3s !== "") e.ja3s = ja3s;
          perStream.set(stream, e);
        }
        const theirs = [...perStream.values()].map((e) => `${e.ja3}/${e.ja3s}`).sort();
        const ours = ofKind(run.records, "ssl").map((r) => `${r.ja3}/${r.ja3s}`).sort();
        assert.deepEqual(ours, theirs);
      });
    },
  });
}
