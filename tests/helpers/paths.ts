import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

export function fromFileUrl(url: string): string {
  return fileURLToPath(url);
}

/** Resolves `rel` against the directory of the module at `metaUrl`. */
export function resolveFromHere(metaUrl: string, rel: string): string {
  return resolve(fileURLToPath(new URL(".", metaUrl)), rel);
}
