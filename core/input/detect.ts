/**
 * Recognising what `-f <spec>` names, from the file's own bytes (pipeline.md §1 order): pcap,
 * nfdump binary, then the text formats by their first lines. gzip files are looked into.
 */
import { basename } from "node:path";
import { gunzip } from "./chunks.ts";
import { listZeekLogs, type ZeekLogFile } from "./zeek_dir_reader.ts";
import { InputError } from "./reader.ts";
import {
  isZeekLogType,
  parseZeekLogName,
  ZEEK_LOG_TYPES,
  type ZeekLogType,
} from "./zeek_log_types.ts";

export type InputKind = "file" | "directory" | "stdin" | "pcap";

export type InputFormat =
  | "pcap"
  | "nfdump"
  | "nfdump-csv"
  | "argus"
  | "zeek-dir"
  | "suricata"
  | "zeek-json"
  | "zeek-tsv"
  | "stdin-zeek"
  | "stdin-suricata"
  | "stdin-argus";

export interface InputInfo {
  kind: InputKind;
  format: InputFormat;
  /** The path read, or "-" for stdin. */
  path: string;
  /** For the banner: what is read, in a few words. */
  description: string;
  /** Compressed text file. */
  gzip: boolean;
  /** Size in bytes for files (sum of logs for directories), 0 for stdin. */
  size: number;
  /** Single Zeek log: its type when the name or content tells it. */
  zeekType: ZeekLogType | null;
  /** Zeek directory: the logs that will be read. */
  zeekLogs: ZeekLogFile[];
}

export const STDIN_TYPES = ["zeek", "suricata", "argus"] as const;

const HEAD_BYTES = 64 * 1024;

function info(
  partial: Partial<InputInfo> & Pick<InputInfo, "kind" | "format" | "path" | "description">,
): InputInfo {
  return { gzip: false, size: 0, zeekType: null, zeekLogs: [], ...partial };
}

/** What `spec` is; throws InputError with a sentence the user can act on when nothing is readable. */
export async function describeInput(
  spec: string,
  onNotice?: (text: string) => void,
): Promise<InputInfo> {
  if ((STDIN_TYPES as readonly string[]).includes(spec)) {
    const what = spec === "zeek"
      ? "Zeek JSON conn lines"
      : spec === "suricata"
      ? "Suricata eve.json lines"
      : "Argus binetflow lines";
    return info({
      kind: "stdin",
      format: `stdin-${spec}` as InputFormat,
      path: "-",
      description: `standard input (${what}; a line "done" ends it)`,
    });
  }
  let st: Deno.FileInfo;
  try {
    st = await Deno.stat(spec);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new InputError(
        `The input ${spec} does not exist. Give a file, a Zeek log directory, or one of zeek, suricata, argus to read standard input.`,
      );
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new InputError(`The input ${spec} cannot be read: permission denied.`);
    }
    throw e;
  }
  if (st.isDirectory) return await describeDirectory(spec, onNotice);
  if (!st.isFile) {
    throw new InputError(`The input ${spec} is neither a regular file nor a directory.`);
  }
  if (st.size === 0) {
    throw new InputError(`The input file ${spec} is empty; there are no flows to read.`);
  }
  return await describeFile(spec, st.size);
}

async function describeDirectory(
  dir: string,
  onNotice?: (text: string) => void,
): Promise<InputInfo> {
  const logs = await listZeekLogs(dir, onNotice);
  if (logs.length === 0) {
    throw new InputError(
      `The directory ${dir} holds no Zeek log this program reads (expected files such as conn.log; supported logs: ${
        ZEEK_LOG_TYPES.join(", ")
      }).`,
    );
  }
  let size = 0;
  for (const l of logs) {
    try {
      size += (await Deno.stat(l.path)).size;
    } catch {
      // Counted when it is opened.
    }
  }
  const types = [...new Set(logs.map((l) => l.type))].join(", ");
  return info({
    kind: "directory",
    format: "zeek-dir",
    path: dir,
    description: `Zeek log directory ${dir} (${types})`,
    size,
    zeekLogs: logs,
  });
}

async function readHead(path: string, gzip: boolean): Promise<Uint8Array> {
  const file = await Deno.open(path, { read: true });
  try {
    if (!gzip) {
      const buf = new Uint8Array(HEAD_BYTES);
      let n = 0;
      while (n < buf.length) {
        const r = await file.read(buf.subarray(n));
        if (r === null || r === 0) break;
        n += r;
      }
      return buf.subarray(0, n);
    }
    const reader = file.readable.pipeThrough(gunzip()).getReader();
    const parts: Uint8Array[] = [];
    let n = 0;
    try {
      while (n < HEAD_BYTES) {
        const r = await reader.read();
        if (r.done) break;
        parts.push(r.value);
        n += r.value.byteLength;
      }
    } catch {
      // A damaged gzip tail does not matter for recognition.
    } finally {
      await reader.cancel().catch(() => {});
    }
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out;
  } finally {
    try {
      file.close();
    } catch {
      // Closed by the stream already.
    }
  }
}

function isPcapMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const m = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  // Classic pcap (micro/nanosecond, both byte orders), the "modified" pcap of old patched
  // libpcaps (a1b2cd34), and pcapng's section header.
  return m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1 ||
    m === 0xa1b2cd34 || m === 0x34cdb2a1 || m === 0x0a0d0d0a;
}

/** nfdump files start with the 16-bit magic 0xA50C in the writer's byte order. */
function isNfdumpMagic(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0x0c && b[1] === 0xa5) || (b[0] === 0xa5 && b[1] === 0x0c));
}

async function describeFile(path: string, size: number): Promise<InputInfo> {
  let head = await readHead(path, false);
  const name = basename(path);
  if (isPcapMagic(head)) {
    return info({
      kind: "pcap",
      format: "pcap",
      path,
      description: `packet capture ${path}`,
      size,
    });
  }
  const nameSaysNfdump = /nfcap|nfdump/i.test(name);
  if (isNfdumpMagic(head) || (nameSaysNfdump && head.includes(0))) {
    return info({
      kind: "file",
      format: "nfdump",
      path,
      description: `nfdump file ${path} (read through the nfdump program)`,
      size,
    });
  }
  let gzip = false;
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    gzip = true;
    head = await readHead(path, true);
    if (head.length === 0) {
      throw new InputError(`The gzip file ${path} could not be decompressed or holds nothing.`);
    }
  }
  if (head.includes(0)) {
    throw new InputError(
      `The file ${path} is binary and not a format this program reads (pcap, pcapng, nfdump, Zeek, Argus, Suricata or nfdump CSV text).`,
    );
  }
  const text = new TextDecoder().decode(head);
  const fmt = classifyText(text, head.length === HEAD_BYTES);
  const gz = gzip ? " (gzip)" : "";
  switch (fmt.format) {
    case "zeek-tsv":
    case "zeek-json": {
      const t = zeekTypeOf(name, text);
      if (t.unsupported !== null) {
        throw new InputError(
          `The file ${path} is a Zeek "${t.unsupported}" log, which is not analysed; supported logs are ${
            ZEEK_LOG_TYPES.join(", ")
          }.`,
        );
      }
      const kindText = fmt.format === "zeek-tsv" ? "TSV" : "JSON";
      return info({
        kind: "file",
        format: fmt.format,
        path,
        description: `Zeek ${kindText} ${t.type ?? ""}${t.type ? " log " : "log "}${path}${gz}`,
        gzip,
        size,
        zeekType: t.type,
      });
    }
    case "suricata":
      return info({
        kind: "file",
        format: "suricata",
        path,
        description: `Suricata eve.json ${path}${gz}`,
        gzip,
        size,
      });
    case "argus":
      return info({
        kind: "file",
        format: "argus",
        path,
        description: `Argus binetflow ${path}${gz}`,
        gzip,
        size,
      });
    case "nfdump-csv":
      return info({
        kind: "file",
        format: "nfdump-csv",
        path,
        description: `nfdump CSV ${path}${gz}`,
        gzip,
        size,
      });
    default:
      throw new InputError(
        `The file ${path} is not a flow log this program reads: ${fmt.reason} Expected a pcap, an nfdump file, a Zeek log (TSV with #fields headers, or JSON), an Argus binetflow, a Suricata eve.json or nfdump CSV.`,
      );
  }
}

type TextFormat =
  | { format: "zeek-tsv" | "zeek-json" | "suricata" | "argus" | "nfdump-csv" }
  | { format: "unknown"; reason: string };

const NFDUMP_ROW =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?,/;

/** Recognises a text format from the first lines (pipeline.md §1, rows 3 to 9). */
export function classifyText(text: string, truncated: boolean): TextFormat {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split("\n");
  // The last line of a cut-off head may be incomplete.
  if (truncated && lines.length > 1) lines.pop();
  let zeekHeader = false;
  let first: string | null = null;
  for (const raw of lines.slice(0, 200)) {
    const l = raw.replace(/\r$/, "");
    const t = l.trimStart();
    if (t === "") continue;
    if (t.startsWith("#")) {
      if (t.startsWith("#fields") || t.startsWith("#separator") || t.startsWith("#path")) {
        zeekHeader = true;
      }
      continue;
    }
    first = l;
    break;
  }
  if (zeekHeader) return { format: "zeek-tsv" };
  if (first === null) {
    return { format: "unknown", reason: "it holds no data lines." };
  }
  const t = first.trimStart();
  if (t.startsWith("{")) {
    const cut = truncated && lines.length <= 1;
    let obj: unknown = null;
    try {
      obj = JSON.parse(t);
    } catch {
      if (!cut) {
        return {
          format: "unknown",
          reason: "its first line starts like JSON but is not valid JSON.",
        };
      }
    }
    if (obj !== null && typeof obj === "object") {
      const o = obj as Record<string, unknown>;
      if ("flow_id" in o || "event_type" in o) return { format: "suricata" };
      return { format: "zeek-json" };
    }
    if (/"(flow_id|event_type)"\s*:/.test(t)) return { format: "suricata" };
    return { format: "zeek-json" };
  }
  const lower = t.toLowerCase();
  if (lower.startsWith("ts,te,td,") || NFDUMP_ROW.test(t)) return { format: "nfdump-csv" };
  if (
    lower.includes("starttime") || (lower.includes("srcaddr") && lower.includes("dstaddr"))
  ) {
    return { format: "argus" };
  }
  const hasTab = t.includes("\t");
  const hasComma = t.includes(",");
  // Argus' Dir column: "->", "<->", "<-", "<?>", "who", …
  const looksArgus = /(^|[,\t])\s*(<?-+>|<-|<\?>?|\?>|who)\s*([,\t]|$)/.test(t);
  if ((hasTab || hasComma) && looksArgus) return { format: "argus" };
  if (hasTab) return { format: "zeek-tsv" };
  return {
    format: "unknown",
    reason:
      "its first data line is neither JSON, nor tab-separated, nor an Argus or nfdump CSV row.",
  };
}

/** A Zeek log's type from its file name, else its #path header, else left to the content. */
function zeekTypeOf(
  name: string,
  text: string,
): { type: ZeekLogType | null; unsupported: string | null } {
  const n = parseZeekLogName(name);
  if (n !== null) {
    if (isZeekLogType(n.type)) return { type: n.type, unsupported: null };
  }
  const m = /^\s*#path\t(\S+)/m.exec(text);
  if (m) {
    if (isZeekLogType(m[1])) return { type: m[1], unsupported: null };
    return { type: null, unsupported: m[1] };
  }
  // A name we do not know (`scan.log`) leaves the decision to the content.
  return { type: null, unsupported: null };
}
