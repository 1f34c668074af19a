/**
 * One analysis run, start to end: config, output directory, database, modules, input → profiler
 * → modules → evidence handler → outputs, then an orderly shutdown and a summary.
 */
import { basename, join, resolve } from "node:path";
import type { CliArgs } from "./args.ts";
import { loadConfig, renderDefaultConfig } from "../config/load_config.ts";
import type { ConfigData } from "../config/module_config.ts";
import type { Database } from "../database/database.ts";
import { EmbeddedDatabase } from "../database/embedded.ts";
import { ModuleHost } from "../modules/host.ts";
import { Profiler } from "../profiler/profiler.ts";
import { parseTimeWindowWidth } from "../profiler/time_window.ts";
import { EvidenceHandler } from "../evidence/evidence_handler.ts";
import { AlertWriter } from "../output/alert_writer.ts";
import { Printer } from "../output/printer.ts";
import { slashTime } from "../output/time_format.ts";
import type { FlowReader, InputWarning } from "../input/reader.ts";
import type { FlowRecord, Profiled } from "../records/records.ts";
import { VERSION } from "./version.ts";
import { prepareOutputDir } from "./output_dir.ts";
import { WarningLimiter } from "./warning_limiter.ts";
import { RunError } from "./run_error.ts";
import { dropRoot } from "./privilege_step.ts";

export { RunError };

export interface RunOptions {
  args: CliArgs;
  argv: string[];
  /** Where config/ (and data named relative to it) is read from. */
  homeDir: string;
  /** Where modules/ is, when not beside config/ (the compiled executable's own directory). */
  modulesHome?: string;
}

function listOf(data: ConfigData, section: string, key: string): string[] {
  return (data[section]?.[key] ?? "").replace(/^\[|\]$/g, "").split(",").map((s) =>
    s.trim().replace(/^['"]|['"]$/g, "")
  ).filter(Boolean);
}

function flag(data: ConfigData, section: string, key: string): boolean {
  return /^(yes|true|on|1)$/i.test(data[section]?.[key]?.trim() ?? "");
}

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}_${p(d.getHours())}:${
    p(d.getMinutes())
  }:${p(d.getSeconds())}`;
}

async function openDatabase(
  data: ConfigData,
  args: CliArgs,
  printer: Printer,
  onFatal: (message: string) => void,
): Promise<Database> {
  const backend = args.backend ?? (data.database?.backend as "embedded" | "redis" | undefined) ??
    "embedded";
  const onHandlerError = (channel: string, subscriber: string, err: unknown) =>
    printer.error(
      subscriber,
      `Handling a message of ${channel} failed: ${err instanceof Error ? err.message : err}`,
      err instanceof Error ? (err.stack?.split("\n")[1]?.trim() ?? "") : "",
    );
  if (backend === "embedded") return new EmbeddedDatabase({ onHandlerError });
  const { RedisDatabase } = await import("../database/redis.ts");
  const port = args.port ?? Number(data.database?.redis_port ?? 6379);
  return await RedisDatabase.connect({
    host: data.database?.redis_host ?? "127.0.0.1",
    port,
    prefix: data.database?.redis_prefix ?? "slips:",
    onHandlerError,
    onFatal,
  });
}

export async function runAnalysis(
  { args, argv, homeDir, modulesHome }: RunOptions,
): Promise<number> {
  const started = new Date();
  const startedMs = performance.now();
  const configFile = args.config ? resolve(args.config) : undefined;
  const config = loadConfig(configFile, join(homeDir, "config", "slips.conf"));
  const data = config.data;
  const verbose = args.verbose ?? Number(data.parameters.verbose);
  const debug = args.debug ?? Number(data.parameters.debug);

  const input = args.filepath ?? args.interface;
  if (!input) {
    throw new RunError("No input given: use -f FILE|DIR|zeek|suricata|argus or -i INTERFACE.");
  }
  const { describeInput, openInput } = await import("../input/mod.ts");
  const info = args.interface ? undefined : await describeInput(input).catch((e) => {
    throw e;
  });
  const inputName = args.interface ? args.interface : basename(resolve(input)) || "stdin";
  const outDir = resolve(args.output ?? join("output", `${inputName}_${stamp(started)}`));
  prepareOutputDir(outDir);

  const printer = new Printer({ outDir, verbose, debug });
  const limiter = new WarningLimiter(printer);
  for (const w of config.warnings) printer.print("config", w, 0, 0);

  let fatal: string | undefined;
  const abort = new AbortController();
  const db = await openDatabase(data, args, printer, (message) => {
    if (fatal) return;
    fatal = message;
    printer.error("database", message);
    abort.abort();
  });

  const widthText = data.parameters.time_window_width;
  const twWidth = parseTimeWindowWidth(widthText);
  const threshold = Number(data.detection.evidence_detection_threshold) * twWidth / 60;
  const modulesDir = resolve(
    homeDir,
    args.modulesDir ?? (data.modules.modules_dir || join(modulesHome ?? homeDir, "modules")),
  );
  const disabledModules = [...listOf(data, "modules", "disable"), ...args.disable];
  const clientIps = listOf(data, "parameters", "client_ips");

  // Whitelist.
  const whitelistPath = resolve(homeDir, data.whitelists.local_whitelist_path);
  const whitelist = flag(data, "whitelists", "enable_local_whitelist")
    ? await loadWhitelist(whitelistPath, homeDir, printer)
    : undefined;

  const profiledSink = args.exportLabeledFlows || flag(data, "parameters", "export_labeled_flows")
    ? new (await import("../output/labeled_flows.ts")).LabeledFlowWriter(
      outDir,
      data.parameters.export_format === "tsv" ? "tsv" : "json",
      data.parameters.label ?? "normal",
    )
    : undefined;

  const profiler = new Profiler({
    db,
    twWidth,
    analysisDirection: data.parameters.analysis_direction === "all" ? "all" : "out",
    dropRecord: whitelist ? (r: FlowRecord) => whitelist.dropsFlow(r) : undefined,
    onProfiled: profiledSink ? (r: Profiled) => profiledSink.write(r) : undefined,
  });

  const writer = new AlertWriter(outDir, `Slips for Deno ${VERSION}`);
  const handler = new EvidenceHandler({
    db,
    threshold,
    twWidth,
    firstTs: () => profiler.firstTs ?? 0,
    disabled: new Set(listOf(data, "DisabledAlerts", "disabled_detections")),
    isWhitelisted: whitelist ? (e) => whitelist.dropsEvidence(e) : undefined,
    sink: {
      evidence: (e, description, acc, extra) => {
        writer.evidence(e, description, acc, extra);
        // alerts.log has every evidence already; the terminal shows them only when asked.
        if (verbose >= 2) {
          printer.print("evidence", `${e.profileIp} (TW ${e.twid}): ${description}`, 2, 0);
        }
      },
      alert: (a, evidence) => {
        writer.alert(a);
        const lines = [
          `${
            new Date().toISOString()
          } IP ${a.profileIp} detected as malicious in time window ${a.twid} (start ${
            slashTime(a.twStart)
          }, stop ${slashTime(a.twEnd)})`,
          ...evidence.map((e) => `  - ${e.description} Threat level: ${e.threatLevel}.`),
        ];
        if (verbose >= 1) printer.say(lines.join("\n"));
      },
    },
  });
  await handler.start();

  const host = new ModuleHost({
    modulesDir,
    disabled: disabledModules,
    db,
    config: data,
    context: {
      outputDir: outDir,
      twWidth,
      clientIps,
      inputType: args.interface ? "interface" : info?.kind ?? "file",
      homeDir,
    },
    output: {
      print: (m, t, v, d) => printer.print(m, t, v, d),
      error: (m, t, w) => printer.error(m, t, w),
    },
    verbose,
    debug,
    flowDelivery: args.flowDelivery,
  });
  const modules = await host.start();

  // Input. The config gives the TCP timeout in minutes, as Slips does; the engine takes seconds.
  const tcpTimeoutSeconds = Number(data.parameters.tcp_inactivity_timeout) * 60;
  const onWarning = (w: InputWarning) => limiter.warn(w);
  const onNotice = (text: string) => printer.print("input", text, 1, 0);
  let reader: FlowReader;
  if (args.interface) {
    const pcap = await import("../input/pcap/mod.ts");
    reader = await pcap.openLiveCapture(args.interface, {
      onWarning,
      onNotice,
      signal: abort.signal,
      filter: args.pcapfilter ?? (data.parameters.pcapfilter || undefined),
      writeZeekLogsDir: args.writeZeekLogs ? join(outDir, "zeek_files") : undefined,
      tcpInactivityTimeout: tcpTimeoutSeconds,
      captureBufferMiB: Number(data.parameters.capture_buffer_size),
      // tcpdump gives up root itself (-Z) once its capture is open.
      user: args.user ?? Deno.env.get("SUDO_USER"),
    });
  } else {
    reader = await openInput(
      input,
      {
        onWarning,
        onNotice,
        signal: abort.signal,
        growing: args.growing,
        writeZeekLogsDir: args.writeZeekLogs || flag(data, "parameters", "write_zeek_logs")
          ? join(outDir, "zeek_files")
          : undefined,
      } as Parameters<typeof openInput>[1],
    );
  }

  // Root is given up once the capture is open and all code is loaded: module workers have
  // imported theirs, and later imports could not read a root-only cache (e.g. under /root).
  const privileges = await dropRoot(args, printer, outDir);

  // Banner.
  const banner = [
    `Slips for Deno ${VERSION}`,
    `Input: ${reader.description} (${input})`,
    `Output: ${outDir}`,
    `Database: ${db.backend}. Time window: ${
      widthText === "only_one_tw" ? "only one" : `${twWidth} s`
    }. Alert threshold: ${threshold}.`,
    ...(privileges.note ? [privileges.note] : []),
    `Modules (${modules.length}):`,
    ...modules.map((m) => `  ${m.meta.name}: ${m.meta.description} [${m.runsIn}]`),
  ];
  if (verbose >= 1) printer.say(banner.join("\n"));
  if (args.blocking) {
    printer.print(
      "blocking",
      "Blocking (-p) is not available in this version: attackers are reported, not blocked.",
      0,
      0,
    );
  }

  writeMetadata(outDir, data, config.file, config.text, whitelistPath, whitelist !== undefined, {
    version: VERSION,
    argv,
    input,
    started,
    backend: db.backend,
    ids: processIds(),
  });

  // Signals: the first stops reading and shuts down in order; the second exits at once.
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) Deno.exit(130);
    printer.say(
      "Stopping: finishing the analysis of what was read (press Ctrl-C again to quit now).",
    );
    abort.abort();
  };
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);

  // Someone may be watching the files during a long or live run: flush them every second.
  const flusher = setInterval(() => {
    writer.flush();
    printer.flush();
  }, 1000);
  const showProgress = !args.noProgress && Deno.stderr.isTerminal() && !args.interface;
  let lastProgress = 0;
  let exitCode = 0;
  try {
    for await (const batch of reader.batches()) {
      // A file stops at once; a capture (or stdin, a growing directory) hands over what it still
      // holds after the stop signal, and its reader ends by itself.
      if (abort.signal.aborted && !args.interface && !args.growing) break;
      await profiler.process(batch);
      if (showProgress) {
        const now = performance.now();
        if (now - lastProgress > 500) {
          lastProgress = now;
          const s = reader.stats;
          const pct = s.totalBytes > 0 ? Math.min(100, (100 * s.bytesRead) / s.totalBytes) : 0;
          const rate = profiler.stats.records / ((now - startedMs) / 1000);
          printer.progress(
            `${pct.toFixed(1)}% read, ${profiler.stats.records.toLocaleString("en")} records, ${
              Math.round(rate).toLocaleString("en")
            } records/s`,
          );
        }
      }
    }
  } catch (err) {
    if (!fatal) {
      printer.error("input", `Reading stopped: ${err instanceof Error ? err.message : err}`);
      exitCode = 1;
    }
  } finally {
    await reader.close();
  }
  printer.clearProgress();

  // Shutdown: close windows, let modules finish, then let the evidence handler finish.
  let stragglers: string[] = [];
  if (!fatal) {
    await profiler.finish();
    const waitMs = Number(data.parameters.wait_for_modules_to_finish) * 1000;
    stragglers = await host.stop(waitMs);
    if (stragglers.length > 0) {
      printer.error(
        "modules",
        `These modules did not finish within ${waitMs / 1000} s and were stopped: ${
          stragglers.join(", ")
        }.`,
      );
    }
    await db.drain();
  } else {
    await host.stop(1000);
    exitCode = 1;
  }
  for (const s of signals) Deno.removeSignalListener(s, onSignal);
  clearInterval(flusher);

  const seconds = (performance.now() - startedMs) / 1000;
  const profiles = profiler.profileCount;
  const summary = [
    `Total analyzed IPs: ${profiles}`,
    `Records read: ${profiler.stats.records} (flows: ${profiler.stats.flows}, whitelisted: ${profiler.stats.whitelisted}, skipped: ${profiler.stats.skipped}, bad lines: ${reader.stats.badLines})`,
    `Evidence: ${handler.stats.logged} (disabled: ${handler.stats.disabled}, whitelisted: ${handler.stats.whitelisted})`,
    `Alerts: ${handler.stats.alerts}`,
    `Analysis took ${seconds.toFixed(2)} s (${
      Math.round(profiler.stats.records / Math.max(seconds, 1e-3))
    } records/s).`,
  ];
  limiter.summary();
  printer.say(summary.join("\n"));
  appendInfo(outDir, data, [
    `end: ${new Date().toISOString()}`,
    `records: ${profiler.stats.records}`,
    `analyzed_ips: ${profiles}`,
    `evidence: ${handler.stats.logged}`,
    `alerts: ${handler.stats.alerts}`,
  ]);
  profiledSink?.close();
  writer.close();
  await db.close().catch(() => {});
  printer.close();
  return exitCode;
}

async function loadWhitelist(path: string, homeDir: string, printer: Printer) {
  const { loadWhitelistAdapter } = await import("./whitelist_adapter.ts");
  return await loadWhitelistAdapter(
    path,
    homeDir,
    (text) => printer.print("whitelist", text, 0, 0),
  );
}

/** Real, effective, saved ids and groups of this process, as the kernel reports them. */
function processIds(): string {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const line = (k: string) =>
      status.match(new RegExp(`^${k}:[ \\t]*(.*)$`, "m"))?.[1].trim() ?? "";
    return `uid ${line("Uid")}; gid ${line("Gid")}; groups ${line("Groups") || "(none)"}`;
  } catch {
    return `uid ${Deno.uid()}, gid ${Deno.gid()}`;
  }
}

interface InfoFacts {
  version: string;
  argv: string[];
  input: string;
  started: Date;
  backend: string;
  /** Process ids once start-up is over (after any drop of root). */
  ids: string;
}

function writeMetadata(
  outDir: string,
  data: ConfigData,
  configFile: string | undefined,
  configText: string | undefined,
  whitelistPath: string,
  whitelistUsed: boolean,
  facts: InfoFacts,
): void {
  if (!flag(data, "parameters", "metadata_dir")) return;
  const dir = join(outDir, "metadata");
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(
    join(dir, configFile ? basename(configFile) : "slips.conf"),
    configText ?? renderDefaultConfig(),
  );
  if (whitelistUsed) {
    try {
      Deno.copyFileSync(whitelistPath, join(dir, basename(whitelistPath)));
    } catch {
      // The whitelist loader already reported an unreadable file.
    }
  }
  Deno.writeTextFileSync(
    join(dir, "info.txt"),
    [
      `version: ${facts.version}`,
      `command: slips ${facts.argv.join(" ")}`,
      `input: ${facts.input}`,
      `database: ${facts.backend}`,
      `running as: ${facts.ids}`,
      `config: ${configFile ?? "(defaults)"}`,
      `start: ${facts.started.toISOString()}`,
      "",
    ].join("\n"),
  );
}

function appendInfo(outDir: string, data: ConfigData, lines: string[]): void {
  if (!flag(data, "parameters", "metadata_dir")) return;
  try {
    Deno.writeTextFileSync(join(outDir, "metadata", "info.txt"), lines.join("\n") + "\n", {
      append: true,
    });
  } catch {
    // metadata/ was not written; nothing to append to.
  }
}
