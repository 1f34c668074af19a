/**
 * Runs one module in-process against a list of messages, the way the host would, and returns the
 * evidence it raised. For unit and golden tests of detection modules.
 */
import { EmbeddedDatabase } from "../../core/database/embedded.ts";
import type { ChannelMessage } from "../../core/database/channels.ts";
import type { Evidence } from "../../core/evidence/evidence.ts";
import type { Module, RunContext } from "../../core/modules/module.ts";
import { type ConfigData, SectionConfig } from "../../core/config/module_config.ts";

export interface HarnessResult {
  evidence: Evidence[];
  printed: string[];
  db: EmbeddedDatabase;
}

export async function runModule(
  module: Module,
  messages: ChannelMessage[],
  config: ConfigData = {},
  context: Partial<RunContext> = {},
): Promise<HarnessResult> {
  const db = new EmbeddedDatabase();
  const evidence: Evidence[] = [];
  const printed: string[] = [];
  await db.subscribe("evidence_added", "harness", (batch) => {
    evidence.push(...batch);
  });
  module.attach(
    db,
    new SectionConfig(config, module.name),
    {
      outputDir: context.outputDir ?? Deno.makeTempDirSync({ prefix: "slips-test-" }),
      twWidth: context.twWidth ?? 3600,
      clientIps: context.clientIps ?? [],
      inputType: context.inputType ?? "file",
      homeDir: context.homeDir ?? Deno.cwd(),
    },
    { print: (_m, text) => printed.push(text) },
  );
  await module.init();
  for (const m of messages) await module.main(m);
  await module.shutdownGracefully();
  await db.drain();
  return { evidence, printed, db };
}
