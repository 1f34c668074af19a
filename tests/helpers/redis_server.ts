/**
 * Starts a throw-away redis-server for a test: loopback only, on a free port, no persistence, in
 * a temporary directory that is removed again by stop().
 */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface RedisServer {
  port: number;
  /** Kills the server (also mid-test, to simulate a crash) and removes its directory. */
  stop(): Promise<void>;
}

/** Path of the redis-server binary, or undefined when it is not installed. */
export function findRedisServer(): string | undefined {
  const fromEnv = Deno.env.get("REDIS_SERVER");
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const dirs = [...(Deno.env.get("PATH") ?? "").split(delimiter), "/usr/bin", "/usr/sbin"];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, "redis-server"))) return join(dir, "redis-server");
  }
  return undefined;
}

/** Says loudly, once per test file, why the Redis tests do not run. */
export function redisMissingWarning(): boolean {
  if (findRedisServer() !== undefined) return false;
  console.warn(
    "\n!!! redis-server was not found, so the Redis backend tests are SKIPPED. " +
      "Install it with `apt-get install -y redis-server` (or set REDIS_SERVER to its path). !!!\n",
  );
  return true;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function answersPing(port: number): Promise<boolean> {
  let conn: Deno.Conn | undefined;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(new TextEncoder().encode("PING\r\n"));
    const buf = new Uint8Array(64);
    const n = await conn.read(buf);
    return n !== null && new TextDecoder().decode(buf.subarray(0, n)).startsWith("+PONG");
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 10_000;

export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  if (binary === undefined) {
    throw new Error("redis-server is not installed: run `apt-get install -y redis-server`.");
  }
  let lastLog = "";
  // The free port may be taken between probing and binding, so a failed start is tried again.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const dir = Deno.makeTempDirSync({ prefix: "slips-redis-" });
    const logFile = join(dir, "redis.log");
    const port = freePort();
    const child = new Deno.Command(binary, {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        "--logfile",
        logFile,
        "--daemonize",
        "no",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let exited = false;
    const status = child.status.then((s) => {
      exited = true;
      return s;
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!exited && Date.now() < deadline) {
      if (await answersPing(port)) {
        let stopped = false;
        return {
          port,
          stop: async () => {
            if (stopped) return;
            stopped = true;
            if (!exited) child.kill("SIGKILL");
            await status;
            Deno.removeSync(dir, { recursive: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    if (!exited) child.kill("SIGKILL");
    await status;
    try {
      lastLog = Deno.readTextFileSync(logFile);
    } catch {
      lastLog = "(no log written)";
    }
    Deno.removeSync(dir, { recursive: true });
  }
  throw new Error(
    `redis-server did not start after ${START_ATTEMPTS} attempts; its log:\n${lastLog}`,
  );
}
