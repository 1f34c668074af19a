/**
 * Runs inside a network namespace: captures on an interface with openLiveCapture and prints one
 * JSON line per record. Prints {"ready":true} once tcpdump listens; stops when stdin closes.
 */
import { openLiveCapture } from "../../../core/input/pcap/mod.ts";
import type { InputWarning } from "../../../core/input/reader.ts";

const [iface, filter = ""] = Deno.args;
const ac = new AbortController();
const warnings: InputWarning[] = [];
const notices: string[] = [];
const out = (o: unknown) => console.log(JSON.stringify(o));
let reader;
try {
  reader = await openLiveCapture(iface, {
    onWarning: (w) => warnings.push(w),
    onNotice: (n) => notices.push(n),
    signal: ac.signal,
    filter,
  });
} catch (e) {
  out({ error: (e as Error).message });
  Deno.exit(1);
}
out({ ready: true, description: reader.description });
(async () => {
  for await (const _ of Deno.stdin.readable) { /* wait for the parent to close stdin */ }
  ac.abort();
})();
for await (const batch of reader.batches()) for (const r of batch) out({ record: r });
out({ done: true, warnings, notices, stats: reader.stats });
Deno.exit(0);
