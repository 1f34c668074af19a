/**
 * One subscriber of the Redis backend: its own connection blocks on its queue (a Redis list),
 * takes one batch at a time and awaits the handler before taking the next, so batches arrive in
 * publication order and a slow handler leaves the rest waiting in Redis, not in this process.
 */
import type { RedisClient, RedisLink } from "./redis_connection.ts";
import type { RedisKeys } from "./redis_keys.ts";
import { decodeConnColumns, encodeConnColumns, isConnBatch } from "./columnar_json.ts";

export type RawHandler = (batch: unknown[]) => void | Promise<void>;

/**
 * `count|json`: the count lets the pending counter be corrected even if the JSON is damaged.
 * Conn batches use `count|C` and columns (see columnar_json.ts).
 */
export function encodeBatch(messages: readonly unknown[]): string {
  if (isConnBatch(messages)) return `${messages.length}|C${encodeConnColumns(messages)}`;
  return `${messages.length}|${JSON.stringify(messages)}`;
}

export function decodeBatch(
  element: string,
): { count: number; messages?: unknown[]; error?: string } {
  const bar = element.indexOf("|");
  const count = bar > 0 ? Number(element.slice(0, bar)) : NaN;
  if (!Number.isInteger(count) || count < 0) {
    return { count: 0, error: "a queued batch has no message count in front of it" };
  }
  try {
    if (element.charCodeAt(bar + 1) === 67 /* C */) {
      return { count, messages: decodeConnColumns(element.slice(bar + 2)) };
    }
    const messages: unknown = JSON.parse(element.slice(bar + 1));
    if (!Array.isArray(messages)) return { count, error: "a queued batch is not a JSON array" };
    return { count, messages };
  } catch (err) {
    return { count, error: `a queued batch is not valid JSON (${(err as Error).message})` };
  }
}

/** One channel's handler on a subscriber's queue. */
export interface ChannelTarget {
  handler: RawHandler;
  onError: (err: unknown) => void;
}

/** A queued element: the channel, a newline, then the encoded batch. */
export function encodeElement(channel: string, encoded: string): string {
  return `${channel}\n${encoded}`;
}

export class RedisSubscriber {
  #stopped = false;
  #busy = false;
  #done: Promise<void> | undefined;
  /** The channels this subscriber listens to; batches of any other channel are dropped. */
  readonly targets = new Map<string, ChannelTarget>();

  constructor(
    readonly subscriber: string,
    readonly queueId: string,
    private readonly conn: RedisClient,
    private readonly link: RedisLink,
    private readonly keys: RedisKeys,
    /** Told after each batch is handled and counted off, so waiters can look again at once. */
    private readonly onProgress: () => void,
  ) {}

  /** True while a handler runs. */
  get busy(): boolean {
    return this.#busy;
  }

  start(): void {
    this.#done ??= this.#loop();
  }

  /** Stops taking batches and drops the connection; a handler still running is not waited for. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    // Closing the socket is the only way to end a BLPOP that waits without a timeout.
    this.conn.destroy();
    // Waiting for a busy handler would deadlock a handler that unsubscribes itself.
    if (!this.#busy) await this.#done;
  }

  async #loop(): Promise<void> {
    const queueKey = this.keys.queue(this.queueId);
    while (!this.#stopped) {
      let element: string;
      try {
        const reply = await this.conn.blPop(queueKey, 0);
        if (!reply) continue;
        element = reply.element;
      } catch (err) {
        if (!this.#stopped) this.link.lost(err);
        return;
      }
      const nl = element.indexOf("\n");
      const channel = nl > 0 ? element.slice(0, nl) : "";
      const batch = decodeBatch(element.slice(nl + 1));
      const target = this.targets.get(channel);
      this.#busy = true;
      try {
        if (nl <= 0) {
          throw new Error(
            `The subscriber "${this.subscriber}" skipped data: a queued batch names no channel.`,
          );
        }
        if (target !== undefined) {
          try {
            if (batch.error !== undefined) {
              throw new Error(
                `The subscriber "${this.subscriber}" of "${channel}" skipped data: ${batch.error}.`,
              );
            }
            await target.handler(batch.messages!);
          } catch (err) {
            target.onError(err);
          }
        }
      } catch (err) {
        console.error(String(err));
      } finally {
        this.#busy = false;
      }
      if (this.#stopped) return;
      // Sent on the same connection before the next BLPOP, so it is never held up behind it.
      this.conn.hIncrBy(this.keys.pending, this.queueId, -batch.count).then(
        () => this.onProgress(),
        (err: unknown) => {
          if (!this.#stopped) this.link.lost(err);
        },
      );
    }
  }
}
