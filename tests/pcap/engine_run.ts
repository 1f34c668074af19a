/** Runs the packet engine over a capture and collects what the tests look at. */
import type { FlowRecord } from "../../core/records/records.ts";
import type { InputWarning } from "../../core/input/reader.ts";
import { type Connection, openPcap, openPcapBytes } from "../../core/input/pcap/mod.ts";

export interface DirectedTotals {
  frames: number;
  wireBytes: number;
  ipBytes: number;
}

export interface EngineRun {
  records: FlowRecord[];
  warnings: InputWarning[];
  notices: string[];
  /** Per direction "a:pa>b:pb", for TCP ("tcp") and UDP ("udp") connections. */
  directed: Record<"tcp" | "udp", Map<string, DirectedTotals>>;
}

function collector() {
  const directed: EngineRun["directed"] = { tcp: new Map(), udp: new Map() };
  const onConnectionRemoved = (c: Connection) => {
    const table = c.proto === 6 ? directed.tcp : c.proto === 17 ? directed.udp : null;
    if (table === null) return;
    const add = (k: string, frames: number, wire: number, ip: number) => {
      if (frames === 0) return;
      const t = table.get(k) ?? { frames: 0, wireBytes: 0, ipBytes: 0 };
      t.frames += frames;
      t.wireBytes += wire;
      t.ipBytes += ip;
      table.set(k, t);
    };
    add(`${c.saddr}:${c.sport}>${c.daddr}:${c.dport}`, c.origPkts, c.origWireBytes, c.origIpBytes);
    add(`${c.daddr}:${c.dport}>${c.saddr}:${c.sport}`, c.respPkts, c.respWireBytes, c.respIpBytes);
  };
  return { directed, onConnectionRemoved };
}

export async function runEngine(
  path: string,
  extra: { writeZeekLogsDir?: string; tcpInactivityTimeout?: number } = {},
): Promise<EngineRun> {
  const { directed, onConnectionRemoved } = collector();
  const warnings: InputWarning[] = [];
  const notices: string[] = [];
  const reader = await openPcap(path, {
    onWarning: (w) => warnings.push(w),
    onNotice: (n) => notices.push(n),
    onConnectionRemoved,
    ...extra,
  });
  const records: FlowRecord[] = [];
  for await (const b of reader.batches()) records.push(...b);
  return { records, warnings, notices, directed };
}

export async function runEngineBytes(
  name: string,
  bytes: Uint8Array,
  chunk?: number,
): Promise<EngineRun> {
  const { directed, onConnectionRemoved } = collector();
  const warnings: InputWarning[] = [];
  const notices: string[] = [];
  const reader = openPcapBytes(name, bytes, {
    onWarning: (w) => warnings.push(w),
    onNotice: (n) => notices.push(n),
    onConnectionRemoved,
    chunk,
  });
  const records: FlowRecord[] = [];
  for await (const b of reader.batches()) records.push(...b);
  return { records, warnings, notices, directed };
}

export function ofKind<K extends FlowRecord["kind"]>(
  records: FlowRecord[],
  kind: K,
): Extract<FlowRecord, { kind: K }>[] {
  return records.filter((r): r is Extract<FlowRecord, { kind: K }> => r.kind === kind);
}
