/**
 * Everything the program says goes through here, via LogTape: to the terminal when the user's
 * verbosity/debug level asks for it, always to slips.log, and errors (debug level 1) to errors.log.
 */
import { configureSync, getLogger, type LogRecord, resetSync } from "@logtape/logtape";
import { AppendFile } from "./append_file.ts";
import { localIsoNow } from "./time_format.ts";

export interface PrinterOptions {
  /** Output directory; no files are written when absent (e.g. for --help). */
  outDir?: string;
  verbose: number;
  debug: number;
  /** Where terminal output goes; stdout by default. */
  write?: (line: string) => void;
}

const encoder = new TextEncoder();

export class Printer {
  #slipsLog?: AppendFile;
  #errorsLog?: AppendFile;
  #write: (line: string) => void;
  #errors = 0;
  #lineOpen = false;

  constructor(private readonly o: PrinterOptions) {
    if (o.outDir) {
      this.#slipsLog = new AppendFile(`${o.outDir}/slips.log`, 4096);
      this.#errorsLog = new AppendFile(`${o.outDir}/errors.log`, 0);
    }
    this.#write = o.write ?? ((line) => Deno.stdout.writeSync(encoder.encode(line + "\n")));
    resetSync();
    configureSync({
      reset: true,
      sinks: { slips: (r) => this.#sink(r) },
      loggers: [
        { category: ["slips"], lowestLevel: "debug", sinks: ["slips"] },
        { category: ["logtape", "meta"], lowestLevel: "error", sinks: [] },
      ],
    });
  }

  get errorCount(): number {
    return this.#errors;
  }

  #sink(r: LogRecord): void {
    const props = r.properties as {
      sender?: string;
      verbose?: number;
      debug?: number;
      text?: string;
    };
    const sender = props.sender ?? String(r.category[1] ?? "slips");
    const text = props.text ?? r.message.join("");
    const verbose = props.verbose ?? 1;
    const debug = props.debug ?? 0;
    const stamp = localIsoNow(new Date(r.timestamp));
    this.#slipsLog?.writeLine(`${stamp} [${sender}] ${text}`);
    if (debug === 1) {
      this.#errors++;
      this.#errorsLog?.writeLine(`${stamp} [${sender}] ${text}`);
    }
    const show = debug > 0 ? debug <= this.o.debug : verbose <= this.o.verbose;
    if (show) {
      this.clearProgress();
      this.#write(`[${sender}] ${text}`);
    }
  }

  /** A message shown at verbosity `verbose` (or, when debug > 0, at that debug level). */
  print(sender: string, text: string, verbose = 1, debug = 0): void {
    const logger = getLogger(["slips", sender]);
    const props = { sender, text, verbose, debug };
    if (debug === 1) logger.error("{text}", props);
    else if (debug > 1) logger.debug("{text}", props);
    else logger.info("{text}", props);
  }

  /** An error in a part or module, with where it happened; debug level 1. */
  error(sender: string, text: string, where = ""): void {
    this.print(sender, where ? `${text} (at ${where})` : text, 0, 1);
  }

  /** Text for the terminal only, regardless of levels (banner, alert blocks, summary). */
  say(text: string): void {
    this.clearProgress();
    this.#write(text);
    for (const line of text.split("\n")) {
      this.#slipsLog?.writeLine(`${localIsoNow()} [main] ${line}`);
    }
  }

  /** A progress line that rewrites itself; only used on a terminal. */
  progress(text: string): void {
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${text}`));
    this.#lineOpen = true;
  }

  clearProgress(): void {
    if (this.#lineOpen) {
      Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
      this.#lineOpen = false;
    }
  }

  flush(): void {
    this.#slipsLog?.flush();
    this.#errorsLog?.flush();
  }

  close(): void {
    this.clearProgress();
    this.#slipsLog?.close();
    this.#errorsLog?.close();
    this.#slipsLog = undefined;
    this.#errorsLog = undefined;
  }
}
