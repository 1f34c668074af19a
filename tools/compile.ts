/**
 * Builds dist/slips, one file that runs Slips on a machine without Deno or a project checkout.
 * Modules and config are read from the directory beside the executable.
 *
 *   deno run -A tools/compile.ts [--out PATH] [--route auto|deno-compile|self-extracting]
 *
 * Route "auto" tries `deno compile` first and falls back to a self-extracting executable when
 * the denort runtime cannot be had; docs/single_executable.md explains both.
 */
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  pruneDenoDir,
  stage,
  tryDenoCompile,
  writeSelfExtracting,
} from "./single_executable/mod.ts";

type Route = "auto" | "deno-compile" | "self-extracting";

interface Options {
  root: string;
  out: string;
  route: Route;
}

function usage(problem: string): never {
  console.error(`compile: ${problem}`);
  console.error(
    "usage: deno run -A tools/compile.ts [--out PATH] [--route auto|deno-compile|self-extracting]",
  );
  Deno.exit(2);
}

function parseArgs(args: string[]): Options {
  const root = Deno.env.get("SLIPS_BUILD_ROOT") ??
    resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const opts: Options = { root, out: join(root, "dist", "slips"), route: "auto" };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    switch (args[i]) {
      case "--out":
        if (value === undefined) usage("--out needs a path.");
        opts.out = resolve(value);
        i++;
        break;
      case "--root":
        if (value === undefined) usage("--root needs a directory.");
        opts.root = resolve(value);
        i++;
        break;
      case "--route":
        if (value !== "auto" && value !== "deno-compile" && value !== "self-extracting") {
          usage(`unknown route "${value ?? ""}".`);
        }
        opts.route = value;
        i++;
        break;
      default:
        usage(`unknown argument "${args[i]}".`);
    }
  }
  return opts;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function main(): Promise<void> {
  const opts = parseArgs(Deno.args);
  mkdirSync(dirname(opts.out), { recursive: true });
  const scratch = Deno.makeTempDirSync({ prefix: "slips-build-" });
  try {
    console.error(`compile: staging ${opts.root} (runtime, program, npm packages)…`);
    const staged = await stage(opts.root, scratch);
    if (opts.route !== "self-extracting") {
      const outcome = await tryDenoCompile(staged.dir, opts.out);
      if (outcome.ok) {
        console.error(
          `compile: route deno-compile -> ${opts.out} (${mib(Deno.statSync(opts.out).size)})`,
        );
        return;
      }
      if (opts.route === "deno-compile") {
        console.error(`compile: deno compile is not usable here: ${outcome.why}`);
        Deno.exit(1);
      }
      console.error(
        `compile: deno compile is not usable here (${outcome.why}); ` +
          `building a self-extracting executable instead.`,
      );
    }
    pruneDenoDir(staged.dir);
    const packed = await writeSelfExtracting(staged.dir, staged.version, opts.out);
    console.error(
      `compile: route self-extracting -> ${opts.out} (${mib(packed.size)}, payload ${packed.hash})`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (err) {
    console.error(`compile: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
}
