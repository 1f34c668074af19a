/**
 * The public face of the inputs: `openInput(spec)` recognises what `-f <spec>` names and returns
 * the FlowReader for it; `describeInput(spec)` tells the banner what will be read.
 */
import { describeInput, type InputInfo } from "./detect.ts";
import { openLineFile, SingleFileReader } from "./file_reader.ts";
import { type LineParser, ParseContext } from "./parse_context.ts";
import { emptyStats, type FlowReader, InputError, type ReaderOptions } from "./reader.ts";
import { listZeekLogs, ZeekDirReader } from "./zeek_dir_reader.ts";
import { ZeekLogParser } from "./zeek_parser.ts";
import { ArgusParser } from "./argus_parser.ts";
import { SuricataParser } from "./suricata_parser.ts";
import { NfdumpCsvParser } from "./nfdump_parser.ts";
import { openNfdump } from "./nfdump_reader.ts";
import { openStdin } from "./stdin_reader.ts";

export { describeInput, STDIN_TYPES } from "./detect.ts";
export type { InputFormat, InputInfo, InputKind } from "./detect.ts";
export { emptyStats, InputError } from "./reader.ts";
export type { FlowReader, InputWarning, ReaderOptions, ReaderStats } from "./reader.ts";
export { ZEEK_LOG_TYPES } from "./zeek_log_types.ts";
export { openStdin, type StdinType } from "./stdin_reader.ts";
export type { ZeekLogType } from "./zeek_log_types.ts";

export type OpenOptions = ReaderOptions & {
  /** Follow a Zeek directory as it grows (and as logs rotate) until `signal` aborts. */
  growing?: boolean;
};

/** Opens `spec` (a path, or zeek|suricata|argus for standard input) as a FlowReader. */
export async function openInput(spec: string, options: OpenOptions): Promise<FlowReader> {
  if (options.growing) {
    // A growing directory may not hold any log yet when reading starts.
    let isDir = false;
    try {
      isDir = (await Deno.stat(spec)).isDirectory;
    } catch {
      isDir = false;
    }
    if (!isDir) {
      throw new InputError(
        `Growing input needs a Zeek log directory, and ${spec} is not a directory.`,
      );
    }
    const logs = await listZeekLogs(spec, options.onNotice);
    return new ZeekDirReader(spec, logs, options, true);
  }
  const info = await describeInput(spec, options.onNotice);
  return await openDescribed(info, options);
}

/** Opens an input that describeInput already recognised. */
export async function openDescribed(info: InputInfo, options: OpenOptions): Promise<FlowReader> {
  switch (info.format) {
    case "pcap": {
      const m = await import("./pcap/mod.ts");
      return m.openPcap(info.path, options);
    }
    case "zeek-dir":
      return new ZeekDirReader(info.path, info.zeekLogs, options, false);
    case "zeek-tsv":
    case "zeek-json":
      return await openTextFile(info, options, (ctx) => new ZeekLogParser(ctx, info.zeekType));
    case "argus":
      return await openTextFile(info, options, (ctx) => new ArgusParser(ctx));
    case "suricata":
      return await openTextFile(info, options, (ctx) => new SuricataParser(ctx));
    case "nfdump-csv":
      return await openTextFile(info, options, (ctx) => new NfdumpCsvParser(ctx));
    case "nfdump":
      return openNfdump(info.path, info.size, info.description, options);
    case "stdin-zeek":
      return openStdin("zeek", options);
    case "stdin-suricata":
      return openStdin("suricata", options);
    case "stdin-argus":
      return openStdin("argus", options);
  }
}

async function openTextFile(
  info: InputInfo,
  options: ReaderOptions,
  makeParser: (ctx: ParseContext) => LineParser,
): Promise<FlowReader> {
  const stats = emptyStats();
  stats.totalBytes = info.size;
  const ctx = new ParseContext(info.path, stats, options.onWarning, options.onNotice);
  const file = await openLineFile(info.path, { gzip: info.gzip, follow: false }, ctx, makeParser);
  return new SingleFileReader(info.description, stats, file, undefined, options.signal);
}
