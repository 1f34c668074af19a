/**
 * The packet engine's public face: read a pcap/pcapng file, or capture live through tcpdump, and
 * get the same records the Zeek path produces (source "pcap"), in time order and in batches.
 */
import { type FlowReader, InputError, type ReaderOptions } from "../reader.ts";
import {
  BufferChunkReader,
  ByteWindow,
  FileChunkReader,
  StreamChunkReader,
} from "./byte_window.ts";
import { sniffCaptureKind } from "./capture_format.ts";
import { startTcpdump } from "./live_capture.ts";
import { PacketEngine } from "./packet_engine.ts";
import { PcapReader } from "./pcap_reader.ts";
import { seedFrom } from "./uid_source.ts";
import { ZeekLogWriter } from "./zeek_log_writer.ts";

export { PacketEngine } from "./packet_engine.ts";
export type { EngineOptions, EngineStats } from "./packet_engine.ts";
export type { Connection } from "./connection.ts";
export { PcapReader } from "./pcap_reader.ts";
export { ZeekLogWriter } from "./zeek_log_writer.ts";
export { sniffCaptureKind } from "./capture_format.ts";
export { type CaptureCounts, parseCaptureCounts } from "./live_capture.ts";

export type PcapOptions = ReaderOptions & {
  /** Also write the records as Zeek TSV logs into this directory. */
  writeZeekLogsDir?: string;
  /** TCP inactivity timeout in seconds (Slips' default: 60 minutes). */
  tcpInactivityTimeout?: number;
  /** Connections tracked at once (default 200,000). */
  maxConnections?: number;
  /** Sees each connection as it is removed (tests compare it with frame-counting tools). */
  onConnectionRemoved?: import("./packet_engine.ts").EngineOptions["onConnectionRemoved"];
};

export type LiveOptions = ReaderOptions & {
  /** BPF filter expression for tcpdump. */
  filter?: string;
  writeZeekLogsDir?: string;
  tcpInactivityTimeout?: number;
  /** User tcpdump drops privileges to (-Z). */
  user?: string;
  /** Kernel capture buffer in MiB (tcpdump -B). */
  captureBufferMiB?: number;
};

async function writerFor(dir: string | undefined): Promise<ZeekLogWriter | null> {
  if (dir === undefined || dir === "") return null;
  const w = new ZeekLogWriter(dir);
  await w.open();
  return w;
}

/** Opens a pcap or pcapng file for reading with the packet engine. */
export async function openPcap(path: string, options: PcapOptions): Promise<FlowReader> {
  let file: Deno.FsFile;
  let size = 0;
  try {
    file = await Deno.open(path, { read: true });
    size = (await file.stat()).size;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new InputError(`The capture file ${path} does not exist.`);
    }
    throw new InputError(`Cannot open the capture file ${path}: ${(e as Error).message}.`);
  }
  const head = new Uint8Array(4);
  let n = 0;
  try {
    while (n < 4) {
      const r = await file.read(head.subarray(n));
      if (r === null) break;
      n += r;
    }
    await file.seek(0, Deno.SeekMode.Start);
  } catch (e) {
    file.close();
    throw new InputError(`Cannot read the capture file ${path}: ${(e as Error).message}.`);
  }
  const kind = sniffCaptureKind(head.subarray(0, n));
  if (kind === null) {
    file.close();
    throw new InputError(
      `${path} is not a pcap or pcapng capture: its first bytes are not a capture magic number.`,
    );
  }
  let writer: ZeekLogWriter | null;
  try {
    writer = await writerFor(options.writeZeekLogsDir);
  } catch (e) {
    file.close();
    throw new InputError((e as Error).message);
  }
  const engine = new PacketEngine({
    file: path,
    tcpInactivityTimeout: options.tcpInactivityTimeout,
    maxConnections: options.maxConnections,
    onWarning: options.onWarning,
    seed: seedFrom(path),
    onConnectionRemoved: options.onConnectionRemoved,
  });
  return new PcapReader({
    description: `${kind} capture ${path} (packet engine)`,
    file: path,
    window: new ByteWindow(new FileChunkReader(file)),
    engine,
    options,
    writer,
    totalBytes: size,
    live: false,
  });
}

/** Reads a capture held in memory (tests and fuzzing). */
export function openPcapBytes(
  name: string,
  bytes: Uint8Array,
  options: PcapOptions & { chunk?: number },
): FlowReader {
  const engine = new PacketEngine({
    file: name,
    tcpInactivityTimeout: options.tcpInactivityTimeout,
    maxConnections: options.maxConnections,
    onWarning: options.onWarning,
    seed: seedFrom(name),
    onConnectionRemoved: options.onConnectionRemoved,
  });
  return new PcapReader({
    description: `capture ${name} (packet engine)`,
    file: name,
    window: new ByteWindow(new BufferChunkReader(bytes, options.chunk), 1 << 16),
    engine,
    options,
    writer: null,
    totalBytes: bytes.length,
    live: false,
  });
}

/**
 * Captures live on `iface` through tcpdump until `options.signal` aborts. Resolves once tcpdump
 * is listening; rejects with an InputError when it cannot capture.
 */
export async function openLiveCapture(iface: string, options: LiveOptions): Promise<FlowReader> {
  const proc = await startTcpdump(
    iface,
    options.filter ?? "",
    options.user,
    options.captureBufferMiB,
  );
  let writer: ZeekLogWriter | null;
  try {
    writer = await writerFor(options.writeZeekLogsDir);
  } catch (e) {
    await proc.stop();
    throw new InputError((e as Error).message);
  }
  const onAbort = () => void proc.stop();
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  const engine = new PacketEngine({
    file: `interface ${iface}`,
    tcpInactivityTimeout: options.tcpInactivityTimeout,
    onWarning: options.onWarning,
    seed: (Date.now() ^ (Math.random() * 0x7fffffff)) >>> 0,
  });
  return new PcapReader({
    description: `live capture on ${iface} (tcpdump, packet engine)`,
    file: `interface ${iface}`,
    window: new ByteWindow(new StreamChunkReader(proc.stdout), 1 << 20),
    engine,
    options,
    writer,
    totalBytes: 0,
    live: true,
    stop: async () => {
      const counts = await proc.stop();
      // Lost packets mean missing or half-seen connections; the user must know the view is partial.
      if (counts !== null && counts.droppedByKernel > 0) {
        options.onNotice?.(
          `interface ${iface}: the kernel dropped ${counts.droppedByKernel} of ` +
            `${counts.received} packets because they arrived faster than they were read; ` +
            `raise [parameters] capture_buffer_size or capture fewer packets with a filter (-F).`,
        );
      }
      return counts;
    },
  });
}
