/**
 * Slips for Deno: behavioural network intrusion detection.
 * `deno task slips -f INPUT -o OUTDIR`; `slips --help` for everything else.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCli, USAGE, UsageError } from "./core/cli/args.ts";
import { runAnalysis } from "./core/cli/run.ts";
import { RunError } from "./core/cli/run_error.ts";
import { createModule } from "./core/cli/new_module.ts";
import { VERSION } from "./core/cli/version.ts";
import { runDaemon, stopDaemon } from "./core/cli/daemon.ts";

/** Where the code is (templates live beside it). */
const CODE_DIR = dirname(fileURLToPath(import.meta.url));
/** Where modules/ and config/ are: beside the executable, or the project root in development. */
const HOME_DIR = resolve(
  Deno.env.get("SLIPS_HOME") ??
    // Built by `deno compile` the code is inside the binary: home is where the binary is.
    ((Deno.build as { standalone?: boolean }).standalone ? dirname(Deno.execPath()) : CODE_DIR),
);
/**
 * Where config/ is read from: the home directory when it has one, else the copy bundled inside
 * the compiled executable, so a lone executable with a modules/ folder still has its defaults.
 */
function configHome(): string {
  const bundle = Deno.env.get("SLIPS_BUNDLE");
  try {
    if (Deno.statSync(join(HOME_DIR, "config")).isDirectory) return HOME_DIR;
  } catch {
    // No config/ beside the executable.
  }
  return bundle ? resolve(bundle) : HOME_DIR;
}

function fail(message: string, code: number, usage = false): number {
  console.error(`Error: ${message}`);
  if (usage) console.error(`\n${USAGE}`);
  return code;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, err.exitCode, true);
    throw err;
  }
  switch (args.command) {
    case "help":
      console.log(USAGE);
      return 0;
    case "version":
      console.log(`Slips for Deno ${VERSION}`);
      return 0;
    case "killall":
      console.log("This program never starts Redis servers itself, so there are none to stop.");
      return 0;
    case "stop-daemon":
      return stopDaemon(args.output);
    case "new-module": {
      try {
        const file = createModule({
          name: args.moduleName!,
          description: args.moduleDescription,
          author: args.moduleAuthor,
          modulesDir: resolve(args.modulesDir ?? join(HOME_DIR, "modules")),
          templatesDir: join(CODE_DIR, "templates"),
        });
        console.log(`Created ${file}. It runs with the other modules on the next start.`);
        return 0;
      } catch (err) {
        if (err instanceof RunError) return fail(err.message, 1);
        throw err;
      }
    }
  }
  if (!args.filepath && !args.interface) {
    return fail("No input given: use -f FILE|DIR|zeek|suricata|argus or -i INTERFACE.", 255, true);
  }
  if (args.daemon) return runDaemon(argv, args.output);
  try {
    return await runAnalysis({ args, argv, homeDir: configHome(), modulesHome: HOME_DIR });
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (
      ["RunError", "ConfigError", "InputError", "DatabaseError", "WhitelistFileError"].includes(
        name,
      )
    ) {
      return fail((err as Error).message, 1);
    }
    throw err;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
