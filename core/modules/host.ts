/**
 * The module host: finds modules, runs them in Workers with only the permissions they declare,
 * delivers channel messages to them with back-pressure, and stops them.
 *
 * Modules that declare no permissions share one sandboxed worker (nothing to protect between
 * them: none can touch files, network or processes), so a flow batch is sent to that worker once,
 * not once per module. A module that declares permissions gets a worker of its own. For
 * `new_flow`, batches are encoded once into shared memory and every worker reads the same bytes.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database, Subscription } from "../database/database.ts";
import type { ConfigData } from "../config/module_config.ts";
import type { ModulePermissions, RunContext } from "./module.ts";
import type { HostToWorker, ModuleMeta, WorkerToHost } from "./protocol.ts";
import { RPC_METHODS } from "./remote_database.ts";
import { encodeConnBatch, type EncodedBatch } from "./flow_batch_codec.ts";
import type { ConnRecord, Profiled } from "../records/records.ts";
import type { Evidence } from "../evidence/evidence.ts";

export interface HostOutput {
  print(module: string, text: string, verbose: number, debug: number): void;
  /** A module failed; `where` is file:line:column when known. */
  error(module: string, text: string, where: string): void;
}

export interface HostOptions {
  modulesDir: string;
  disabled: string[];
  db: Database;
  config: ConfigData;
  context: RunContext;
  output: HostOutput;
  verbose: number;
  debug: number;
  /** How new_flow batches reach workers: shared-memory columnar (default) or structured clone. */
  flowDelivery?: "shared" | "clone";
  /** Batches a worker may have unacknowledged per channel before delivery waits. */
  window?: number;
}

export interface LoadedModule {
  meta: ModuleMeta;
  /** "shared sandbox" or "own worker (read, net …)". */
  runsIn: string;
}

interface Group {
  id: string;
  worker: Worker;
  modules: ModuleMeta[];
  permissions: Deno.PermissionOptionsObject;
  subscriptions: Subscription[];
  nextSeq: number;
  inFlight: number;
  ackWaiters: (() => void)[];
  finished: Set<string>;
  dead: boolean;
  onFinished?: () => void;
  started?: (subs: { module: string; channel: string }[]) => void;
}

const CORE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const WORKER_URL = new URL("./worker_entry.ts", import.meta.url).href;

/** Lists `modules/<name>/<name>.ts` files, sorted by name. */
export function discoverModules(modulesDir: string): { name: string; file: string }[] {
  const found: { name: string; file: string }[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(modulesDir)];
  } catch {
    throw new Error(
      `The modules directory ${modulesDir} cannot be read. Create it or point to another one with --modules-dir or [modules] modules_dir.`,
    );
  }
  for (const e of entries) {
    if (!e.isDirectory || e.name.startsWith(".") || e.name.startsWith("_")) continue;
    const file = join(modulesDir, e.name, `${e.name}.ts`);
    try {
      if (Deno.statSync(file).isFile) found.push({ name: e.name, file });
    } catch {
      // A folder without its <name>.ts is data or work in progress, not a module.
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function isEmptyPermissions(p: ModulePermissions): boolean {
  return !p.read?.length && !p.write?.length && !p.net?.length && !p.env?.length &&
    !p.run?.length;
}

function expand(paths: string[] | undefined, ctx: RunContext): string[] {
  return (paths ?? []).map((p) =>
    resolve(
      ctx.homeDir,
      p.replaceAll("{output}", ctx.outputDir).replaceAll("{home}", ctx.homeDir),
    )
  );
}

function describePermissions(p: ModulePermissions): string {
  const parts: string[] = [];
  for (const k of ["read", "write", "net", "env", "run"] as const) {
    if (p[k]?.length) parts.push(`${k}: ${p[k]!.join(", ")}`);
  }
  return parts.join("; ");
}

export class ModuleHost {
  #groups: Group[] = [];
  #loaded: LoadedModule[] = [];
  #encodeCache = new WeakMap<object, EncodedBatch>();

  constructor(private readonly options: HostOptions) {}

  get modules(): LoadedModule[] {
    return this.#loaded;
  }

  /** Finds, loads, groups and starts every enabled module. */
  async start(): Promise<LoadedModule[]> {
    const { modulesDir, disabled, output } = this.options;
    const all = discoverModules(modulesDir);
    const off = new Set(disabled);
    const files = all.filter((m) => !off.has(m.name));
    if (files.length === 0) return [];

    const metas = await this.#probe(files.map((f) => f.file));
    const shared = metas.filter((m) => isEmptyPermissions(m.permissions));
    const own = metas.filter((m) => !isEmptyPermissions(m.permissions));
    const ctx = this.options.context;

    const plans: {
      id: string;
      modules: ModuleMeta[];
      permissions: Deno.PermissionOptionsObject;
    }[] = [];
    if (shared.length > 0) {
      plans.push({
        id: "sandbox",
        modules: shared,
        permissions: {
          read: [CORE_DIR, ...shared.map((m) => dirname(fileURLToPath(m.file)))],
          write: false,
          net: false,
          env: false,
          run: false,
          ffi: false,
          sys: false,
        },
      });
    }
    for (const m of own) {
      const p = m.permissions;
      plans.push({
        id: m.name,
        modules: [m],
        permissions: {
          read: [CORE_DIR, dirname(fileURLToPath(m.file)), ...expand(p.read, ctx)],
          write: p.write?.length ? expand(p.write, ctx) : false,
          net: p.net?.length ? [...p.net] : false,
          env: p.env?.length ? [...p.env] : false,
          run: p.run?.length ? [...p.run] : false,
          ffi: false,
          sys: false,
        },
      });
    }

    await Promise.all(plans.map((plan) => this.#startGroup(plan)));
    for (const g of this.#groups) {
      for (const m of g.modules) {
        this.#loaded.push({
          meta: m,
          runsIn: g.id === "sandbox"
            ? "shared sandboxed worker, no permissions"
            : `own worker (${describePermissions(m.permissions)})`,
        });
      }
    }
    output.print("modules", `${this.#loaded.length} modules running.`, 2, 0);
    return this.#loaded;
  }

  /** Imports every module file in a throw-away worker to learn what each one needs. */
  async #probe(files: string[]): Promise<ModuleMeta[]> {
    const dirs = [...new Set(files.map((f) => dirname(f)))];
    const worker = new Worker(WORKER_URL, {
      type: "module",
      name: "slips-module-probe",
      deno: {
        permissions: {
          read: [CORE_DIR, ...dirs],
          write: false,
          net: false,
          env: false,
          run: false,
          ffi: false,
          sys: false,
        },
      },
    });
    try {
      const meta = await new Promise<Extract<WorkerToHost, { t: "meta" }>>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<WorkerToHost>) => {
          if (e.data.t === "meta") resolve(e.data);
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(`A module failed while being loaded: ${e.message}`));
        };
        worker.postMessage(
          {
            t: "load",
            files: files.map((f) => new URL(`file://${f}`).href),
          } satisfies HostToWorker,
        );
      });
      for (const f of meta.failed) {
        this.options.output.error(
          "modules",
          `The module ${f.file} was not loaded: ${f.error}`,
          f.file,
        );
      }
      const seen = new Set<string>();
      return meta.modules.filter((m) => {
        if (seen.has(m.name)) {
          this.options.output.error(
            "modules",
            `Two modules are named "${m.name}"; only the first one is loaded.`,
            m.file,
          );
          return false;
        }
        seen.add(m.name);
        return true;
      });
    } finally {
      worker.terminate();
    }
  }

  async #startGroup(
    plan: { id: string; modules: ModuleMeta[]; permissions: Deno.PermissionOptionsObject },
  ): Promise<void> {
    const { output, config, context, verbose, debug, db } = this.options;
    const worker = new Worker(WORKER_URL, {
      type: "module",
      name: `slips-module-${plan.id}`,
      deno: { permissions: plan.permissions },
    });
    const group: Group = {
      id: plan.id,
      worker,
      modules: plan.modules,
      permissions: plan.permissions,
      subscriptions: [],
      nextSeq: 1,
      inFlight: 0,
      ackWaiters: [],
      finished: new Set(),
      dead: false,
    };
    this.#groups.push(group);
    worker.onerror = (e) => {
      // An uncaught error kills only this worker; the others go on.
      e.preventDefault();
      output.error(
        plan.modules.map((m) => m.name).join(","),
        `Uncaught error: ${e.message}`,
        `${e.filename}:${e.lineno}:${e.colno}`,
      );
    };
    worker.onmessage = (e: MessageEvent<WorkerToHost>) => this.#onWorkerMessage(group, e.data);

    const startedSubs = await new Promise<{ module: string; channel: string }[]>((resolve) => {
      group.started = resolve;
      worker.postMessage(
        { t: "load", files: plan.modules.map((m) => m.file) } satisfies HostToWorker,
      );
      worker.postMessage(
        {
          t: "start",
          keep: plan.modules.map((m) => m.name),
          config,
          context,
          verbose,
          debug,
        } satisfies HostToWorker,
      );
    });
    const channels = new Set(startedSubs.map((s) => s.channel));
    for (const channel of channels) {
      group.subscriptions.push(
        await db.subscribe(
          channel,
          `worker:${group.id}`,
          (batch) => this.#send(group, channel, batch as unknown[]),
        ),
      );
    }
  }

  #onWorkerMessage(group: Group, msg: WorkerToHost): void {
    const { output, db } = this.options;
    switch (msg.t) {
      case "meta":
        for (const f of msg.failed) {
          output.error("modules", `The module ${f.file} was not loaded: ${f.error}`, f.file);
        }
        return;
      case "started":
        group.started?.(msg.subscriptions);
        return;
      case "ack": {
        group.inFlight--;
        const w = group.ackWaiters.shift();
        if (w) w();
        return;
      }
      case "print":
        output.print(msg.module, msg.text, msg.verbose, msg.debug);
        return;
      case "error":
        output.error(msg.module, msg.text, msg.where);
        return;
      case "publish":
        db.publishBatch(msg.channel, msg.messages).catch((err) =>
          output.error(group.id, `Publishing on ${msg.channel} failed: ${err}`, "")
        );
        return;
      case "register":
        db.registerChannel(msg.channel, msg.description);
        return;
      case "finished":
        group.finished.add(msg.module);
        void db.publish("finished_modules", { module: msg.module });
        if (group.finished.size === group.modules.length) group.onFinished?.();
        return;
      case "rpc":
        this.#rpc(group, msg.id, msg.method, msg.args);
        return;
    }
  }

  async #rpc(group: Group, id: number, method: string, args: unknown[]): Promise<void> {
    const { db } = this.options;
    try {
      let value: unknown;
      if (method === "subscribe") {
        const [channel] = args as [string];
        group.subscriptions.push(
          await db.subscribe(
            channel,
            `worker:${group.id}:${channel}`,
            (batch) => this.#send(group, channel, batch as unknown[]),
          ),
        );
      } else if (method === "addEvidenceBatch") {
        // All calls are issued before the first await, so evidence keeps the order the module
        // raised it in, also across batches that arrive while an earlier one is still stored.
        const [batch] = args as [Evidence[]];
        const stored = await Promise.all(batch.map((e) => db.addEvidence(e)));
        value = stored.some(Boolean);
      } else if (method === "drain") {
        // A worker waiting on a drain that needs its own ack would deadlock; drain without it.
        value = undefined;
      } else if (RPC_METHODS.has(method)) {
        const fn = (db as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
        value = await fn.apply(db, args);
      } else {
        throw new Error(`The database has no method "${method}".`);
      }
      group.worker.postMessage({ t: "rpc_result", id, ok: true, value } satisfies HostToWorker);
    } catch (err) {
      group.worker.postMessage(
        {
          t: "rpc_result",
          id,
          ok: false,
          error: err instanceof Error ? err.message : String(err),
        } satisfies HostToWorker,
      );
    }
  }

  /** Posts one batch; waits only when the worker already holds `window` unacknowledged ones. */
  async #send(group: Group, channel: string, batch: unknown[]): Promise<void> {
    if (group.dead) return;
    const window = this.options.window ?? 8;
    while (group.inFlight >= window && !group.dead) {
      await new Promise<void>((resolve) => group.ackWaiters.push(resolve));
    }
    if (group.dead) return;
    group.inFlight++;
    const seq = group.nextSeq++;
    if (channel === "new_flow" && (this.options.flowDelivery ?? "shared") === "shared") {
      let encoded = this.#encodeCache.get(batch);
      if (!encoded) {
        encoded = encodeConnBatch(batch as Profiled<ConnRecord>[]);
        this.#encodeCache.set(batch, encoded);
      }
      group.worker.postMessage(
        { t: "encoded", seq, channel, batch: encoded } satisfies HostToWorker,
      );
    } else {
      group.worker.postMessage(
        { t: "batch", seq, channel, messages: batch } satisfies HostToWorker,
      );
    }
  }

  /** Resolves when every worker acknowledged every batch sent so far. */
  async #idle(): Promise<void> {
    for (const g of this.#groups) {
      while (g.inFlight > 0 && !g.dead) {
        await new Promise<void>((resolve) => g.ackWaiters.push(resolve));
      }
    }
  }

  /**
   * Tells every module to finish (after its queued messages), waits up to `timeoutMs` for each
   * to answer on `finished_modules`, then terminates the stragglers. Returns their names.
   */
  async stop(timeoutMs: number): Promise<string[]> {
    const { db } = this.options;
    const deadline = Date.now() + timeoutMs;
    const remaining = () => Math.max(0, deadline - Date.now());
    const timedOut = Symbol("timeout");
    const within = <T>(p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<typeof timedOut>((r) => setTimeout(() => r(timedOut), remaining())),
      ]);

    await within(db.drain().then(() => this.#idle()));
    await db.publish("control_channel", { command: "stop_process", reason: "input finished" })
      .catch(() => {});
    const done = this.#groups.map((g) =>
      new Promise<void>((resolve) => {
        if (g.finished.size === g.modules.length) return resolve();
        g.onFinished = resolve;
        g.worker.postMessage({ t: "stop" } satisfies HostToWorker);
      })
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(done),
      new Promise<void>((r) => timer = setTimeout(r, remaining())),
    ]);
    clearTimeout(timer);
    const stragglers: string[] = [];
    for (const g of this.#groups) {
      for (const m of g.modules) if (!g.finished.has(m.name)) stragglers.push(m.name);
      g.dead = true;
      for (const w of g.ackWaiters.splice(0)) w();
      for (const s of g.subscriptions) await s.unsubscribe().catch(() => {});
      g.worker.terminate();
    }
    return stragglers;
  }
}
