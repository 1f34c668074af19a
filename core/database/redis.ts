/**
 * The Redis backend: pub/sub and storage in a Redis server, so several Slips processes (one per
 * sensor, say) can share one store and one set of channels. Chosen with the Redis options; the
 * embedded backend stays the default because it needs nothing installed.
 */
import type { BatchHandler, Database, Payload, Subscription } from "./database.ts";
import { openConnection, RedisLink } from "./redis_connection.ts";
import { RedisKeys } from "./redis_keys.ts";
import { RedisPubSub } from "./redis_pubsub.ts";
import { RedisStorage } from "./redis_storage.ts";

export interface RedisOptions {
  host?: string;
  port: number;
  /** Redis database index (SELECT). */
  db?: number;
  /** Start of every key this run uses; runs with different prefixes share a server unseen. */
  prefix?: string;
  /** Messages one subscriber may have waiting before publishers wait. */
  highWater?: number;
  /** Where a subscriber's exception is reported; delivery continues with the next batch. */
  onHandlerError?: (channel: string, subscriber: string, err: unknown) => void;
  /** Told once, in one sentence, when the server goes away during the run. */
  onFatal?: (message: string) => void;
}

export class RedisDatabase extends RedisStorage implements Database {
  readonly backend = "redis";
  #pubsub: RedisPubSub;
  #closed = false;

  private constructor(link: RedisLink, keys: RedisKeys, pubsub: RedisPubSub) {
    super(link, keys, (evidence) => pubsub.publish("evidence_added", evidence));
    this.#pubsub = pubsub;
  }

  /** Connects, or throws DatabaseError with one sentence saying what to do. */
  static async connect(opts: RedisOptions): Promise<RedisDatabase> {
    const target = { host: opts.host ?? "127.0.0.1", port: opts.port, db: opts.db ?? 0 };
    const onFatal = opts.onFatal ?? ((message: string) => console.error(message));
    // The connection reports errors before the link that handles them exists.
    const late: { link?: RedisLink } = {};
    const client = await openConnection(target, (err) => late.link?.lost(err));
    const link = late.link = new RedisLink(client, target, onFatal);
    const keys = new RedisKeys(opts.prefix ?? "slips:");
    const pubsub = new RedisPubSub(link, keys, crypto.randomUUID(), {
      highWater: opts.highWater ?? 50_000,
      onHandlerError: opts.onHandlerError,
    });
    try {
      await pubsub.start();
    } catch (err) {
      await pubsub.stop().catch(() => {});
      client.destroy();
      throw err;
    }
    return new RedisDatabase(link, keys, pubsub);
  }

  /** Names this process's queues and liveness key in Redis. */
  get instance(): string {
    return this.#pubsub.instance;
  }

  /** The key prefix this instance works under. */
  get prefix(): string {
    return this.keys.prefix;
  }

  registerChannel(name: string, description: string): void {
    this.#pubsub.registerChannel(name, description);
  }

  channels(): string[] {
    return this.#pubsub.channels();
  }

  publish<C extends string>(channel: C, ...messages: Payload<C>[]): Promise<void> {
    return this.#pubsub.publishBatch(channel, messages);
  }

  publishBatch<C extends string>(channel: C, messages: Payload<C>[]): Promise<void> {
    return this.#pubsub.publishBatch(channel, messages);
  }

  subscribe<C extends string>(
    channel: C,
    subscriber: string,
    handler: BatchHandler<C>,
  ): Promise<Subscription> {
    return this.#pubsub.subscribe(channel, subscriber, handler);
  }

  drain(): Promise<void> {
    return this.#pubsub.drain();
  }

  /** Drains, removes this process's queues and closes every connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.link.fatal === undefined) await this.drain();
    } catch (err) {
      // A server lost while draining was already reported once through onFatal.
      if (this.link.fatal === undefined) throw err;
    } finally {
      try {
        await this.#pubsub.stop();
      } finally {
        this.link.markClosing();
        if (this.link.fatal === undefined) {
          await this.link.client.close().catch(() => this.link.client.destroy());
        } else {
          this.link.client.destroy();
        }
      }
    }
  }
}
