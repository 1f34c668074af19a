/// <reference lib="deno.worker" />
/**
 * Reports, from inside a Worker thread, which credentials the thread holds and whether it can
 * read the given files.
 */
import { currentIds } from "../../core/privileges/mod.ts";
import { tryRead } from "./probe_read.ts";

self.onmessage = (e: MessageEvent<{ secret: string; open: string }>) => {
  self.postMessage({
    ids: currentIds(),
    secret: tryRead(e.data.secret),
    open: tryRead(e.data.open),
  });
  self.close();
};
