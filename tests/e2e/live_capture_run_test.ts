/**
 * The whole program on a live interface, for real: two network namespaces joined by a veth pair
 * (10.231.x addresses, no route anywhere else). Slips runs with -i on the client side, started as
 * root through "sudo" (SUDO_UID), while the client sweeps 20 ports of the server, asks it a DNS
 * question and fetches a page. Slips must give up root after opening the capture, see the
 * connections, and report the sweep as a vertical port scan.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { disableAllBut, MAIN, PROJECT } from "../helpers/run_slips.ts";
import { createVethPair } from "../helpers/netns.ts";

async function has(cmd: string, args: string[]): Promise<boolean> {
  try {
    await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

const reason = Deno.uid() !== 0
  ? "not running as root"
  : !(await has("ip", ["-V"]))
  ? "the ip command (iproute2) is missing"
  : !(await has("tcpdump", ["--version"]))
  ? "tcpdump is missing"
  : "";
if (reason) console.warn(`live_capture_run_test skipped: ${reason}.`);

/** Resolves with everything printed so far once `pattern` appears on the stream. */
async function waitFor(
  reader: ReadableStreamDefaultReader<string>,
  pattern: RegExp,
  seen: { text: string },
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!pattern.test(seen.text)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${pattern}: ${seen.text}`);
    const r = await reader.read();
    if (r.done) throw new Error(`The stream ended before ${pattern}: ${seen.text}`);
    seen.text += r.value;
  }
}

const LIVE = join(PROJECT, "tests/pcap/live");

Deno.test({
  name: "slips -i on a veth: drops root, sees the sweep, reports a vertical port scan",
  ignore: reason !== "",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const pair = await createVethPair("slipsR");
    const { nsA, nsB, vethA, client, server } = pair;
    const outDir = Deno.makeTempDirSync({ prefix: "slips-live-" });
    Deno.removeSync(outDir);
    const children: Deno.ChildProcess[] = [];
    const deno = Deno.execPath();
    try {
      const srv = new Deno.Command("ip", {
        args: [
          "netns",
          "exec",
          nsB,
          deno,
          "run",
          "-A",
          `${LIVE}/server_child.ts`,
          server,
          "10.231.0.99",
        ],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      children.push(srv);
      const srvOut = { text: "" };
      await waitFor(srv.stdout.pipeThrough(new TextDecoderStream()).getReader(), /ready/, srvOut);

      const slips = new Deno.Command("ip", {
        args: [
          "netns",
          "exec",
          nsA,
          deno,
          "run",
          "-A",
          MAIN,
          "-i",
          vethA,
          "-o",
          outDir,
          "-v",
          "1",
          "--disable",
          disableAllBut(["network_discovery", "flow_alerts"]),
        ],
        cwd: PROJECT,
        env: { SUDO_UID: "65534", SUDO_GID: "65534", SUDO_USER: "nobody" },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      children.push(slips);
      const slipsOut = { text: "" };
      const slipsReader = slips.stdout.pipeThrough(new TextDecoderStream()).getReader();
      await waitFor(slipsReader, /Modules \(\d+\):/, slipsOut);
      assert.match(slipsOut.text, /Dropped root: running as uid 65534/);

      const cli = await new Deno.Command("ip", {
        args: ["netns", "exec", nsA, deno, "run", "-A", `${LIVE}/client_child.ts`, server],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      const summary = JSON.parse(new TextDecoder().decode(cli.stdout));
      assert.deepEqual(summary.open, [2222, 8080, 9000]);

      // tcpdump hands packets over at once (-U); give it a moment, then stop as Ctrl-C would.
      await new Promise((r) => setTimeout(r, 3000));
      slips.kill("SIGTERM");
      const rest = slipsReader.read().then(async function drain(r): Promise<void> {
        if (r.done) return;
        slipsOut.text += r.value;
        return drain(await slipsReader.read());
      });
      const status = await slips.status;
      await rest;
      const stderr = new TextDecoder().decode(await new Response(slips.stderr).arrayBuffer());
      assert.equal(status.code, 0, `${stderr}\n${slipsOut.text}`);
      assert.equal(Deno.readTextFileSync(join(outDir, "errors.log")), "");
      const alerts = Deno.readTextFileSync(join(outDir, "alerts.log"));
      assert.match(
        alerts,
        new RegExp(
          `Vertical port scan to IP ${server.replaceAll(".", "\\.")} from ${
            client.replaceAll(".", "\\.")
          }`,
        ),
      );
      assert.match(slipsOut.text, /Total analyzed IPs: [1-9]/);
      const info = Deno.readTextFileSync(join(outDir, "metadata/info.txt"));
      assert.match(info, /running as: uid 65534\s+65534/);
    } finally {
      for (const c of children) {
        try {
          c.kill("SIGKILL");
        } catch {
          // Already gone.
        }
      }
      await pair.remove();
      try {
        Deno.removeSync(outDir, { recursive: true });
      } catch {
        // Never created.
      }
    }
  },
});
