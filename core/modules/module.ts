/**
 * The base class of every detection module. A module file `modules/<name>/<name>.ts` default-
 * exports a subclass; the host runs it in a Worker with only the permissions it declares.
 */
import type { ChannelMessage, CoreChannel } from "../database/channels.ts";
import type { Database } from "../database/database.ts";
import type { Evidence, EvidenceInput } from "../evidence/evidence.ts";

/** The Deno permissions a module may ask for; anything not listed is denied. */
export interface ModulePermissions {
  /** Paths the module may read (relative paths are resolved against the project/executable dir). */
  read?: string[];
  write?: string[];
  /** Hosts (`host[:port]`) the module may connect to. */
  net?: string[];
  env?: string[];
  /** Programs the module may run. */
  run?: string[];
}

/** Read access to the configuration the user gave (`[section] key = value`). */
export interface ModuleConfig {
  /** A key of this module's own section, or of `section` when given. */
  get(key: string, section?: string): string | undefined;
  number(key: string, fallback: number, section?: string): number;
  boolean(key: string, fallback: boolean, section?: string): boolean;
  list(key: string, section?: string): string[];
}

/** Facts about the run that modules need. */
export interface RunContext {
  /** Output directory of this run. */
  outputDir: string;
  /** Time-window width, seconds. */
  twWidth: number;
  /** Local network CIDRs from the config (`client_ips`), possibly empty. */
  clientIps: string[];
  /** "file", "directory", "stdin", "pcap" or "interface". */
  inputType: string;
  /** Project root, or the directory of the compiled executable. */
  homeDir: string;
}

export interface PrintSink {
  print(module: string, text: string, verbose: number, debug: number): void;
}

export abstract class Module {
  /** Short identifier, the folder name. */
  abstract readonly name: string;
  abstract readonly description: string;
  abstract readonly authors: string[];
  /** Core channels this module receives in `main`. */
  readonly channels: readonly CoreChannel[] = [];
  /** Channels this module registers itself (receives them in `onCustomMessage`). */
  readonly customChannels: readonly string[] = [];
  /** Deno permissions this module needs; none by default. */
  readonly permissions: ModulePermissions = {};

  // Set by the host before init().
  db!: Database;
  config!: ModuleConfig;
  context!: RunContext;
  #sink?: PrintSink;
  #evidenceCount = 0;

  /** Called by the host; modules do not call it. */
  attach(db: Database, config: ModuleConfig, context: RunContext, sink: PrintSink): void {
    this.db = db;
    this.config = config;
    this.context = context;
    this.#sink = sink;
  }

  /** Runs once before any message arrives. */
  init(): void | Promise<void> {}

  /** Runs once per message on the subscribed channels, in publication order per channel. */
  abstract main(message: ChannelMessage): void | Promise<void>;

  /** Receives messages of channels this module registered itself. */
  onCustomMessage(_channel: string, _data: unknown): void | Promise<void> {}

  /** Runs once when the module is told to stop, after every queued message was handled. */
  shutdownGracefully(): void | Promise<void> {}

  /**
   * Prints through the output part. Shown when the user's verbosity is ≥ `verbose` or their debug
   * level is ≥ `debug` (debug 1 is for errors and also goes to errors.log).
   */
  print(text: string, verbose = 1, debug = 0): void {
    this.#sink?.print(this.name, text, verbose, debug);
  }

  /** Raises evidence: stores it and hands it to the evidence handler. Returns its id. */
  setEvidence(input: EvidenceInput): string {
    const id = input.id ?? crypto.randomUUID();
    const evidence: Evidence = {
      ...input,
      id,
      module: this.name,
      confidence: Math.min(1, Math.max(0, input.confidence)),
    };
    this.#evidenceCount++;
    // Evidence delivery is ordered and lossless; callers need not wait for it.
    void this.db.addEvidence(evidence);
    return id;
  }

  get evidenceCount(): number {
    return this.#evidenceCount;
  }
}

/** The constructor a module file default-exports. */
export type ModuleClass = new () => Module;
