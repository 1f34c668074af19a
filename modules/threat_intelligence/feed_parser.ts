/**
 * Reads a downloaded feed whatever its layout: a plain list (one IoC per line, `#` comments,
 * hosts-file lines like `0.0.0.0 ads.example`), CSV/TSV with the IoC in some column (found by
 * looking at which column holds IoCs), Zeek intel files, or JSON (an array, or JSON lines).
 */
import { splitCsvLine } from "./csv_line.ts";
import { type ClassifiedIoc, classifyIoc, type IocKind } from "./ioc_kind.ts";
import type { IocTarget } from "./ioc_store.ts";

export interface FeedItem {
  ioc: ClassifiedIoc;
  /** The feed's own words about the IoC (a description/reason column), or "". */
  description: string;
}

export interface ParsedFeed {
  items: FeedItem[];
  /** Data lines or JSON elements that held no usable IoC. */
  skipped: number;
  /** How the content was read, for messages: "list", "csv column 2", "json", … */
  layout: string;
}

const WANTED: Record<IocTarget, ReadonlySet<IocKind>> = {
  ti: new Set(["ip", "cidr", "asn", "domain", "url", "md5", "sha1", "sha256"]),
  ja3: new Set(["md5"]),
  ssl: new Set(["sha1"]),
  tor: new Set(["ip"]),
  jarm: new Set(["jarm"]),
};

/** Values hosts files and sinkhole lists use as placeholders; never an indicator. */
const PLACEHOLDERS = new Set([
  "0.0.0.0",
  "127.0.0.1",
  "255.255.255.255",
  "::",
  "::1",
  "localhost",
  "localhost.localdomain",
  "broadcasthost",
]);

const DESCRIPTION_HEADER = /desc|reason|malware|family|threat|comment|note|categor|tag/i;
const PREFERRED_JSON_KEY =
  /^(ip|ipv4|ipv6|v4|v6|ip_address|ipaddress|domain|domainaddress|domain_name|fqdn|host|hostname|url|indicator|ioc|value|address|md5|sha1|sha256|ja3|ja3_md5)$/i;
const SAMPLE_LINES = 200;

function usable(value: string, target: IocTarget): ClassifiedIoc | undefined {
  const ioc = classifyIoc(value);
  if (!ioc || !WANTED[target].has(ioc.kind)) return undefined;
  if (PLACEHOLDERS.has(ioc.value)) return undefined;
  return ioc;
}

interface Row {
  fields: string[];
  /** Text after an inline ` #` in whitespace-separated lists. */
  comment: string;
}

type Splitter = (line: string) => Row;

function chooseSplitter(sample: string[]): { split: Splitter; name: string } {
  const tabs = sample.filter((l) => l.includes("\t")).length;
  const commas = sample.filter((l) => l.includes(",")).length;
  if (tabs > 0 && tabs >= commas) {
    return {
      split: (l) => ({ fields: l.split("\t").map((f) => f.trim()), comment: "" }),
      name: "tsv",
    };
  }
  if (commas > sample.length / 2) {
    return { split: (l) => ({ fields: splitCsvLine(l), comment: "" }), name: "csv" };
  }
  return {
    split: (l) => {
      const hash = l.search(/\s#/);
      const body = hash >= 0 ? l.slice(0, hash) : l;
      const comment = hash >= 0 ? l.slice(hash).replace(/^\s*#+\s*/, "").trim() : "";
      return { fields: body.trim().split(/\s+/), comment };
    },
    name: "list",
  };
}

/** The column that most often holds a usable IoC in the sample; -1 when none does. */
function iocColumn(rows: Row[], target: IocTarget): number {
  const hits: number[] = [];
  for (const r of rows) {
    r.fields.forEach((f, i) => {
      if (usable(f, target)) hits[i] = (hits[i] ?? 0) + 1;
    });
  }
  let best = -1;
  for (let i = 0; i < hits.length; i++) {
    if ((hits[i] ?? 0) > 0 && (best < 0 || hits[i] > hits[best])) best = i;
  }
  return best;
}

function descriptionColumn(header: string[] | undefined, ioc: number): number {
  if (!header) return -1;
  const byDesc = header.findIndex((h, i) => i !== ioc && /desc/i.test(h));
  if (byDesc >= 0) return byDesc;
  return header.findIndex((h, i) =>
    i !== ioc && DESCRIPTION_HEADER.test(h) && !/indicator_type|^type$/i.test(h)
  );
}

function parseLines(text: string, target: IocTarget): ParsedFeed {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let lastComment = "";
  const data: { line: string; comment: string }[] = [];
  for (const raw of lines) {
    const t = raw.trim();
    if (t === "") continue;
    if (t.startsWith("#fields")) {
      header = t.slice("#fields".length).trim().split("\t");
      continue;
    }
    if (t.startsWith("#") || t.startsWith(";") || t.startsWith("//") || t.startsWith("!")) {
      if (data.length === 0) lastComment = t.replace(/^[#;/!]+/, "").trim();
      continue;
    }
    data.push({ line: t, comment: lastComment });
  }
  if (data.length === 0) return { items: [], skipped: 0, layout: "empty" };
  const sample = data.slice(0, SAMPLE_LINES).map((d) => d.line);
  const { split, name } = chooseSplitter(sample);
  const rows = sample.map(split);
  const col = iocColumn(rows, target);
  if (col < 0) return { items: [], skipped: data.length, layout: `${name} without IoCs` };
  // A header is a commented line (Zeek `#fields`, sslbl's `# ja3_md5,…`) or a first line
  // whose IoC column holds a name instead of an IoC.
  let start = 0;
  if (!header && data[0].comment !== "") {
    const fields = split(data[0].comment).fields;
    if (fields.length === rows[0].fields.length && fields.length > 1) header = fields;
  }
  if (!usable(rows[0].fields[col] ?? "", target) && rows[0].fields.length > 1) {
    header = rows[0].fields;
    start = 1;
  }
  const descCol = descriptionColumn(header, col);
  const items: FeedItem[] = [];
  let skipped = 0;
  for (let i = start; i < data.length; i++) {
    const row = split(data[i].line);
    const ioc = usable(row.fields[col] ?? "", target);
    if (!ioc) {
      skipped++;
      continue;
    }
    const description = descCol >= 0 ? (row.fields[descCol] ?? "") : row.comment;
    items.push({ ioc, description });
  }
  return {
    items,
    skipped,
    layout: name === "list" && col === 0 ? "list" : `${name} column ${col + 1}`,
  };
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function stringsOf(value: Json, key: string, depth: number, out: [string, string][]): void {
  if (typeof value === "string") out.push([key, value]);
  else if (Array.isArray(value)) {
    if (depth < 3) { for (const v of value) stringsOf(v, key, depth + 1, out); }
  } else if (value !== null && typeof value === "object" && depth < 3) {
    for (const [k, v] of Object.entries(value)) stringsOf(v, k, depth + 1, out);
  }
}

function jsonItem(element: Json, target: IocTarget): FeedItem | undefined {
  const pairs: [string, string][] = [];
  stringsOf(element, "", 0, pairs);
  let ioc: ClassifiedIoc | undefined;
  for (const [k, v] of pairs) {
    if (PREFERRED_JSON_KEY.test(k) && (ioc = usable(v, target))) break;
  }
  if (!ioc) {
    for (const [, v] of pairs) if ((ioc = usable(v, target))) break;
  }
  if (!ioc) return undefined;
  const desc = pairs.filter(([k]) => DESCRIPTION_HEADER.test(k)).map(([, v]) => v);
  return { ioc, description: desc.join(", ") };
}

function jsonElements(text: string): Json[] | undefined {
  try {
    const doc = JSON.parse(text) as Json;
    if (Array.isArray(doc)) return doc;
    if (doc !== null && typeof doc === "object") {
      const list = Object.values(doc).find((v) => Array.isArray(v));
      return Array.isArray(list) ? list : [doc];
    }
    return undefined;
  } catch {
    // JSON lines: one document per line.
    const out: Json[] = [];
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t === "") continue;
      try {
        out.push(JSON.parse(t) as Json);
      } catch {
        return undefined;
      }
    }
    return out;
  }
}

/** Parses a feed's content into the IoCs list `target` can use. */
export function parseFeed(text: string, target: IocTarget): ParsedFeed {
  const head = text.trimStart().slice(0, 1);
  if (head === "[" || head === "{") {
    const elements = jsonElements(text);
    if (elements) {
      const items: FeedItem[] = [];
      let skipped = 0;
      for (const e of elements) {
        const item = jsonItem(e, target);
        if (item) items.push(item);
        else skipped++;
      }
      return { items, skipped, layout: "json" };
    }
  }
  return parseLines(text, target);
}
