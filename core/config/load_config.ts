/**
 * Loads the INI configuration: defaults from the schema, overlaid by the user's file, which may
 * hold only the keys it changes.
 */
import ini from "ini";
import { defaultsAsData, type KeySpec, SCHEMA } from "./schema.ts";
import type { ConfigData } from "./module_config.ts";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface LoadedConfig {
  data: ConfigData;
  /** The file that was read, if any. */
  file?: string;
  /** The file's text, kept for metadata/. */
  text?: string;
  warnings: string[];
}

function check(file: string, section: string, key: string, value: string, spec: KeySpec): void {
  const where = `${file}, section [${section}], key ${key}`;
  const v = value.trim();
  switch (spec.type.kind) {
    case "number": {
      const n = Number(v);
      if (v === "" || !Number.isFinite(n)) {
        throw new ConfigError(`${where}: "${value}" is not a number. ${spec.doc}`);
      }
      if (spec.type.min !== undefined && n < spec.type.min) {
        throw new ConfigError(`${where}: ${n} is below the minimum ${spec.type.min}. ${spec.doc}`);
      }
      if (spec.type.max !== undefined && n > spec.type.max) {
        throw new ConfigError(`${where}: ${n} is above the maximum ${spec.type.max}. ${spec.doc}`);
      }
      return;
    }
    case "boolean":
      if (!/^(true|false|yes|no|on|off|1|0)$/i.test(v)) {
        throw new ConfigError(`${where}: "${value}" is not yes/no (or true/false). ${spec.doc}`);
      }
      return;
    case "enum":
      if (!spec.type.values.includes(v)) {
        throw new ConfigError(
          `${where}: "${value}" is not one of ${spec.type.values.join(", ")}. ${spec.doc}`,
        );
      }
      return;
    case "tw_width":
      if (v !== "only_one_tw" && !(Number(v) > 0)) {
        throw new ConfigError(
          `${where}: "${value}" is neither a positive number of seconds nor only_one_tw.`,
        );
      }
      return;
    default:
      return;
  }
}

function stringify(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(",");
  if (typeof v === "boolean") return v ? "yes" : "no";
  return String(v ?? "");
}

/** Parses INI text over the defaults. Module sections not in the schema are kept as given. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const data = defaultsAsData();
  const warnings: string[] = [];
  let parsed: Record<string, unknown>;
  try {
    parsed = ini.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not a valid INI file: ${err}`);
  }
  for (const [section, body] of Object.entries(parsed)) {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      warnings.push(
        `${file}: the key "${section}" is outside any [section] and is ignored.`,
      );
      continue;
    }
    const known = SCHEMA[section];
    if (!known) {
      warnings.push(
        `${file}: the section [${section}] is not one Slips knows; its keys are passed to the module of that name, if any.`,
      );
    }
    data[section] ??= {};
    for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
      const value = stringify(raw);
      const spec = known?.[key];
      if (known && !spec) {
        warnings.push(`${file}: the key ${key} in section [${section}] is unknown and is ignored.`);
        continue;
      }
      if (spec) check(file, section, key, value, spec);
      data[section][key] = value;
    }
  }
  return { data, file, text, warnings };
}

export function loadConfig(file: string | undefined, defaultFile: string): LoadedConfig {
  const path = file ?? defaultFile;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    if (file === undefined && err instanceof Deno.errors.NotFound) {
      return { data: defaultsAsData(), warnings: [] };
    }
    throw new ConfigError(
      `The configuration file ${path} cannot be read (${
        err instanceof Error ? err.message : err
      }). Check the path given with -c.`,
    );
  }
  return parseConfig(text, path);
}

/** config/slips.conf as generated from the schema: every key, documented, at its default. */
export function renderDefaultConfig(): string {
  const lines = [
    "; Slips configuration. Every key is shown with its default value.",
    "; A file given with -c may hold only the keys it changes.",
    "",
  ];
  for (const [section, keys] of Object.entries(SCHEMA)) {
    lines.push(`[${section}]`);
    for (const [key, spec] of Object.entries(keys)) {
      lines.push(`; ${spec.doc}`);
      lines.push(`${key} = ${spec.default}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}
