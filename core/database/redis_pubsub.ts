/**
 * Pub/sub of the Redis backend. Plain Redis PUBLISH drops messages for a subscriber that cannot
 * keep up, so instead every subscriber has its own list, shared by all the channels it listens to
 * (so its batches keep their publication order across channels): a publish appends the encoded
 * batch, tagged with its channel, to the list of every subscriber of the channel, in one
 * server-side script so that the subscriber set, the lists and the pending counters change
 * together. The publisher then waits while any of those lists holds more than the high-water mark
 * of messages, until it is below half of it.
 */
import type { BatchHandler, Payload, PubSub, Subscription } from "./database.ts";
import { ChannelRegistry } from "./channel_registry.ts";
import { openConnection, type RedisLink } from "./redis_connection.ts";
import { parseQueueId, queueId, type RedisKeys } from "./redis_keys.ts";
import {
  encodeBatch,
  encodeElement,
  type RawHandler,
  RedisSubscriber,
} from "./redis_subscriber.ts";

/** KEYS: subscriber set, pending hash. ARGV: batch, message count, high water, queue key prefix. */
const PUBLISH_SCRIPT = `
local over = {}
local n = tonumber(ARGV[2])
local high = tonumber(ARGV[3])
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  redis.call('RPUSH', ARGV[4] .. id, ARGV[1])
  if redis.call('HINCRBY', KEYS[2], id, n) > high then
    over[#over + 1] = id
  end
end
return over
`;

/** Longest nap between two looks at a full queue or an undrained subscriber. */
const MAX_NAP_MS = 20;
/** How long "nobody subscribes to this channel" is believed before asking Redis again. */
const SUBSCRIBER_CHECK_MS = 250;
/** How often a publisher held back by a queue checks whether its owner process still lives. */
const LIVENESS_CHECK_MS = 1000;
/** A process refreshes its liveness key this often; the key expires after ALIVE_TTL_MS. */
export const HEARTBEAT_MS = 5000;
export const ALIVE_TTL_MS = 30_000;

export interface RedisPubSubOptions {
  highWater: number;
  onHandlerError?: (channel: string, subscriber: string, err: unknown) => void;
}

export class RedisPubSub implements PubSub {
  #registry = new ChannelRegistry();
  #subscriberCheck = new Map<string, { at: number; any: boolean }>();
  /** channel → subscriber name → the subscriber (one per name, shared by its channels). */
  #subs = new Map<string, Map<string, RedisSubscriber>>();
  #bySubscriber = new Map<string, RedisSubscriber>();
  #napWaiters = new Set<() => void>();
  #scriptSha: string | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly keys: RedisKeys,
    /** Unique to this process's connection, so its queues never mix with another's. */
    readonly instance: string,
    private readonly options: RedisPubSubOptions,
  ) {}

  /** Announces this process as alive, loads the publish script and forgets dead processes' queues. */
  async start(): Promise<void> {
    await this.#beat();
    this.#heartbeat = setInterval(() => {
      this.#beat().catch(() => {
        // A lost server is reported once by the link; a missed beat adds nothing.
      });
    }, HEARTBEAT_MS);
    this.#scriptSha = await this.link.run((c) => c.scriptLoad(PUBLISH_SCRIPT));
    await this.#sweepDeadQueues();
  }

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
    if (messages.length === 0) return;
    if (!(await this.#hasSubscribers(channel))) return;
    const over = await this.#append(
      channel,
      encodeElement(channel, encodeBatch(messages)),
      messages.length,
    );
    if (over.length > 0) await this.#waitForRoom(over);
  }

  /**
   * Whether any process subscribes to `channel`. Encoding a batch nobody reads is the dearest
   * part of publishing, so the answer is cached for SUBSCRIBER_CHECK_MS: a subscriber that joins
   * from another process starts receiving within that time.
   */
  async #hasSubscribers(channel: string): Promise<boolean> {
    if ((this.#subs.get(channel)?.size ?? 0) > 0) return true;
    const now = Date.now();
    const known = this.#subscriberCheck.get(channel);
    if (known && now - known.at < SUBSCRIBER_CHECK_MS) return known.any;
    const n = await this.link.run((c) => c.sCard(this.keys.subscribers(channel)));
    this.#subscriberCheck.set(channel, { at: now, any: Number(n) > 0 });
    return Number(n) > 0;
  }

  async #append(channel: string, encoded: string, count: number): Promise<string[]> {
    const keys = [this.keys.subscribers(channel), this.keys.pending];
    const args = [encoded, String(count), String(this.options.highWater), this.keys.queue("")];
    const reply = await this.link.run(async (c) => {
      try {
        return await c.evalSha(this.#scriptSha!, { keys, arguments: args });
      } catch (err) {
        // The server forgets scripts when it restarts or is flushed; load it again once.
        if (!String(err).includes("NOSCRIPT")) throw err;
        this.#scriptSha = await c.scriptLoad(PUBLISH_SCRIPT);
        return await c.evalSha(this.#scriptSha, { keys, arguments: args });
      }
    });
    return Array.isArray(reply) ? reply.map(String) : [];
  }

  async #waitForRoom(queueIds: string[]): Promise<void> {
    const low = this.options.highWater / 2;
    let waiting = queueIds;
    let nap = 1;
    let lastLivenessCheck = Date.now();
    while (waiting.length > 0) {
      await this.#nap(nap);
      nap = Math.min(nap * 2, MAX_NAP_MS);
      const counts = await this.link.run((c) => c.hmGet(this.keys.pending, waiting));
      waiting = waiting.filter((_, i) => Number(counts[i] ?? 0) >= low);
      if (waiting.length > 0 && Date.now() - lastLivenessCheck >= LIVENESS_CHECK_MS) {
        lastLivenessCheck = Date.now();
        const removed = await this.#removeDeadQueues(waiting);
        waiting = waiting.filter((id) => !removed.has(id));
      }
    }
  }

  async subscribe<C extends string>(
    channel: C,
    subscriber: string,
    handler: BatchHandler<C>,
  ): Promise<Subscription> {
    this.#registry.assertKnown(channel);
    this.link.throwIfLost();
    let subs = this.#subs.get(channel);
    if (!subs) this.#subs.set(channel, subs = new Map());
    if (subs.has(subscriber)) {
      throw new Error(`"${subscriber}" is already subscribed to the channel "${channel}".`);
    }
    const onError = (err: unknown) =>
      this.options.onHandlerError
        ? this.options.onHandlerError(channel, subscriber, err)
        : console.error(`Subscriber ${subscriber} of ${channel} failed:`, err);
    let sub = this.#bySubscriber.get(subscriber);
    const fresh = sub === undefined;
    if (sub === undefined) {
      const conn = await openConnection(this.link.target, (err) => this.link.lost(err));
      sub = new RedisSubscriber(
        subscriber,
        queueId(this.instance, subscriber),
        conn,
        this.link,
        this.keys,
        () => this.#wake(),
      );
      this.#bySubscriber.set(subscriber, sub);
    }
    sub.targets.set(channel, { handler: handler as RawHandler, onError });
    subs.set(subscriber, sub);
    try {
      await this.link.run((c) => c.sAdd(this.keys.subscribers(channel), sub.queueId));
    } catch (err) {
      subs.delete(subscriber);
      sub.targets.delete(channel);
      if (fresh) {
        this.#bySubscriber.delete(subscriber);
        await sub.stop();
      }
      throw err;
    }
    sub.start();
    const map = subs;
    const owner = sub;
    return {
      channel,
      subscriber,
      unsubscribe: async () => {
        if (map.get(subscriber) !== owner) return;
        map.delete(subscriber);
        owner.targets.delete(channel);
        await this.link.run((c) => c.sRem(this.keys.subscribers(channel), owner.queueId));
        if (owner.targets.size > 0) return;
        this.#bySubscriber.delete(subscriber);
        await owner.stop();
        await this.#forget([owner.queueId], []);
      },
    };
  }

  async drain(): Promise<void> {
    let nap = 1;
    for (;;) {
      this.link.throwIfLost();
      const subs = this.#allSubscribers();
      if (subs.length === 0) return;
      if (!subs.some((s) => s.busy)) {
        const ids = subs.map((s) => s.queueId);
        const counts = await this.link.run((c) => c.hmGet(this.keys.pending, ids));
        // The counters include the batch in hand, so zero everywhere means handled, not just taken.
        if (counts.every((n) => Number(n ?? 0) <= 0)) return;
      }
      await this.#nap(nap);
      nap = Math.min(nap * 2, MAX_NAP_MS);
    }
  }

  /** Stops every subscriber of this process and removes its queues; the server stays as it is. */
  async stop(): Promise<void> {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const subs = this.#allSubscribers();
    const channels = [...this.#subs.keys()];
    this.#subs.clear();
    this.#bySubscriber.clear();
    await Promise.all(subs.map((s) => s.stop()));
    this.#wake();
    if (this.link.fatal !== undefined) return;
    await this.#forget(subs.map((s) => s.queueId), channels);
    await this.link.run((c) => c.del(this.keys.alive(this.instance)));
  }

  #allSubscribers(): RedisSubscriber[] {
    return [...this.#bySubscriber.values()];
  }

  async #beat(): Promise<void> {
    await this.link.run((c) =>
      c.set(this.keys.alive(this.instance), String(Date.now()), { PX: ALIVE_TTL_MS })
    );
  }

  /**
   * Removes queues from the subscriber sets of `channels` (every channel's set when not given),
   * with their contents and counters.
   */
  async #forget(ids: string[], channels?: string[]): Promise<void> {
    if (ids.length === 0) return;
    const setKeys = channels !== undefined
      ? channels.map((ch) => this.keys.subscribers(ch))
      : await this.#subscriberSetKeys();
    await this.link.run((c) => {
      const multi = c.multi();
      for (const key of setKeys) multi.sRem(key, ids);
      for (const id of ids) multi.del(this.keys.queue(id));
      multi.hDel(this.keys.pending, ids);
      return multi.exec();
    });
  }

  async #subscriberSetKeys(): Promise<string[]> {
    const setKeys: string[] = [];
    await this.link.run(async (c) => {
      for await (const batch of c.scanIterator({ MATCH: `${this.keys.subscribers("*")}` })) {
        setKeys.push(...batch);
      }
    });
    return setKeys;
  }

  /** Queues of processes that stopped refreshing their liveness key would block publishers forever. */
  async #removeDeadQueues(ids: string[]): Promise<Set<string>> {
    const instances = [
      ...new Set(
        ids.map((id) => parseQueueId(id)?.instance).filter((i): i is string =>
          i !== undefined && i !== this.instance
        ),
      ),
    ];
    if (instances.length === 0) return new Set();
    const alive = await this.link.run((c) =>
      Promise.all(instances.map((i) => c.exists(this.keys.alive(i))))
    );
    const dead = new Set(instances.filter((_, i) => alive[i] === 0));
    const doomed = ids.filter((id) => dead.has(parseQueueId(id)?.instance ?? ""));
    await this.#forget(doomed);
    return new Set(doomed);
  }

  async #sweepDeadQueues(): Promise<void> {
    const setKeys = await this.#subscriberSetKeys();
    if (setKeys.length === 0) return;
    const members = await this.link.run((c) => Promise.all(setKeys.map((k) => c.sMembers(k))));
    await this.#removeDeadQueues(members.flat());
  }

  /** Sleeps up to `ms`, or less when a local subscriber finishes a batch. */
  #nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#napWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#napWaiters.add(done);
    });
  }

  #wake(): void {
    for (const w of [...this.#napWaiters]) w();
  }
}
