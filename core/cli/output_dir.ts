/**
 * Prepares the output directory. Slips clears it first; we only clear what looks like an earlier
 * output of ours, so a mistyped -o can never wipe a user's own files.
 */
import { join } from "node:path";
import { RunError } from "./run_error.ts";

const OUR_MARKERS = ["alerts.json", "alerts.log", "slips.log", "errors.log", "metadata"];

export function prepareOutputDir(dir: string): void {
  let entries: string[] = [];
  try {
    entries = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) {
      throw new RunError(`The output directory ${dir} cannot be read: ${(err as Error).message}.`);
    }
  }
  if (entries.length > 0) {
    if (!entries.some((n) => OUR_MARKERS.includes(n))) {
      throw new RunError(
        `The output directory ${dir} is not empty and does not look like an earlier Slips output; choose an empty or new directory with -o.`,
      );
    }
    for (const name of entries) Deno.removeSync(join(dir, name), { recursive: true });
  }
  try {
    Deno.mkdirSync(dir, { recursive: true });
    // Errors must exist (even empty) so scripts can check them.
    Deno.writeTextFileSync(join(dir, "errors.log"), "");
  } catch (err) {
    throw new RunError(`The output directory ${dir} cannot be created: ${(err as Error).message}.`);
  }
}
