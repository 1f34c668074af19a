/** A temporary home for the TI module: its own local IoC files, no feeds unless asked. */
import { join } from "node:path";
import type { ConfigData } from "../../../core/config/module_config.ts";

export interface TiEnv {
  home: string;
  localDir: string;
  config: ConfigData;
}

/** Writes the given local files into a fresh temp dir and returns a config pointing at it. */
export function tiEnv(
  localFiles: Record<string, string>,
  extra: Record<string, string> = {},
): TiEnv {
  const home = Deno.makeTempDirSync({ prefix: "slips-ti-" });
  const localDir = join(home, "local_ti_files");
  Deno.mkdirSync(localDir);
  for (const [name, text] of Object.entries(localFiles)) {
    Deno.writeTextFileSync(join(localDir, name), text);
  }
  return {
    home,
    localDir,
    config: {
      threatintelligence: {
        local_threat_intelligence_files: localDir,
        ti_files: "",
        ja3_feeds: "",
        ssl_feeds: "",
        wait_for_TI_to_finish: "yes",
        ...extra,
      },
    },
  };
}
