/**
 * Live capture through tcpdump: `tcpdump -i IFACE -w - -U --immediate-mode [-Z user] [filter]`
 * writes pcap to a pipe that the packet engine reads like a file. tcpdump is started and watched
 * until it reports that it is listening, so a missing program, a missing interface or a lack of
 * permission is reported as a clear error before any reading starts.
 */
import { InputError } from "../reader.ts";

export interface CaptureProcess {
  stdout: ReadableStream<Uint8Array>;
  /** Stops tcpdump and waits for it to exit. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

export async function startTcpdump(
  iface: string,
  filter: string,
  user: string | undefined,
): Promise<CaptureProcess> {
  const args = ["-i", iface, "-w", "-", "-U", "--immediate-mode"];
  if (user !== undefined && user !== "") args.push("-Z", user);
  if (filter.trim() !== "") args.push(filter);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("tcpdump", {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new InputError(
        "Live capture needs tcpdump, which is not installed; install the Debian package " +
          "tcpdump (apt-get install tcpdump) and try again.",
      );
    }
    throw new InputError(`Could not start tcpdump on ${iface}: ${(e as Error).message}.`);
  }

  // tcpdump says "listening on IFACE" on stderr once the capture is open.
  const errReader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let errText = "";
  let ready = false;
  const watch = (async () => {
    for (;;) {
      const r = await errReader.read();
      if (r.done) return;
      errText += r.value;
      if (!ready && /listening on/.test(errText)) {
        ready = true;
        return;
      }
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), READY_TIMEOUT_MS);
  });
  const outcome = await Promise.race([
    watch.then(() => ready ? "ready" as const : "ended" as const),
    child.status.then(() => "exited" as const),
    timeout,
  ]);
  clearTimeout(timer);
  if (outcome !== "ready") {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    await child.status.catch(() => undefined);
    // Collect what tcpdump said about why.
    await Promise.race([watch, new Promise((r) => setTimeout(r, 200))]);
    await child.stdout.cancel().catch(() => {});
    throw new InputError(explain(iface, errText, outcome === "timeout"));
  }
  // Keep draining stderr so tcpdump never blocks on it.
  (async () => {
    try {
      for (;;) {
        const r = await errReader.read();
        if (r.done) return;
      }
    } catch {
      // Stream closed.
    }
  })();
  let stopped = false;
  return {
    stdout: child.stdout,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        child.kill("SIGTERM");
      } catch {
        // Already exited.
      }
      await child.status.catch(() => undefined);
    },
  };
}

function explain(iface: string, stderr: string, timedOut: boolean): string {
  const said = stderr.trim().split("\n").filter((l) => l.trim() !== "").pop() ?? "";
  if (/No such device|doesn't exist|no such device/i.test(stderr)) {
    return `Cannot capture on ${iface}: there is no such network interface (tcpdump: ${said}).`;
  }
  if (/permission|Operation not permitted|not permitted/i.test(stderr)) {
    return `Cannot capture on ${iface}: no permission to capture packets; run as root or ` +
      `give tcpdump the CAP_NET_RAW capability (tcpdump: ${said}).`;
  }
  if (/syntax error|expression/i.test(stderr)) {
    return `Cannot capture on ${iface}: tcpdump rejected the packet filter (${said}).`;
  }
  if (timedOut) {
    return `tcpdump did not start capturing on ${iface} within ${READY_TIMEOUT_MS / 1000} s.`;
  }
  return `tcpdump stopped before capturing on ${iface}${said !== "" ? `: ${said}` : ""}.`;
}
