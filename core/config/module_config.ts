import type { ModuleConfig } from "../modules/module.ts";

/** Config sections as plain data: `{ section: { key: value } }`, the shape sent to workers. */
export type ConfigData = Record<string, Record<string, string>>;

const TRUE = new Set(["true", "yes", "1", "on"]);
const FALSE = new Set(["false", "no", "0", "off"]);

/** A module's view of the configuration; its own section is the default. */
export class SectionConfig implements ModuleConfig {
  constructor(private readonly data: ConfigData, private readonly ownSection: string) {}

  get(key: string, section = this.ownSection): string | undefined {
    return this.data[section]?.[key];
  }

  number(key: string, fallback: number, section?: string): number {
    const v = this.get(key, section);
    if (v === undefined || v.trim() === "") return fallback;
    const n = Number(v);
    return Number.isFinite(n) ? n : fallback;
  }

  boolean(key: string, fallback: boolean, section?: string): boolean {
    const v = this.get(key, section)?.trim().toLowerCase();
    if (v === undefined) return fallback;
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return fallback;
  }

  list(key: string, section?: string): string[] {
    const v = this.get(key, section);
    if (v === undefined) return [];
    return v.replace(/^\[|\]$/g, "").split(",").map((s) => s.trim().replace(/^['"]|['"]$/g, ""))
      .filter((s) => s !== "");
  }
}
