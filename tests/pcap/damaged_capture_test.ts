/** Damaged, truncated and foreign files: clear errors, and reading up to the damage. */
import assert from "node:assert/strict";
import { InputError } from "../../core/input/reader.ts";
import { openPcap } from "../../core/input/pcap/mod.ts";
import { ofKind, runEngine, runEngineBytes } from "./engine_run.ts";
import { Capture, ethernet, ipv4, text, udp, udpFrame } from "./packet_builder.ts";

function threePackets(format: "pcap" | "pcapng" = "pcap"): Uint8Array {
  const cap = new Capture({ format });
  for (let i = 0; i < 3; i++) {
    cap.add(udpFrame("10.0.0.1", "10.0.0.2", 1000 + i, 2000, text(`packet ${i}`)));
  }
  return cap.bytes();
}

async function withFile<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  const path = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await Deno.writeFile(path, bytes);
    return await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("a missing file and a file that is not a capture are InputErrors with a sentence", async () => {
  await assert.rejects(
    () => openPcap("/nonexistent/capture.pcap", { onWarning: () => {} }),
    (e: Error) => e instanceof InputError && /does not exist\.$/.test(e.message),
  );
  await withFile(text("ts\tuid\tid.orig_h\n"), async (path) => {
    await assert.rejects(
      () => openPcap(path, { onWarning: () => {} }),
      (e: Error) =>
        e instanceof InputError && e.message.includes("is not a pcap or pcapng capture"),
    );
  });
});

Deno.test("a capture cut in the middle of a packet is read up to there, with a warning", async () => {
  const bytes = threePackets();
  const cut = bytes.subarray(0, bytes.length - 5);
  await withFile(cut, async (path) => {
    const run = await runEngine(path);
    assert.equal(ofKind(run.records, "conn").length, 2);
    assert.equal(run.warnings.length, 1);
    const w = run.warnings[0];
    assert.equal(w.file, path);
    assert.equal(w.line, 3);
    assert.match(w.message, /ends in the middle of packet 3/);
  });
});

Deno.test("an impossible record length stops reading there, naming the packet", async () => {
  const bytes = threePackets().slice();
  // Packet 2's captured length (record header starts after the 24-byte file header).
  const first = 24 + 16 + new DataView(bytes.buffer).getUint32(24 + 8, true);
  new DataView(bytes.buffer).setUint32(first + 8, 0x7fffffff, true);
  const run = await runEngineBytes("damaged.pcap", bytes);
  assert.equal(ofKind(run.records, "conn").length, 1);
  assert.equal(run.warnings.length, 1);
  assert.equal(run.warnings[0].line, 2);
  assert.match(
    run.warnings[0].message,
    /^damaged\.pcap: packet 2 claims 2147483647 captured bytes/,
  );
});

Deno.test("a pcapng block with a broken length stops reading there", async () => {
  const bytes = threePackets("pcapng").slice();
  const v = new DataView(bytes.buffer);
  // Section header, interface block, then the first packet block; break the second one.
  let off = v.getUint32(4, true);
  off += v.getUint32(off + 4, true);
  off += v.getUint32(off + 4, true);
  v.setUint32(off + 4, 13, true);
  const run = await runEngineBytes("damaged.pcapng", bytes);
  assert.equal(ofKind(run.records, "conn").length, 1);
  assert.match(run.warnings[0].message, /impossible length of 13 bytes/);
});

Deno.test("malformed headers are reported per packet and the rest is analysed", async () => {
  const cap = new Capture();
  cap.add(udpFrame("10.0.0.1", "10.0.0.2", 1000, 2000, text("fine")));
  const bad = ethernet(
    0x0800,
    ipv4({ src: "10.0.0.1", dst: "10.0.0.2", proto: 17, payload: udp(1, 2, text("x")) }),
  );
  bad[14] = 0x43; // header length 12 bytes
  cap.add(bad);
  const shortUdp = ethernet(
    0x0800,
    ipv4({
      src: "10.0.0.1",
      dst: "10.0.0.2",
      proto: 17,
      payload: new Uint8Array([0, 1, 0, 2, 0, 3, 0, 0]),
    }),
  );
  cap.add(shortUdp);
  cap.add(udpFrame("10.0.0.1", "10.0.0.2", 1001, 2000, text("fine too")));
  const run = await runEngineBytes("bad-headers", cap.bytes());
  assert.equal(ofKind(run.records, "conn").length, 2);
  assert.deepEqual(run.warnings.map((w) => w.line), [2, 3]);
  assert.match(
    run.warnings[0].message,
    /packet 2 is malformed: expected an IPv4 header length of at least 20, found 12\./,
  );
  assert.match(run.warnings[1].message, /expected a UDP length of at least 8, found 3/);
});

Deno.test("an empty file is rejected", async () => {
  await withFile(new Uint8Array(0), async (path) => {
    await assert.rejects(() => openPcap(path, { onWarning: () => {} }), InputError);
  });
});
