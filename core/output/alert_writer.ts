/** Writes evidence and alerts to alerts.log (readable lines) and alerts.json (IDMEFv2 lines). */
import type { Evidence } from "../evidence/evidence.ts";
import type { Alert } from "../database/storage_types.ts";
import { AppendFile } from "./append_file.ts";
import { alertToIdmef, evidenceToIdmef } from "./idmef.ts";
import { isoTime, localIsoNow } from "./time_format.ts";

export class AlertWriter {
  #log: AppendFile;
  #json: AppendFile;

  constructor(outDir: string, private readonly model: string) {
    this.#log = new AppendFile(`${outDir}/alerts.log`);
    this.#json = new AppendFile(`${outDir}/alerts.json`);
  }

  /** `description` already ends with the threat-level sentence; `extra` is enrichment text. */
  evidence(e: Evidence, description: string, accumulated: number, extra: string): void {
    const who = e.profileIp.padEnd(26);
    this.#log.writeLine(
      `${isoTime(e.ts)} (TW ${e.twid}): Src IP ${who}. Detected ${description}${
        extra ? ` ${extra}` : ""
      }`,
    );
    this.#json.writeLine(JSON.stringify(evidenceToIdmef(e, description, accumulated, this.model)));
  }

  alert(a: Alert): void {
    this.#log.writeLine(
      `${isoTime(a.lastFlowTs)}: Src IP ${
        a.profileIp.padEnd(26)
      }. Generated an alert given enough evidence on timewindow ${a.twid}. (real time ${localIsoNow()})`,
    );
    this.#json.writeLine(JSON.stringify(alertToIdmef(a, this.model)));
  }

  flush(): void {
    this.#log.flush();
    this.#json.flush();
  }

  close(): void {
    this.#log.close();
    this.#json.close();
  }
}
