/**
 * Like runModule, but on a database the test prepared first (e.g. with ip_info's AS cache
 * entries already in it), the way the module finds it when ip_info ran earlier.
 */
import { EmbeddedDatabase } from "../../../core/database/embedded.ts";
import type { ChannelMessage } from "../../../core/database/channels.ts";
import type { Evidence } from "../../../core/evidence/evidence.ts";
import type { Module } from "../../../core/modules/module.ts";
import { type ConfigData, SectionConfig } from "../../../core/config/module_config.ts";

export async function runOnDb(
  db: EmbeddedDatabase,
  module: Module,
  /** Messages, or steps run between them (e.g. another module caching a fact). */
  messages: (ChannelMessage | (() => Promise<void>))[],
  config: ConfigData,
  homeDir: string,
): Promise<{ evidence: Evidence[]; printed: string[] }> {
  const evidence: Evidence[] = [];
  const printed: string[] = [];
  await db.subscribe("evidence_added", `harness-${crypto.randomUUID()}`, (batch) => {
    evidence.push(...batch);
  });
  module.attach(
    db,
    new SectionConfig(config, module.name),
    { outputDir: homeDir, twWidth: 3600, clientIps: [], inputType: "file", homeDir },
    { print: (_m, text) => printed.push(text) },
  );
  await module.init();
  for (const m of messages) {
    if (typeof m === "function") await m();
    else await module.main(m);
  }
  await module.shutdownGracefully();
  await db.drain();
  return { evidence, printed };
}

export { EmbeddedDatabase };
