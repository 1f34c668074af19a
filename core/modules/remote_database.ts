/**
 * The Database facade as seen from inside a module worker: every call is forwarded to the host,
 * which owns the real backend. Subscriptions are declared by the module's `channels`, so
 * `subscribe` here only serves channels a module adds at run time.
 */
import type { BatchHandler, Database, Payload, Subscription } from "../database/database.ts";
import type { Evidence } from "../evidence/evidence.ts";
import type { Alert, ProfileInfo, TimeWindowInfo } from "../database/storage_types.ts";
import type { WorkerToHost } from "./protocol.ts";

type Post = (m: WorkerToHost) => void;

export class RemoteDatabase implements Database {
  readonly backend = "remote";
  #nextId = 1;
  #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #channels = new Set<string>();
  #handlers = new Map<string, BatchHandler<string>>();
  #evidence: Evidence[] = [];
  #evidenceFlush: Promise<boolean> | undefined;

  constructor(private readonly post: Post, knownChannels: string[]) {
    for (const c of knownChannels) this.#channels.add(c);
  }

  /** Called by the worker when the host answers an RPC. */
  settle(id: number, ok: boolean, value: unknown, error?: string): void {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    if (ok) p.resolve(value);
    else p.reject(new Error(error ?? "The host could not complete a database call."));
  }

  handlerFor(channel: string): BatchHandler<string> | undefined {
    return this.#handlers.get(channel);
  }

  #call<T>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ t: "rpc", id, method, args });
    });
  }

  publish<C extends string>(channel: C, ...messages: Payload<C>[]): Promise<void> {
    return this.publishBatch(channel, messages);
  }

  publishBatch<C extends string>(channel: C, messages: Payload<C>[]): Promise<void> {
    if (!this.#channels.has(channel)) {
      return Promise.reject(new Error(`There is no channel named "${channel}".`));
    }
    this.post({ t: "publish", channel, messages });
    return Promise.resolve();
  }

  subscribe<C extends string>(
    channel: C,
    subscriber: string,
    handler: BatchHandler<C>,
  ): Promise<Subscription> {
    if (!this.#channels.has(channel)) {
      return Promise.reject(
        new Error(
          `There is no channel named "${channel}". Subscribe to a core channel or register it first.`,
        ),
      );
    }
    this.#handlers.set(channel, handler as BatchHandler<string>);
    return this.#call<void>("subscribe", channel, subscriber).then(() => ({
      channel,
      subscriber,
      unsubscribe: () => {
        this.#handlers.delete(channel);
        return Promise.resolve();
      },
    }));
  }

  registerChannel(name: string, description: string): void {
    this.#channels.add(name);
    this.post({ t: "register", channel: name, description });
  }

  channels(): string[] {
    return [...this.#channels];
  }

  drain(): Promise<void> {
    return this.#call("drain");
  }

  addProfile(ip: string, firstSeen: number): Promise<boolean> {
    return this.#call("addProfile", ip, firstSeen);
  }
  getProfile(ip: string): Promise<ProfileInfo | undefined> {
    return this.#call("getProfile", ip);
  }
  setProfileField(ip: string, field: string, value: string): Promise<void> {
    return this.#call("setProfileField", ip, field, value);
  }
  profileCount(): Promise<number> {
    return this.#call("profileCount");
  }
  profiles(): Promise<string[]> {
    return this.#call("profiles");
  }
  addTimeWindow(tw: TimeWindowInfo): Promise<void> {
    return this.#call("addTimeWindow", tw);
  }
  getTimeWindow(profileIp: string, twid: number): Promise<TimeWindowInfo | undefined> {
    return this.#call("getTimeWindow", profileIp, twid);
  }
  closeTimeWindow(profileIp: string, twid: number): Promise<void> {
    return this.#call("closeTimeWindow", profileIp, twid);
  }
  /**
   * Evidence is sent in batches: everything raised while handling one message (or one batch of
   * messages) goes to the host in a single post. The promise resolves once the host has stored
   * the batch; its value is false only when every id in it was already stored.
   */
  addEvidence(evidence: Evidence): Promise<boolean> {
    this.#evidence.push(evidence);
    if (!this.#evidenceFlush) {
      this.#evidenceFlush = new Promise<boolean>((resolve, reject) => {
        queueMicrotask(() => {
          const batch = this.#evidence;
          this.#evidence = [];
          this.#evidenceFlush = undefined;
          this.#call<boolean>("addEvidenceBatch", batch).then(resolve, reject);
        });
      });
    }
    return this.#evidenceFlush;
  }
  getEvidence(profileIp: string, twid: number): Promise<Evidence[]> {
    return this.#call("getEvidence", profileIp, twid);
  }
  deleteEvidence(profileIp: string, twid: number, id: string): Promise<void> {
    return this.#call("deleteEvidence", profileIp, twid, id);
  }
  getAccumulatedThreat(profileIp: string, twid: number): Promise<number> {
    return this.#call("getAccumulatedThreat", profileIp, twid);
  }
  setAccumulatedThreat(profileIp: string, twid: number, value: number): Promise<void> {
    return this.#call("setAccumulatedThreat", profileIp, twid, value);
  }
  addAlert(alert: Alert): Promise<void> {
    return this.#call("addAlert", alert);
  }
  alerts(): Promise<Alert[]> {
    return this.#call("alerts");
  }
  cacheSet(namespace: string, key: string, value: string): Promise<void> {
    return this.#call("cacheSet", namespace, key, value);
  }
  cacheGet(namespace: string, key: string): Promise<string | undefined> {
    return this.#call("cacheGet", namespace, key);
  }
  cacheDelete(namespace: string, key: string): Promise<void> {
    return this.#call("cacheDelete", namespace, key);
  }
  incr(counter: string, by?: number): Promise<number> {
    return this.#call("incr", counter, by);
  }
  counter(counter: string): Promise<number> {
    return this.#call("counter", counter);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Database methods a worker may call through `rpc`. */
export const RPC_METHODS = new Set([
  "drain",
  "addProfile",
  "getProfile",
  "setProfileField",
  "profileCount",
  "profiles",
  "addTimeWindow",
  "getTimeWindow",
  "closeTimeWindow",
  "addEvidence",
  "addEvidenceBatch",
  "getEvidence",
  "deleteEvidence",
  "getAccumulatedThreat",
  "setAccumulatedThreat",
  "addAlert",
  "alerts",
  "cacheSet",
  "cacheGet",
  "cacheDelete",
  "incr",
  "counter",
]);
