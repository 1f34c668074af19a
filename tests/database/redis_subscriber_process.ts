/**
 * A second Slips-like process for redis_test.ts: subscribes to new_ip, prints its instance id,
 * then waits to be killed without any cleanup, as a crashed sensor would.
 * Usage: deno run -A redis_subscriber_process.ts <port> <prefix>
 */
import { RedisDatabase } from "../../core/database/redis.ts";

const [port, prefix] = Deno.args;
const db = await RedisDatabase.connect({ port: Number(port), prefix });
await db.subscribe("new_ip", "stuck", () => new Promise<void>(() => {}));
console.log(db.instance);
