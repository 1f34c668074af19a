/** Writes config/slips.conf from the schema in core/config/schema.ts. */
import { renderDefaultConfig } from "../core/config/load_config.ts";

const path = new URL("../config/slips.conf", import.meta.url);
Deno.writeTextFileSync(path, renderDefaultConfig());
console.log(`Wrote ${path.pathname}.`);
