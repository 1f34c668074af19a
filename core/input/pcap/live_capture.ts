/**
 * Live capture through tcpdump: `tcpdump -i IFACE -w - -U --immediate-mode [-Z user] [filter]`
 * writes pcap to a pipe that the packet engine reads like a file. tcpdump is started and watched
 * until it reports that it is listening, so a missing program, a missing interface or a lack of
 * permission is reported as a clear error before any reading starts.
 */
import { InputError } from "../reader.ts";

export interface CaptureProcess {
  stdout: ReadableStream<Uint8Array>;
  /** Stops tcpdump and waits for it to exit; what it counted, when it said so. */
  stop(): Promise<CaptureCounts | null>;
}

/** tcpdump's closing statistics. */
export interface CaptureCounts {
  captured: number;
  received: number;
  droppedByKernel: number;
}

const READY_TIMEOUT_MS = 10_000;
/**
 * Kernel capture buffer. libpcap sizes each ring slot for the snap length (up to 256 KiB), so
 * tcpdump's 2 MiB default holds only a handful of packets and drops bursts while the reader is
 * busy; 64 MiB rides out several seconds of a busy link.
 */
export const DEFAULT_CAPTURE_BUFFER_MIB = 64;

export async function startTcpdump(
  iface: string,
  filter: string,
  user: string | undefined,
  bufferMiB = DEFAULT_CAPTURE_BUFFER_MIB,
): Promise<CaptureProcess> {
  const bufferKiB = String(Math.max(1, Math.round(bufferMiB * 1024)));
  const args = ["-i", iface, "-w", "-", "-U", "--immediate-mode", "-B", bufferKiB];
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
  // Keep draining stderr so tcpdump never blocks on it; its last words are the packet counts.
  let tail = "";
  const drained = (async () => {
    try {
      for (;;) {
        const r = await errReader.read();
        if (r.done) return;
        tail = (tail + r.value).slice(-4096);
      }
    } catch {
      // Stream closed.
    }
  })();
  let stopping: Promise<CaptureCounts | null> | null = null;
  return {
    stdout: child.stdout,
    stop() {
      stopping ??= (async () => {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already exited.
        }
        await child.status.catch(() => undefined);
        await Promise.race([drained, new Promise((r) => setTimeout(r, 1000))]);
        return parseCaptureCounts(tail);
      })();
      return stopping;
    },
  };
}

/** Reads "N packets captured / N packets received by filter / N packets dropped by kernel". */
export function parseCaptureCounts(stderr: string): CaptureCounts | null {
  const count = (what: string) => {
    const m = new RegExp(`(\\d+) packets? ${what}`).exec(stderr);
    return m === null ? null : Number(m[1]);
  };
  const captured = count("captured");
  const received = count("received by filter");
  const dropped = count("dropped by kernel");
  if (captured === null || dropped === null) return null;
  return { captured, received: received ?? captured, droppedByKernel: dropped };
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
