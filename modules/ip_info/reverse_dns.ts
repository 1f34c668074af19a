/**
 * Reverse DNS (PTR) of IPs through the system resolver, by running `getent hosts <ip>`: it
 * follows the host's own resolver setup (/etc/hosts, then DNS), and its permission (`run:
 * getent`) can be declared before the configuration is known, which a DNS server's address
 * cannot. A few lookups run at a time; the queue is bounded so a flood of new IPs cannot grow
 * memory.
 */

/** The first host name in `getent hosts` output ("1.2.3.4   name alias…"), or undefined. */
export function parseGetentHosts(output: string): string | undefined {
  const first = output.split("\n").find((l) => l.trim() !== "");
  const name = first?.trim().split(/\s+/)[1];
  return name && name !== "" ? name.replace(/\.$/, "") : undefined;
}

export interface ReverseDnsOptions {
  concurrency?: number;
  maxPending?: number;
  timeoutMs?: number;
  /** Program to run; `getent` unless a test says otherwise. */
  program?: string;
}

export class ReverseDns {
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  #running = 0;
  #idle: (() => void)[] = [];
  #unavailable: string | undefined;
  readonly #opts: Required<ReverseDnsOptions>;
  readonly #abort = new AbortController();

  /** `onResult` gets every name found; `onUnavailable` once, if the program cannot run. */
  constructor(
    private readonly onResult: (ip: string, name: string) => void | Promise<void>,
    private readonly onUnavailable: (why: string) => void,
    opts: ReverseDnsOptions = {},
  ) {
    this.#opts = {
      concurrency: opts.concurrency ?? 2,
      maxPending: opts.maxPending ?? 1000,
      timeoutMs: opts.timeoutMs ?? 5000,
      program: opts.program ?? "getent",
    };
  }

  /** Looks one IP up. Returns undefined when it has no name (or the lookup failed). */
  async lookup(ip: string): Promise<string | undefined> {
    if (this.#unavailable !== undefined) return undefined;
    try {
      const out = await new Deno.Command(this.#opts.program, {
        args: ["hosts", ip],
        stdout: "piped",
        stderr: "null",
        stdin: "null",
        signal: AbortSignal.any([AbortSignal.timeout(this.#opts.timeoutMs), this.#abort.signal]),
      }).output();
      return out.success ? parseGetentHosts(new TextDecoder().decode(out.stdout)) : undefined;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotCapable) {
        this.#unavailable = e instanceof Deno.errors.NotFound
          ? `the program ${this.#opts.program} is not installed`
          : `the module may not run ${this.#opts.program}`;
        this.onUnavailable(this.#unavailable);
      }
      return undefined;
    }
  }

  /** Queues an IP; dropped when the queue is full (it is asked again if it shows up later). */
  enqueue(ip: string): void {
    if (this.#unavailable !== undefined || this.#queued.has(ip)) return;
    if (this.#queue.length >= this.#opts.maxPending) return;
    this.#queue.push(ip);
    this.#queued.add(ip);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#opts.concurrency && this.#queue.length > 0) {
      const ip = this.#queue.shift()!;
      this.#running++;
      this.lookup(ip)
        .then((name) => name !== undefined ? this.onResult(ip, name) : undefined)
        .catch(() => {})
        .finally(() => {
          this.#queued.delete(ip);
          this.#running--;
          this.#pump();
          if (this.#running === 0 && this.#queue.length === 0) {
            for (const r of this.#idle.splice(0)) r();
          }
        });
    }
  }

  /** Resolves when every queued lookup is done. */
  drain(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  /** Drops what is still queued and waits for the lookups in progress (each time-limited). */
  finish(): Promise<void> {
    for (const ip of this.#queue.splice(0)) this.#queued.delete(ip);
    return this.drain();
  }

  /** Drops what is queued and stops lookups in progress. */
  stop(): void {
    this.#queue.length = 0;
    this.#abort.abort();
  }
}
