/**
 * AS and country of an IP from MaxMind DB (.mmdb) files the user provides (GeoLite2-ASN,
 * GeoLite2-Country or -City, or compatible databases such as ipinfo's), read with the npm
 * `maxmind` reader. Nothing is downloaded.
 */
import { Buffer } from "node:buffer";
import { Reader, type Response } from "maxmind";

type Json = Response | Record<string, unknown>;

function field(rec: unknown, ...path: string[]): unknown {
  let v: unknown = rec;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/**
 * `AS<number> <organisation>` from an ASN record (MaxMind's autonomous_system_* fields, or the
 * asn / as_name fields of other vendors), or undefined when the record has no AS number.
 */
export function asnText(rec: unknown): string | undefined {
  const num = field(rec, "autonomous_system_number") ?? field(rec, "asn");
  let n: number | undefined;
  if (typeof num === "number" && Number.isInteger(num) && num > 0) n = num;
  else if (typeof num === "string" && /^(as)?\d+$/i.test(num.trim())) {
    n = Number(num.trim().replace(/^as/i, ""));
  }
  if (n === undefined) return undefined;
  const org = text(field(rec, "autonomous_system_organization")) ?? text(field(rec, "as_name")) ??
    text(field(rec, "organization"));
  return org ? `AS${n} ${org}` : `AS${n}`;
}

/** The ISO country code from a Country/City record (or a flat `country`/`country_code`). */
export function countryCode(rec: unknown): string | undefined {
  const code = text(field(rec, "country", "iso_code")) ??
    text(field(rec, "registered_country", "iso_code")) ?? text(field(rec, "country_code")) ??
    text(field(rec, "country"));
  return code && /^[A-Za-z]{2}$/.test(code) ? code.toUpperCase() : undefined;
}

/** An opened .mmdb file. */
export class MmdbFile {
  readonly #reader: Reader<Json>;

  private constructor(readonly path: string, reader: Reader<Json>) {
    this.#reader = reader;
  }

  /** Opens a database; throws an Error whose message says what is wrong with the file. */
  static async open(path: string): Promise<MmdbFile> {
    const bytes = await Deno.readFile(path);
    try {
      return new MmdbFile(path, new Reader<Json>(Buffer.from(bytes)));
    } catch (e) {
      throw new Error(
        `${path} is not a MaxMind DB (.mmdb) file: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  get databaseType(): string {
    return this.#reader.metadata.databaseType;
  }

  /** The record for `ip`, or undefined (not in the database, or IPv6 in an IPv4-only file). */
  get(ip: string): Json | undefined {
    try {
      return this.#reader.get(ip) ?? undefined;
    } catch {
      return undefined;
    }
  }
}
