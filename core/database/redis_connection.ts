/**
 * Connections to Redis and what happens when they fail: one clear sentence at connect time, one
 * call of onFatal when the server goes away later, and DatabaseError for every operation after that.
 * node-redis would otherwise retry forever and print an error event per attempt.
 */
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  DisconnectsClientError,
  ReconnectStrategyError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
} from "redis";
import { DatabaseError } from "./database.ts";

export interface ConnectionTarget {
  host: string;
  port: number;
  db: number;
}

const CONNECT_TIMEOUT_MS = 3000;

function errorCode(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Why a connection failed, as a phrase that fits after "Cannot connect to Redis at h:p: ". */
export function describeFailure(err: unknown): string {
  switch (errorCode(err)) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
      return "the server reset the connection";
    case "EPIPE":
      return "the server closed the connection";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "the host is unreachable";
    case "ETIMEDOUT":
      return "the connection timed out";
  }
  if (err instanceof ConnectionTimeoutError) {
    return `no answer within ${CONNECT_TIMEOUT_MS / 1000} seconds`;
  }
  if (err instanceof SocketClosedUnexpectedlyError) return "the server closed the connection";
  const text = errorText(err).replace(/\.$/, "");
  if (/NOAUTH|WRONGPASS/.test(text)) return `the server requires a password (${text})`;
  return text;
}

function newClient(target: ConnectionTarget) {
  return createClient({
    socket: {
      host: target.host,
      port: target.port,
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: false,
    },
    database: target.db,
    disableOfflineQueue: true,
  });
}

export type RedisClient = ReturnType<typeof newClient>;

/** Opens one connection; throws DatabaseError with one actionable sentence when it cannot. */
export async function openConnection(
  target: ConnectionTarget,
  onError: (err: unknown) => void,
): Promise<RedisClient> {
  const client = newClient(target);
  let connected = false;
  // An 'error' event without a listener would crash the process; before the connection is up the
  // rejection of connect() below reports it instead.
  client.on("error", (err: unknown) => {
    if (connected) onError(err);
  });
  try {
    await client.connect();
  } catch (err) {
    client.destroy();
    throw new DatabaseError(connectFailureMessage(target, err));
  }
  connected = true;
  return client;
}

export function connectFailureMessage(target: ConnectionTarget, err: unknown): string {
  const reason = describeFailure(err);
  const where = `${target.host}:${target.port}`;
  if (/DB index/i.test(reason)) {
    return `Redis at ${where} has no database number ${target.db}: choose a smaller database index.`;
  }
  const hint = errorCode(err) === "ECONNREFUSED" || reason.startsWith("no answer")
    ? " Start redis-server or choose another port with -P."
    : "";
  return `Cannot connect to Redis at ${where}: ${reason}.${hint}`;
}

/**
 * The state every part of the Redis backend shares: the command connection, and whether the
 * server has been lost. After a loss every operation rejects with the same DatabaseError.
 */
export class RedisLink {
  #fatal: string | undefined;
  #closing = false;

  constructor(
    readonly client: RedisClient,
    readonly target: ConnectionTarget,
    private readonly onFatal: (message: string) => void,
  ) {}

  get fatal(): string | undefined {
    return this.#fatal;
  }

  get closing(): boolean {
    return this.#closing;
  }

  markClosing(): void {
    this.#closing = true;
  }

  /** Records the loss of the server; onFatal hears about it once. */
  lost(err: unknown): void {
    if (this.#fatal !== undefined || this.#closing) return;
    this.#fatal = `Lost the connection to Redis at ${this.target.host}:${this.target.port} (${
      describeFailure(err)
    }), so Slips cannot go on: check that redis-server is still running.`;
    this.onFatal(this.#fatal);
  }

  throwIfLost(): void {
    if (this.#fatal !== undefined) throw new DatabaseError(this.#fatal);
  }

  /** Runs a Redis operation, turning any failure into a DatabaseError a user can act on. */
  async run<T>(op: (client: RedisClient) => Promise<T>): Promise<T> {
    this.throwIfLost();
    try {
      return await op(this.client);
    } catch (err) {
      if (err instanceof DatabaseError) throw err;
      if (isConnectionError(err)) this.lost(err);
      if (this.#fatal !== undefined) throw new DatabaseError(this.#fatal);
      if (this.#closing) {
        throw new DatabaseError("The Redis database was already closed when this operation ran.");
      }
      throw new DatabaseError(`Redis refused an operation: ${errorText(err)}.`);
    }
  }
}

/** True for failures of the connection itself rather than of one command. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (errorCode(err) !== undefined) return true;
  return err instanceof ClientClosedError || err instanceof ClientOfflineError ||
    err instanceof SocketClosedUnexpectedlyError || err instanceof ConnectionTimeoutError ||
    err instanceof SocketTimeoutError || err instanceof DisconnectsClientError ||
    err instanceof ReconnectStrategyError;
}
