/**
 * Where the Redis backend keeps everything. All keys start with one prefix, so several runs can
 * share a server without seeing each other, and several processes with the same prefix share one
 * store and one set of channels.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Set of the queue ids subscribed to a channel. */
  subscribers(channel: string): string {
    return `${this.prefix}subscribers:${channel}`;
  }

  /** List of encoded batches waiting for one subscriber. */
  queue(queueId: string): string {
    return `${this.prefix}queue:${queueId}`;
  }

  /** Hash queue id → messages published to it and not yet handled (including the batch in hand). */
  get pending(): string {
    return `${this.prefix}pending`;
  }

  /** Expiring key a running process refreshes; its absence marks that process's queues as dead. */
  alive(instance: string): string {
    return `${this.prefix}alive:${instance}`;
  }

  /** Hash ip → first-seen time. */
  get profiles(): string {
    return `${this.prefix}profiles`;
  }

  /** Hash of the free-form facts of one profile. */
  profileFields(ip: string): string {
    return `${this.prefix}profile:${ip}`;
  }

  /** Hash "ip/twid" → JSON TimeWindowInfo. */
  get timeWindows(): string {
    return `${this.prefix}timewindows`;
  }

  /** Hash evidence id → JSON Evidence, one per profile and time window. */
  evidence(ip: string, twid: number): string {
    return `${this.prefix}evidence:${ip}/${twid}`;
  }

  /** Hash "ip/twid" → accumulated threat level. */
  get threat(): string {
    return `${this.prefix}threat`;
  }

  /** List of JSON alerts in the order they were raised. */
  get alerts(): string {
    return `${this.prefix}alerts`;
  }

  cache(namespace: string): string {
    return `${this.prefix}cache:${namespace}`;
  }

  /** Hash counter name → value. */
  get counters(): string {
    return `${this.prefix}counters`;
  }
}

/** Field naming one profile's time window inside the shared hashes. */
export function windowField(ip: string, twid: number): string {
  return `${ip}/${twid}`;
}

/**
 * A subscriber's queue id: the process instance first (to tell whose queue it is; never contains
 * '/'), then the subscriber name. One queue serves all the channels a subscriber listens to, so
 * its batches keep their publication order across channels.
 */
export function queueId(instance: string, subscriber: string): string {
  return `${instance}/${subscriber}`;
}

export function parseQueueId(id: string): { instance: string } | undefined {
  const a = id.indexOf("/");
  if (a <= 0) return undefined;
  return { instance: id.slice(0, a) };
}
