/**
 * -D runs the analysis as a background process writing only under the output directory;
 * -S stops it. The pid is kept in the output directory and in a per-user pointer file.
 */
import { join, resolve } from "node:path";

function pointerFile(): string {
  return join(Deno.env.get("TMPDIR") ?? "/tmp", `slips-daemon-${Deno.uid() ?? 0}.pid`);
}

export function runDaemon(argv: string[], output: string | undefined): number {
  if (!output) {
    console.error(
      "Error: -D needs -o DIR: a background run writes everything under its output directory.",
    );
    return 2;
  }
  const outDir = resolve(output);
  const rest = argv.filter((a) => a !== "-D" && a !== "--daemon");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...Deno.execPath().endsWith("deno")
        ? ["run", "-A", new URL("../../main.ts", import.meta.url).pathname]
        : [],
      ...rest,
      "--no-progress",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
    env: Deno.env.toObject(),
  }).spawn();
  child.unref();
  Deno.writeTextFileSync(pointerFile(), `${child.pid}\n${outDir}\n`);
  console.log(
    `Slips runs in the background (pid ${child.pid}); output in ${outDir}. Stop it with slips -S.`,
  );
  return 0;
}

export function stopDaemon(_output: string | undefined): number {
  let text: string;
  try {
    text = Deno.readTextFileSync(pointerFile());
  } catch {
    console.error("Error: no background run is known (start one with -D).");
    return 1;
  }
  const pid = Number(text.split("\n")[0]);
  try {
    Deno.kill(pid, "SIGTERM");
  } catch {
    console.error(`Error: the background run (pid ${pid}) is no longer running.`);
    Deno.removeSync(pointerFile());
    return 1;
  }
  Deno.removeSync(pointerFile());
  console.log(`Asked the background run (pid ${pid}) to stop; it finishes what it read first.`);
  return 0;
}
