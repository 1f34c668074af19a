/**
 * The embedded backend: everything in this process's memory. The default, since it needs nothing
 * installed and costs nothing per message beyond a function call.
 */
import type { BatchHandler, Database, Payload, Subscription } from "./database.ts";
import type { Evidence } from "../evidence/evidence.ts";
import type { Alert, ProfileInfo, TimeWindowInfo } from "./storage_types.ts";
import { BoundedQueue, type QueueTarget } from "./bounded_queue.ts";
import { ChannelRegistry } from "./channel_registry.ts";

export interface EmbeddedOptions {
  /** Messages one subscriber may have waiting before publishers wait. */
  highWater?: number;
  /** Where a subscriber's exception is reported; delivery continues with the next batch. */
  onHandlerError?: (channel: string, subscriber: string, err: unknown) => void;
}

interface Registration {
  target: QueueTarget<unknown>;
  queue: BoundedQueue<unknown>;
}

const twKey = (ip: string, twid: number) => `${ip}\u0000${twid}`;

export class EmbeddedDatabase implements Database {
  readonly backend = "embedded";
  #registry = new ChannelRegistry();
  /** channel → subscriber → that channel's registration on the subscriber's queue. */
  #subs = new Map<string, Map<string, Registration>>();
  /** One queue per subscriber name, shared by all its channels: order holds across channels. */
  #queues = new Map<string, BoundedQueue<unknown>>();
  #profiles = new Map<string, ProfileInfo>();
  #tws = new Map<string, TimeWindowInfo>();
  #evidence = new Map<string, Map<string, Evidence>>();
  #accumulated = new Map<string, number>();
  #alerts: Alert[] = [];
  #caches = new Map<string, Map<string, string>>();
  #counters = new Map<string, number>();

  constructor(private readonly options: EmbeddedOptions = {}) {}

  registerChannel(name: string, description: string): void {
    this.#registry.register(name, description);
  }

  channels(): string[] {
    return this.#registry.names();
  }

  publish<C extends string>(channel: C, ...messages: Payload<C>[]): Promise<void> {
    return this.publishBatch(channel, messages);
  }

  async publishBatch<C extends string>(channel: C, messages: Payload<C>[]): Promise<void> {
    this.#registry.assertKnown(channel);
    const subs = this.#subs.get(channel);
    if (!subs || messages.length === 0) return;
    if (subs.size === 1) {
      for (const r of subs.values()) await r.queue.push(r.target, messages);
      return;
    }
    // Every subscriber gets the same array; handlers must not mutate it.
    await Promise.all([...subs.values()].map((r) => r.queue.push(r.target, messages)));
  }

  subscribe<C extends string>(
    channel: C,
    subscriber: string,
    handler: BatchHandler<C>,
  ): Promise<Subscription> {
    this.#registry.assertKnown(channel);
    let subs = this.#subs.get(channel);
    if (!subs) this.#subs.set(channel, subs = new Map());
    if (subs.has(subscriber)) {
      throw new Error(`"${subscriber}" is already subscribed to the channel "${channel}".`);
    }
    const onError = (err: unknown) =>
      this.options.onHandlerError
        ? this.options.onHandlerError(channel, subscriber, err)
        : console.error(`Subscriber ${subscriber} of ${channel} failed:`, err);
    let queue = this.#queues.get(subscriber);
    if (!queue) this.#queues.set(subscriber, queue = new BoundedQueue(this.options.highWater));
    const target: QueueTarget<unknown> = {
      handler: handler as (b: unknown[]) => void | Promise<void>,
      onError,
      closed: false,
    };
    subs.set(subscriber, { target, queue });
    const map = subs;
    return Promise.resolve({
      channel,
      subscriber,
      unsubscribe: () => {
        queue.forget(target);
        map.delete(subscriber);
        return Promise.resolve();
      },
    });
  }

  async drain(): Promise<void> {
    // A handler may publish further messages, so repeat until a full pass finds nothing queued.
    for (;;) {
      const queues = [...this.#queues.values()];
      if (queues.every((q) => q.size === 0)) {
        await Promise.all(queues.map((q) => q.idle()));
        if (queues.every((q) => q.size === 0)) return;
      }
      await Promise.all(queues.map((q) => q.idle()));
    }
  }

  addProfile(ip: string, firstSeen: number): Promise<boolean> {
    if (this.#profiles.has(ip)) return Promise.resolve(false);
    this.#profiles.set(ip, { ip, firstSeen, fields: {} });
    return Promise.resolve(true);
  }

  getProfile(ip: string): Promise<ProfileInfo | undefined> {
    const p = this.#profiles.get(ip);
    return Promise.resolve(p && { ...p, fields: { ...p.fields } });
  }

  setProfileField(ip: string, field: string, value: string): Promise<void> {
    let p = this.#profiles.get(ip);
    if (!p) this.#profiles.set(ip, p = { ip, firstSeen: 0, fields: {} });
    p.fields[field] = value;
    return Promise.resolve();
  }

  profileCount(): Promise<number> {
    return Promise.resolve(this.#profiles.size);
  }

  profiles(): Promise<string[]> {
    return Promise.resolve([...this.#profiles.keys()]);
  }

  addTimeWindow(tw: TimeWindowInfo): Promise<void> {
    this.#tws.set(twKey(tw.profileIp, tw.twid), { ...tw });
    return Promise.resolve();
  }

  getTimeWindow(profileIp: string, twid: number): Promise<TimeWindowInfo | undefined> {
    const tw = this.#tws.get(twKey(profileIp, twid));
    return Promise.resolve(tw && { ...tw });
  }

  closeTimeWindow(profileIp: string, twid: number): Promise<void> {
    const key = twKey(profileIp, twid);
    this.#tws.delete(key);
    // Evidence and alerts stay for reports; the running score of a closed window is not needed.
    this.#accumulated.delete(key);
    this.#evidence.delete(key);
    return Promise.resolve();
  }

  async addEvidence(evidence: Evidence): Promise<boolean> {
    const key = twKey(evidence.profileIp, evidence.twid);
    let m = this.#evidence.get(key);
    if (!m) this.#evidence.set(key, m = new Map());
    if (m.has(evidence.id)) return false;
    m.set(evidence.id, evidence);
    await this.publish("evidence_added", evidence);
    return true;
  }

  getEvidence(profileIp: string, twid: number): Promise<Evidence[]> {
    return Promise.resolve([...(this.#evidence.get(twKey(profileIp, twid))?.values() ?? [])]);
  }

  deleteEvidence(profileIp: string, twid: number, id: string): Promise<void> {
    this.#evidence.get(twKey(profileIp, twid))?.delete(id);
    return Promise.resolve();
  }

  getAccumulatedThreat(profileIp: string, twid: number): Promise<number> {
    return Promise.resolve(this.#accumulated.get(twKey(profileIp, twid)) ?? 0);
  }

  setAccumulatedThreat(profileIp: string, twid: number, value: number): Promise<void> {
    this.#accumulated.set(twKey(profileIp, twid), value);
    return Promise.resolve();
  }

  addAlert(alert: Alert): Promise<void> {
    this.#alerts.push(alert);
    return Promise.resolve();
  }

  alerts(): Promise<Alert[]> {
    return Promise.resolve([...this.#alerts]);
  }

  cacheSet(namespace: string, key: string, value: string): Promise<void> {
    let m = this.#caches.get(namespace);
    if (!m) this.#caches.set(namespace, m = new Map());
    m.set(key, value);
    return Promise.resolve();
  }

  cacheGet(namespace: string, key: string): Promise<string | undefined> {
    return Promise.resolve(this.#caches.get(namespace)?.get(key));
  }

  cacheDelete(namespace: string, key: string): Promise<void> {
    this.#caches.get(namespace)?.delete(key);
    return Promise.resolve();
  }

  incr(counter: string, by = 1): Promise<number> {
    const v = (this.#counters.get(counter) ?? 0) + by;
    this.#counters.set(counter, v);
    return Promise.resolve(v);
  }

  counter(counter: string): Promise<number> {
    return Promise.resolve(this.#counters.get(counter) ?? 0);
  }

  async close(): Promise<void> {
    await this.drain();
    for (const subs of this.#subs.values()) {
      for (const r of subs.values()) r.queue.forget(r.target);
    }
    this.#subs.clear();
    this.#queues.clear();
  }
}
