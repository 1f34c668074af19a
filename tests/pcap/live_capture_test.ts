/**
 * Live capture for real: two network namespaces joined by a veth pair (10.x addresses, no route
 * anywhere else), a server namespace (HTTP, DNS, TCP listeners) and a client namespace where
 * openLiveCapture runs on the veth while a port sweep, a DNS query and an HTTP request happen.
 * Needs root, `ip` and tcpdump; says so and is skipped otherwise.
 */
import assert from "node:assert/strict";
import type { FlowRecord } from "../../core/records/records.ts";
import { InputError } from "../../core/input/reader.ts";
import { openLiveCapture, parseCaptureCounts } from "../../core/input/pcap/mod.ts";
import { ofKind } from "./engine_run.ts";
import { createVethPair } from "../helpers/netns.ts";

async function has(cmd: string, args: string[]): Promise<boolean> {
  try {
    await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

const isRoot = Deno.uid() === 0;
const haveIp = await has("ip", ["-V"]);
const haveTcpdump = await has("tcpdump", ["--version"]);
const reason = !isRoot
  ? "not running as root"
  : !haveIp
  ? "the `ip` command is missing (Debian package iproute2)"
  : !haveTcpdump
  ? "tcpdump is missing (apt-get install -y tcpdump)"
  : "";
if (reason !== "") console.warn(`Live capture test skipped: ${reason}.`);

/** Reads JSON lines from a child's stdout. */
class JsonLines {
  #reader: ReadableStreamDefaultReader<string>;
  #buf = "";
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }
  async next(): Promise<Record<string, unknown> | null> {
    for (;;) {
      const nl = this.#buf.indexOf("\n");
      if (nl >= 0) {
        const line = this.#buf.slice(0, nl);
        this.#buf = this.#buf.slice(nl + 1);
        if (line.trim() === "") continue;
        return JSON.parse(line);
      }
      const r = await this.#reader.read();
      if (r.done) return null;
      this.#buf += r.value;
    }
  }
}

const here = new URL(".", import.meta.url).pathname;

Deno.test({
  name: "live capture on a veth between two namespaces",
  ignore: reason !== "",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const pair = await createVethPair("slips");
    const { nsA, nsB, vethA, client, server } = pair;
    const children: Deno.ChildProcess[] = [];
    try {
      const deno = Deno.execPath();
      const spawn = (ns: string, script: string, args: string[], stdin: "piped" | "null") => {
        const c = new Deno.Command("ip", {
          args: ["netns", "exec", ns, deno, "run", "-A", `${here}live/${script}`, ...args],
          stdin,
          stdout: "piped",
          stderr: "inherit",
        }).spawn();
        children.push(c);
        return c;
      };
      const srv = spawn(nsB, "server_child.ts", [server, "10.231.0.99"], "null");
      const srvOut = new JsonLines(srv.stdout);
      assert.deepEqual(await srvOut.next(), { ready: true });

      const cap = spawn(nsA, "capture_child.ts", [vethA], "piped");
      const capOut = new JsonLines(cap.stdout);
      const ready = await capOut.next();
      assert.equal(ready?.ready, true, `capture started: ${JSON.stringify(ready)}`);

      const cli = new Deno.Command("ip", {
        args: ["netns", "exec", nsA, deno, "run", "-A", `${here}live/client_child.ts`, server],
        stdout: "piped",
        stderr: "inherit",
      });
      const cliOut = await cli.output();
      const summary = JSON.parse(new TextDecoder().decode(cliOut.stdout));
      assert.deepEqual(summary.open, [2222, 8080, 9000]);
      assert.equal(summary.answer, "10.231.0.99");
      assert.equal(summary.status, 200);

      // Let tcpdump hand over the last packets (slow when the whole suite runs in parallel),
      // then stop the capture by closing its stdin.
      await new Promise((r) => setTimeout(r, 3000));
      await cap.stdin.close();
      const records: FlowRecord[] = [];
      let done: Record<string, unknown> | null = null;
      for (let m = await capOut.next(); m !== null; m = await capOut.next()) {
        if (m.record !== undefined) records.push(m.record as FlowRecord);
        if (m.done === true) done = m;
      }
      assert.ok(done !== null, "the capture finished cleanly");
      assert.deepEqual(done.warnings, []);

      const conns = ofKind(records, "conn").filter((c) => c.saddr === client && c.daddr === server);
      const tcp = conns.filter((c) => c.proto === "tcp");
      const swept = new Set(tcp.map((c) => c.dport));
      assert.ok(
        swept.size >= 20,
        `a sweep of 20 ports, saw ${[...swept].join(",")} (${JSON.stringify(done.notices)})`,
      );
      const rejected = tcp.filter((c) => c.state === "REJ");
      assert.equal(rejected.length, 17, "closed ports answer with RST");
      assert.ok(rejected.every((c) => c.history === "Sr" && c.interpreted === "Not Established"));
      const http = tcp.filter((c) => c.dport === 8080 && c.appproto === "http");
      assert.equal(http.length, 1);
      assert.equal(http[0].state, "SF");

      const [dns] = ofKind(records, "dns");
      assert.deepEqual([dns.query, dns.qtype, dns.rcode, dns.answers, dns.saddr], [
        "live.test.example",
        "A",
        "NOERROR",
        ["10.231.0.99"],
        client,
      ]);
      const [req] = ofKind(records, "http");
      assert.deepEqual([req.method, req.host, req.uri, req.statusCode], [
        "GET",
        `${server}:8080`,
        "/hello?from=netns",
        200,
      ]);
      assert.deepEqual(req.respMimeTypes, ["text/plain"]);
      assert.equal(req.responseBodyLen, "hello from the namespace\n".length);
      const sw = ofKind(records, "software");
      assert.ok(sw.some((s) => s.softwareType === "HTTP::SERVER" && s.name === "NsTest"));
      assert.ok(records.every((r) => r.source === "pcap"));
    } finally {
      for (const c of children) {
        try {
          c.kill("SIGKILL");
        } catch {
          // Already exited.
        }
        await c.status.catch(() => {});
      }
      await pair.remove();
    }
  },
});

Deno.test({
  name: "live capture names a missing interface clearly",
  ignore: !haveTcpdump || !isRoot,
  fn: async () => {
    await assert.rejects(
      () => openLiveCapture("nosuchif0", { onWarning: () => {} }),
      (e: Error) =>
        e instanceof InputError && /nosuchif0: there is no such network interface/.test(e.message),
    );
  },
});

Deno.test("tcpdump's closing counts are read, drops included", () => {
  const said = "tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 " +
    "bytes\n75 packets captured\n78 packets received by filter\n3 packets dropped by kernel\n";
  assert.deepEqual(parseCaptureCounts(said), { captured: 75, received: 78, droppedByKernel: 3 });
  assert.deepEqual(
    parseCaptureCounts(
      "1 packet captured\n1 packet received by filter\n0 packets dropped by kernel\n",
    ),
    {
      captured: 1,
      received: 1,
      droppedByKernel: 0,
    },
  );
  assert.equal(parseCaptureCounts("tcpdump: eth9: No such device exists"), null);
});
