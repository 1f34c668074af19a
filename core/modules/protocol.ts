/** Messages between the module host (main thread) and a module worker. */
import type { ConfigData } from "../config/module_config.ts";
import type { ModulePermissions, RunContext } from "./module.ts";
import type { EncodedBatch } from "./flow_batch_codec.ts";

export interface ModuleMeta {
  name: string;
  description: string;
  authors: string[];
  channels: string[];
  customChannels: string[];
  permissions: ModulePermissions;
  file: string;
}

export type HostToWorker =
  /** Import these module files and report their metadata. */
  | { t: "load"; files: string[] }
  /** Keep only these modules (by name), attach them and run init(). */
  | {
    t: "start";
    keep: string[];
    config: ConfigData;
    context: RunContext;
    verbose: number;
    debug: number;
  }
  /** A batch on a channel; the worker answers `ack` with the same seq once handled. */
  | { t: "batch"; seq: number; channel: string; messages: unknown[] }
  /** A new_flow batch in shared memory, decoded by the worker. */
  | { t: "encoded"; seq: number; channel: string; batch: EncodedBatch }
  | { t: "rpc_result"; id: number; ok: boolean; value?: unknown; error?: string }
  /** Finish: drain, shutdownGracefully() every module, answer `finished` per module. */
  | { t: "stop" };

export type WorkerToHost =
  | { t: "meta"; modules: ModuleMeta[]; failed: { file: string; error: string }[] }
  | { t: "started"; subscriptions: { module: string; channel: string }[] }
  | { t: "ack"; seq: number }
  | { t: "rpc"; id: number; method: string; args: unknown[] }
  | { t: "publish"; channel: string; messages: unknown[] }
  | { t: "register"; channel: string; description: string }
  | { t: "print"; module: string; text: string; verbose: number; debug: number }
  | { t: "error"; module: string; text: string; where: string }
  | { t: "finished"; module: string };
