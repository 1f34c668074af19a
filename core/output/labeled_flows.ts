/** --export-labeled-flows: every filed flow with its labels, profile and time window. */
import type { Profiled } from "../records/records.ts";
import { AppendFile } from "./append_file.ts";

const TSV_FIELDS = ["ts", "uid", "saddr", "sport", "daddr", "dport", "proto", "kind"] as const;

export class LabeledFlowWriter {
  #file: AppendFile;

  constructor(
    outDir: string,
    private readonly format: "json" | "tsv",
    private readonly userLabel: string,
  ) {
    this.#file = new AppendFile(`${outDir}/labeled_flows.${format}`);
    if (format === "tsv") {
      this.#file.writeLine(
        [...TSV_FIELDS, "profileid", "twid", "label", "detailedlabel", "user_label"].join("\t"),
      );
    }
  }

  write(r: Profiled): void {
    if (this.format === "json") {
      this.#file.writeLine(JSON.stringify({ ...r, user_label: this.userLabel }));
    } else {
      const rec = r as unknown as Record<string, unknown>;
      this.#file.writeLine(
        [
          ...TSV_FIELDS.map((f) => String(rec[f] ?? "")),
          r.profileid,
          r.twid,
          r.label ?? "",
          r.detailedLabel ?? "",
          this.userLabel,
        ]
          .join("\t"),
      );
    }
  }

  close(): void {
    this.#file.close();
  }
}
