/**
 * Run by privileges_test.ts as a separate process (the drop cannot be undone): starts one worker
 * before and one after dropping privileges, and prints what every thread can do as one JSON line.
 * Usage: drop_probe.ts SECRET_FILE OPEN_FILE [USER]
 */
import { currentIds, dropPrivileges, threadIds } from "../../core/privileges/mod.ts";
import { tryRead } from "./probe_read.ts";

const [secret, open, user] = Deno.args;
const workerUrl = new URL("./probe_worker.ts", import.meta.url);

function ask(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(e.message));
    };
    worker.postMessage({ secret, open });
  });
}

const before = new Worker(workerUrl, { type: "module" });
// Make sure the early worker's thread exists and has run its top level before the drop.
await new Promise((r) => setTimeout(r, 50));
const beforeIds = currentIds();
const secretBefore = tryRead(secret);
const result = dropPrivileges(user === undefined ? {} : { user });
const after = new Worker(workerUrl, { type: "module" });
const report = {
  beforeIds,
  secretBefore,
  result,
  main: { ids: currentIds(), secret: tryRead(secret), open: tryRead(open) },
  threads: [...threadIds().values()],
  workerStartedBefore: await ask(before),
  workerStartedAfter: await ask(after),
};
console.log(JSON.stringify(report));
