/**
 * Runs inside a module Worker: imports module files, reports their metadata, then runs the
 * modules the host keeps here, one message at a time per channel.
 */
/// <reference lib="deno.worker" />
import type { ChannelMessage } from "../database/channels.ts";
import { CORE_CHANNELS, isCoreChannel } from "../database/channels.ts";
import type { Module, ModuleClass } from "./module.ts";
import type { HostToWorker, ModuleMeta, WorkerToHost } from "./protocol.ts";
import { RemoteDatabase } from "./remote_database.ts";
import { SectionConfig } from "../config/module_config.ts";
import { decodeConnBatch } from "./flow_batch_codec.ts";

const post = (m: WorkerToHost) => self.postMessage(m);

/** A full collection, when the runtime was started with --v8-flags=--expose-gc. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

let loaded: { meta: ModuleMeta; instance: Module }[] = [];
let running: Module[] = [];
const byChannel = new Map<string, Module[]>();
let db: RemoteDatabase | undefined;
/** Messages are handled strictly in arrival order, so acks double as back-pressure. */
let chain: Promise<void> = Promise.resolve();

function where(err: unknown, file: string): string {
  const stack = err instanceof Error ? err.stack ?? "" : "";
  const m = stack.match(/(file:\/\/[^\s)]+:\d+:\d+)/);
  return m ? m[1] : file;
}

function report(module: Module, err: unknown): void {
  const meta = loaded.find((l) => l.instance === module)?.meta;
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  post({ t: "error", module: module.name, text, where: where(err, meta?.file ?? "") });
}

async function load(files: string[]): Promise<void> {
  const failed: { file: string; error: string }[] = [];
  for (const file of files) {
    try {
      const mod = await import(file) as { default?: ModuleClass };
      if (typeof mod.default !== "function") {
        throw new Error(
          "The module file does not default-export a class extending Module (export default class … extends Module).",
        );
      }
      const instance = new mod.default();
      loaded.push({
        instance,
        meta: {
          name: instance.name,
          description: instance.description,
          authors: [...instance.authors],
          channels: [...instance.channels],
          customChannels: [...instance.customChannels],
          permissions: structuredClone(instance.permissions),
          file,
        },
      });
    } catch (err) {
      failed.push({
        file,
        error: err instanceof Error ? `${err.message} (${where(err, file)})` : String(err),
      });
    }
  }
  post({ t: "meta", modules: loaded.map((l) => l.meta), failed });
}

async function start(msg: Extract<HostToWorker, { t: "start" }>): Promise<void> {
  const keep = new Set(msg.keep);
  loaded = loaded.filter((l) => keep.has(l.meta.name));
  const channels = new Set<string>();
  for (const l of loaded) {
    for (const c of [...l.meta.channels, ...l.meta.customChannels]) channels.add(c);
  }
  // A module may publish on any core channel, and on those it or its neighbours registered.
  db = new RemoteDatabase(post, [...Object.keys(CORE_CHANNELS), ...channels]);
  const subscriptions: { module: string; channel: string }[] = [];
  for (const { instance, meta } of loaded) {
    for (const c of meta.customChannels) db.registerChannel(c, `registered by ${meta.name}`);
    instance.attach(db, new SectionConfig(msg.config, meta.name), msg.context, {
      print: (module, text, verbose, debug) => post({ t: "print", module, text, verbose, debug }),
    });
    try {
      await instance.init();
    } catch (err) {
      report(instance, err);
      continue;
    }
    running.push(instance);
    for (const c of [...meta.channels, ...meta.customChannels]) {
      let list = byChannel.get(c);
      if (!list) byChannel.set(c, list = []);
      list.push(instance);
      subscriptions.push({ module: meta.name, channel: c });
    }
  }
  post({ t: "started", subscriptions });
}

async function deliver(channel: string, messages: unknown[]): Promise<void> {
  const modules = byChannel.get(channel) ?? [];
  const core = isCoreChannel(channel);
  for (const data of messages) {
    const message = { channel, data } as ChannelMessage;
    for (const m of modules) {
      try {
        const r = core ? m.main(message) : m.onCustomMessage(channel, data);
        if (r instanceof Promise) await r;
      } catch (err) {
        report(m, err);
      }
    }
  }
  const extra = db?.handlerFor(channel);
  if (extra) await extra(messages);
}

async function stop(): Promise<void> {
  for (const m of running) {
    try {
      await m.shutdownGracefully();
    } catch (err) {
      report(m, err);
    }
    post({ t: "finished", module: m.name });
  }
  running = [];
}

self.onmessage = (e: MessageEvent<HostToWorker>) => {
  const msg = e.data;
  switch (msg.t) {
    case "rpc_result":
      db?.settle(msg.id, msg.ok, msg.value, msg.error);
      return;
    case "load":
      chain = chain.then(() => load(msg.files));
      return;
    case "start":
      chain = chain.then(() => start(msg));
      return;
    case "batch":
      chain = chain.then(() => deliver(msg.channel, msg.messages)).then(() => {
        // Modules just released the state of closed windows: reclaim it now. V8 grows a heap
        // lazily, so without this a worker's memory tracks the busiest window ever seen.
        if (msg.channel === "tw_closed") collectGarbage();
        post({ t: "ack", seq: msg.seq });
      });
      return;
    case "encoded":
      chain = chain.then(() => deliver(msg.channel, decodeConnBatch(msg.batch))).then(() =>
        post({ t: "ack", seq: msg.seq })
      );
      return;
    case "stop":
      chain = chain.then(stop);
      return;
  }
};

addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  post({ t: "error", module: "worker", text: String(e.reason), where: where(e.reason, "") });
});
