/** Runs flow_alerts on messages and filters the evidence by type. */
import type { ChannelMessage } from "../../../core/database/channels.ts";
import type { Evidence } from "../../../core/evidence/evidence.ts";
import type { EvidenceType } from "../../../core/evidence/evidence_type.ts";
import type { RunContext } from "../../../core/modules/module.ts";
import type { ConfigData } from "../../../core/config/module_config.ts";
import { runModule } from "../../helpers/module_harness.ts";
import FlowAlerts from "../../../modules/flow_alerts/flow_alerts.ts";

/** Defaults to a Zeek directory, the input where every check applies. */
export async function run(
  messages: ChannelMessage[],
  opts: { config?: Record<string, string>; context?: Partial<RunContext> } = {},
): Promise<Evidence[]> {
  const config: ConfigData = opts.config ? { flow_alerts: opts.config } : {};
  const { evidence } = await runModule(new FlowAlerts(), messages, config, {
    inputType: "directory",
    ...opts.context,
  });
  return evidence;
}

export function ofType(evidence: Evidence[], type: EvidenceType): Evidence[] {
  return evidence.filter((e) => e.evidenceType === type);
}
