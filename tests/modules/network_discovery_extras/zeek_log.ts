/**
 * Reads one real Zeek log (JSON lines or TSV) into profiled records through the project's own
 * Zeek mappers, for tests that run detections on the shared datasets.
 */
import { JsonFields, TsvFields } from "../../../core/input/fields.ts";
import { ZEEK_MAPPERS } from "../../../core/input/zeek_mappers.ts";
import type { ZeekLogType } from "../../../core/input/zeek_log_types.ts";
import type { FlowRecord, Profiled } from "../../../core/mod.ts";

export function readZeekLog<R extends FlowRecord>(
  path: string,
  type: ZeekLogType,
  twWidth = 3600,
  t0?: number,
): Profiled<R>[] {
  const out: Profiled<R>[] = [];
  let tsv: TsvFields | undefined;
  let sep = "\t", setSep = ",", unset = "-", empty = "(empty)";
  for (const line of Deno.readTextFileSync(path).split("\n")) {
    if (line.trim() === "") continue;
    let rec: FlowRecord | null;
    if (line.startsWith("#")) {
      const [key, ...rest] = line.split(/\s/);
      const value = line.slice(key.length + 1);
      if (key === "#separator") sep = value.replace(/\\x09/, "\t");
      else if (key === "#set_separator") setSep = value;
      else if (key === "#unset_field") unset = value;
      else if (key === "#empty_field") empty = value;
      else if (key === "#fields") {
        const names = line.split(sep).slice(1);
        tsv = new TsvFields(new Map(names.map((n, i) => [n, i])), setSep, unset, empty);
      }
      void rest;
      continue;
    }
    if (tsv) {
      tsv.bad = "";
      tsv.cols = line.split(sep);
      rec = ZEEK_MAPPERS[type](tsv);
    } else {
      const f = new JsonFields();
      f.obj = JSON.parse(line);
      rec = ZEEK_MAPPERS[type](f);
    }
    if (!rec) continue;
    t0 ??= rec.ts;
    const twid = Math.max(1, Math.floor((rec.ts - t0) / twWidth) + 1);
    out.push({ ...(rec as R), profileid: `profile_${rec.saddr}`, twid });
  }
  return out;
}
