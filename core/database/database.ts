/**
 * The Database facade: the one interface every core part and every module uses for pub/sub and
 * shared storage. Backends (embedded, Redis) implement it; nothing else talks to a backend.
 */
import type { ChannelPayloads, CoreChannel } from "./channels.ts";
import type { Evidence } from "../evidence/evidence.ts";
import type { Alert, ProfileInfo, TimeWindowInfo } from "./storage_types.ts";

/** Payload type of a channel: the core type, or unknown for channels modules registered. */
export type Payload<C extends string> = C extends CoreChannel ? ChannelPayloads[C] : unknown;

/**
 * Receives messages of one channel in publication order, a batch at a time. The next batch is
 * not delivered until the returned promise settles, which is what gives back-pressure.
 */
export type BatchHandler<C extends string> = (messages: Payload<C>[]) => void | Promise<void>;

export interface Subscription {
  readonly channel: string;
  readonly subscriber: string;
  /** Stops delivery; messages already queued for this subscriber are dropped. */
  unsubscribe(): Promise<void>;
}

export interface PubSub {
  /**
   * Publishes messages in order. Resolves once every subscriber's queue has room for them: a
   * publisher that outruns its slowest subscriber waits instead of growing memory.
   */
  publish<C extends string>(channel: C, ...messages: Payload<C>[]): Promise<void>;
  publishBatch<C extends string>(channel: C, messages: Payload<C>[]): Promise<void>;
  /** Subscribing to a channel that is neither core nor registered throws. */
  subscribe<C extends string>(
    channel: C,
    subscriber: string,
    handler: BatchHandler<C>,
  ): Promise<Subscription>;
  /** Lets a module add its own channel. Registering an existing name is a no-op. */
  registerChannel(name: string, description: string): void;
  /** Every known channel: core and registered. */
  channels(): string[];
  /** Resolves when every message published so far has been handled by every subscriber. */
  drain(): Promise<void>;
}

export interface Storage {
  /** Adds the profile; true when it was new. */
  addProfile(ip: string, firstSeen: number): Promise<boolean>;
  getProfile(ip: string): Promise<ProfileInfo | undefined>;
  setProfileField(ip: string, field: string, value: string): Promise<void>;
  profileCount(): Promise<number>;
  profiles(): Promise<string[]>;

  addTimeWindow(tw: TimeWindowInfo): Promise<void>;
  getTimeWindow(profileIp: string, twid: number): Promise<TimeWindowInfo | undefined>;
  /**
   * Releases what is stored for a closed window: its running score, and on the embedded backend
   * its evidence too (memory must stay bounded on long runs). Alerts are always kept.
   */
  closeTimeWindow(profileIp: string, twid: number): Promise<void>;

  /** Stores evidence and publishes it on `evidence_added`. False when the id was already stored. */
  addEvidence(evidence: Evidence): Promise<boolean>;
  getEvidence(profileIp: string, twid: number): Promise<Evidence[]>;
  deleteEvidence(profileIp: string, twid: number, id: string): Promise<void>;

  getAccumulatedThreat(profileIp: string, twid: number): Promise<number>;
  setAccumulatedThreat(profileIp: string, twid: number, value: number): Promise<void>;

  addAlert(alert: Alert): Promise<void>;
  alerts(): Promise<Alert[]>;

  /** Small shared caches (TI hits, DNS resolutions, …), namespaced by the caller. */
  cacheSet(namespace: string, key: string, value: string): Promise<void>;
  cacheGet(namespace: string, key: string): Promise<string | undefined>;
  cacheDelete(namespace: string, key: string): Promise<void>;

  /** Named counters (flows read, evidence, …). */
  incr(counter: string, by?: number): Promise<number>;
  counter(counter: string): Promise<number>;
}

export interface Database extends PubSub, Storage {
  /** "embedded" or "redis". */
  readonly backend: string;
  /** Drains pending deliveries, then releases the backend. */
  close(): Promise<void>;
}

/** A backend failure the user can act on (Redis unreachable, gone away, …). */
export class DatabaseError extends Error {
  override name = "DatabaseError";
}
