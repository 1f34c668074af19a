/** Where the shared real test data lives; override with SLIPS_DATASETS. */
import { fromFileUrl, resolveFromHere } from "./paths.ts";

export const DATASETS: string = Deno.env.get("SLIPS_DATASETS") ??
  resolveFromHere(import.meta.url, "../../../shared/datasets");

export const SLIPS_DATA = `${DATASETS}/slips`;
export const SLIPS_CONFIG_DATA = `${DATASETS}/slips-config`;

export function datasetPath(rel: string): string {
  return `${DATASETS}/${rel}`;
}

export { fromFileUrl };
