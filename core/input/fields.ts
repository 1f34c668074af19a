/**
 * Uniform access to the fields of one log line, whether it came from a Zeek TSV row or a JSON
 * object, so each log type's mapping is written once. Malformed numbers are not thrown: the first
 * offending field name is kept in `bad` and the caller drops the line with a warning.
 */

export interface Fields {
  /** The name of the first field that failed to parse on this line, "" when none did. */
  bad: string;
  has(name: string): boolean;
  /** "" when absent, unset or empty. */
  str(name: string): string;
  /** 0 when absent or unset; sets `bad` when present but not a number. */
  num(name: string): number;
  /** [] when absent, unset or empty. */
  list(name: string): string[];
  /** null when absent or unset. */
  bool(name: string): boolean | null;
}

/** Zeek's escaping of separators and non-printable bytes as `\xHH`. */
export function unescapeZeek(v: string): string {
  if (v.indexOf("\\x") < 0) return v;
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function parseBool(v: string): boolean | null {
  switch (v) {
    case "T":
    case "true":
    case "True":
    case "1":
      return true;
    case "F":
    case "false":
    case "False":
    case "0":
      return false;
    default:
      return null;
  }
}

/** One Zeek TSV row, read through the column indices of its file's `#fields` header. */
export class TsvFields implements Fields {
  bad = "";
  cols: string[] = [];

  constructor(
    readonly index: Map<string, number>,
    readonly setSeparator: string,
    readonly unset: string,
    readonly empty: string,
  ) {}

  has(name: string): boolean {
    return this.index.has(name);
  }

  /** The raw column text, or undefined when absent or unset. */
  raw(name: string): string | undefined {
    const i = this.index.get(name);
    if (i === undefined) return undefined;
    const v = this.cols[i];
    if (v === this.unset || v === this.empty || v === "") return undefined;
    return v;
  }

  str(name: string): string {
    const v = this.raw(name);
    return v === undefined ? "" : unescapeZeek(v);
  }

  num(name: string): number {
    const v = this.raw(name);
    if (v === undefined) return 0;
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    if (this.bad === "") this.bad = name;
    return 0;
  }

  list(name: string): string[] {
    const v = this.raw(name);
    if (v === undefined) return [];
    return v.split(this.setSeparator).map(unescapeZeek);
  }

  bool(name: string): boolean | null {
    const v = this.raw(name);
    return v === undefined ? null : parseBool(v);
  }
}

/**
 * One JSON object. Zeek writes dotted names flat (`"id.orig_h"`); other producers nest them
 * (`"id": {"orig_h": …}`), so a dotted name falls back to the nested path.
 */
export class JsonFields implements Fields {
  bad = "";
  obj: Record<string, unknown> = {};

  get(name: string): unknown {
    const v = this.obj[name];
    if (v !== undefined) return v;
    const dot = name.indexOf(".");
    if (dot < 0) return undefined;
    let cur: unknown = this.obj;
    for (const part of name.split(".")) {
      if (cur === null || typeof cur !== "object") return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  str(name: string): string {
    const v = this.get(name);
    if (typeof v === "string") return v;
    if (v === undefined || v === null) return "";
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    if (Array.isArray(v)) return v.map(String).join(",");
    return JSON.stringify(v);
  }

  num(name: string): number {
    const v = this.get(name);
    if (typeof v === "number") return v;
    if (v === undefined || v === null || v === "" || v === "-") return 0;
    if (typeof v === "string") {
      const n = Number(v);
      if (Number.isFinite(n) && v.trim() !== "") return n;
    }
    if (this.bad === "") this.bad = name;
    return 0;
  }

  list(name: string): string[] {
    const v = this.get(name);
    if (Array.isArray(v)) return v.map((x) => (typeof x === "string" ? x : String(x)));
    if (typeof v === "string") return v === "" || v === "-" ? [] : [v];
    if (typeof v === "number") return [String(v)];
    return [];
  }

  bool(name: string): boolean | null {
    const v = this.get(name);
    if (typeof v === "boolean") return v;
    if (typeof v === "string") return parseBool(v);
    if (typeof v === "number") return v !== 0;
    return null;
  }
}
