/**
 * nfdump's binary files, read through the `nfdump` program (Debian package `nfdump`):
 * bidirectional flows (-b), CSV, plain numbers (-N), sorted by start time, in UTC.
 */
import { StreamChunks } from "./chunks.ts";
import { errorText, lineFileFromChunks, SingleFileReader } from "./file_reader.ts";
import { NfdumpCsvParser } from "./nfdump_parser.ts";
import { ParseContext } from "./parse_context.ts";
import { emptyStats, type FlowReader, InputError, type ReaderOptions } from "./reader.ts";

export const NFDUMP_ARGS = ["-b", "-N", "-o", "csv", "-O", "tstart", "-r"];

export function openNfdump(
  path: string,
  size: number,
  description: string,
  options: ReaderOptions,
  /** The program to run; tests name one that does not exist. */
  program = "nfdump",
): FlowReader {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args: [...NFDUMP_ARGS, path],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { TZ: "UTC" },
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new InputError(
        `Reading the nfdump file ${path} needs the nfdump program, which is not installed; install the Debian package nfdump (apt-get install nfdump).`,
      );
    }
    throw new InputError(`The nfdump program could not be started for ${path}: ${errorText(e)}.`);
  }
  const stats = emptyStats();
  stats.totalBytes = size;
  const ctx = new ParseContext(path, stats, options.onWarning, options.onNotice);
  const stderr = new Response(child.stderr).text();
  let reaped = false;
  const reap = async () => {
    if (reaped) return;
    reaped = true;
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    await child.status;
    const err = (await stderr.catch(() => "")).trim();
    stats.bytesRead = stats.totalBytes;
    // nfdump exits 0 even on unreadable files; its complaint matters when nothing came out.
    if (err !== "" && stats.records === 0) {
      ctx.badLine(0, `no flows were read; nfdump reported: ${err.split("\n")[0]}`);
    }
  };
  const file = lineFileFromChunks(new StreamChunks(child.stdout), ctx, new NfdumpCsvParser(ctx));
  return new SingleFileReader(description, stats, file, reap, options.signal);
}
