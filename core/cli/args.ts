/** Command-line parsing with Slips' flag names. */
import { parseArgs } from "node:util";

export interface CliArgs {
  command: "run" | "new-module" | "help" | "version" | "stop-daemon" | "killall";
  filepath?: string;
  interface?: string;
  growing: boolean;
  config?: string;
  output?: string;
  verbose?: number;
  debug?: number;
  port?: number;
  blocking: boolean;
  webinterface: boolean;
  daemon: boolean;
  pcapfilter?: string;
  modulesDir?: string;
  disable: string[];
  user?: string;
  backend?: "embedded" | "redis";
  exportLabeledFlows: boolean;
  writeZeekLogs: boolean;
  flowDelivery?: "shared" | "clone";
  noProgress: boolean;
  /** new-module: name, description, author. */
  moduleName?: string;
  moduleDescription?: string;
  moduleAuthor?: string;
}

export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export const USAGE = `Usage: slips [options]
       slips new-module NAME [--description TEXT] [--author NAME]

Input (one of):
  -f, --filepath PATH      A pcap, Zeek log file or directory, Argus binetflow, Suricata
                           eve.json or nfdump file; or zeek|suricata|argus to read stdin.
  -i, --interface IFACE    Capture live traffic (needs root; drops it right after).
  -g, --growing            With -f DIR: follow a Zeek directory that is still being written.

Options:
  -c, --config FILE        Configuration file (default config/slips.conf beside the program).
  -o, --output DIR         Output directory (default output/<input>_<time>/). Cleared first.
  -v, --verbose 0-3        How much to print.
  -e, --debug 0-3          Debug output; 1 shows module errors with file and line.
  -P, --port PORT          Use the Redis backend on this port (host from the config).
  -p, --blocking           Block attackers (needs root and -i).
  -F, --pcapfilter BPF     Packet filter for -i.
  -D, --daemon             Run in the background; output under -o.
  -S, --stopdaemon         Stop the background run started with -D.
  -k, --killall            Stop Redis servers this program started (none: it never starts any).
  -w, --webinterface       Web interface (not available in this version).
      --backend NAME       embedded (default) or redis.
      --modules-dir DIR    Load modules from DIR.
      --disable a,b        Do not load these modules.
      --user NAME          Drop root to this user (default: the user who ran sudo).
      --export-labeled-flows  Write labelled flows to the output directory.
      --write-zeek-logs    With pcap or -i input, also write Zeek TSV logs.
      --no-progress        No progress line even on a terminal.
  -V, --version            Print the version.
  -h, --help               Print this help.

Exit status: 0 done, 1 the run failed (bad input, config or backend), 2 bad command line,
255 no input given.`;

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `The value of ${name} must be a whole number from ${min} to ${max}; got "${v}".`,
    );
  }
  return n;
}

export function parseCli(argv: string[]): CliArgs {
  if (argv[0] === "new-module") {
    const { values, positionals } = parseArgs({
      args: argv.slice(1),
      options: {
        description: { type: "string" },
        author: { type: "string" },
        "modules-dir": { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) {
      throw new UsageError(
        "new-module needs exactly one module name, e.g. slips new-module scan_detector.",
      );
    }
    return {
      ...emptyArgs(),
      command: "new-module",
      moduleName: positionals[0],
      moduleDescription: values.description,
      moduleAuthor: values.author,
      modulesDir: values["modules-dir"],
    };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        filepath: { type: "string", short: "f" },
        interface: { type: "string", short: "i" },
        growing: { type: "boolean", short: "g" },
        config: { type: "string", short: "c" },
        output: { type: "string", short: "o" },
        verbose: { type: "string", short: "v" },
        debug: { type: "string", short: "e" },
        port: { type: "string", short: "P" },
        blocking: { type: "boolean", short: "p" },
        pcapfilter: { type: "string", short: "F" },
        daemon: { type: "boolean", short: "D" },
        stopdaemon: { type: "boolean", short: "S" },
        killall: { type: "boolean", short: "k" },
        webinterface: { type: "boolean", short: "w" },
        version: { type: "boolean", short: "V" },
        help: { type: "boolean", short: "h" },
        backend: { type: "string" },
        "modules-dir": { type: "string" },
        disable: { type: "string" },
        user: { type: "string" },
        "export-labeled-flows": { type: "boolean" },
        "write-zeek-logs": { type: "boolean" },
        "flow-delivery": { type: "string" },
        "no-progress": { type: "boolean" },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(
      err instanceof Error
        ? err.message.replace(/\. To specify a positional.*$/s, ".")
        : String(err),
    );
  }
  const v = parsed.values;
  if (v.help) return { ...emptyArgs(), command: "help" };
  if (v.version) return { ...emptyArgs(), command: "version" };
  if (v.stopdaemon) return { ...emptyArgs(), command: "stop-daemon", output: v.output };
  if (v.killall) return { ...emptyArgs(), command: "killall" };
  if (v.filepath !== undefined && v.interface !== undefined && !v.growing) {
    throw new UsageError("-f and -i cannot be used together: read a file or capture an interface.");
  }
  if (v.growing && v.filepath === undefined) {
    throw new UsageError("-g needs -f DIR: the Zeek directory to follow.");
  }
  if (v.blocking && v.interface === undefined) {
    throw new UsageError("-p (blocking) works only on live traffic: add -i IFACE.");
  }
  if (v.pcapfilter !== undefined && v.interface === undefined) {
    throw new UsageError("-F (packet filter) works only with -i IFACE.");
  }
  if (v.webinterface) {
    throw new UsageError("-w: the web interface is not available in this version.");
  }
  if (v.backend !== undefined && v.backend !== "embedded" && v.backend !== "redis") {
    throw new UsageError(`--backend must be embedded or redis; got "${v.backend}".`);
  }
  if (v.port !== undefined && v.backend === "embedded") {
    throw new UsageError(
      "-P selects the Redis backend; it cannot be used with --backend embedded.",
    );
  }
  const fd = v["flow-delivery"];
  if (fd !== undefined && fd !== "shared" && fd !== "clone") {
    throw new UsageError(`--flow-delivery must be shared or clone; got "${fd}".`);
  }
  return {
    command: "run",
    filepath: v.filepath,
    interface: v.interface,
    growing: v.growing ?? false,
    config: v.config,
    output: v.output,
    verbose: int("-v", v.verbose, 0, 3),
    debug: int("-e", v.debug, 0, 3),
    port: int("-P", v.port, 1, 65535),
    blocking: v.blocking ?? false,
    webinterface: false,
    daemon: v.daemon ?? false,
    pcapfilter: v.pcapfilter,
    modulesDir: v["modules-dir"],
    disable: (v.disable ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    user: v.user,
    backend: (v.backend as CliArgs["backend"]) ?? (v.port !== undefined ? "redis" : undefined),
    exportLabeledFlows: v["export-labeled-flows"] ?? false,
    writeZeekLogs: v["write-zeek-logs"] ?? false,
    flowDelivery: fd as CliArgs["flowDelivery"],
    noProgress: v["no-progress"] ?? false,
  };
}

function emptyArgs(): CliArgs {
  return {
    command: "run",
    growing: false,
    blocking: false,
    webinterface: false,
    daemon: false,
    disable: [],
    exportLabeledFlows: false,
    writeZeekLogs: false,
    noProgress: false,
  };
}
