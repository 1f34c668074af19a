/** Connects the whitelist to the profiler (flows) and the evidence handler (evidence). */
import { join } from "node:path";
import type { Evidence } from "../evidence/evidence.ts";
import type { FlowRecord } from "../records/records.ts";
import { formatProblem, Whitelist } from "../whitelist/mod.ts";

export interface WhitelistAdapter {
  dropsFlow(r: FlowRecord): boolean;
  dropsEvidence(e: Evidence): boolean;
}

export async function loadWhitelistAdapter(
  path: string,
  homeDir: string,
  report: (text: string) => void,
): Promise<WhitelistAdapter | undefined> {
  let wl: Whitelist;
  try {
    wl = await Whitelist.load(path, {
      organizationsDir: join(homeDir, "config", "organizations"),
      onProblem: (p) => report(formatProblem(p)),
    });
  } catch (err) {
    report(`The whitelist is not used: ${err instanceof Error ? err.message : err}`);
    return undefined;
  }
  const flows = wl.hasFlowRules;
  return {
    // Records are always learned from (resolutions, MACs) so evidence checks can use them.
    dropsFlow: (r) => flows ? wl.matchFlow(r) : (wl.learn(r), false),
    dropsEvidence: (e) => wl.matchEvidence(e),
  };
}
