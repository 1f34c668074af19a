/**
 * The on-disk copy of each downloaded feed, with the validators (ETag, Last-Modified) needed to
 * ask the server "has it changed?" instead of downloading it again, and the time it was last
 * confirmed current. Each feed is two files named after a hash of its URL: `<id>.data` (the body
 * as served) and `<id>.json` (the metadata below).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";

export interface CachedFeedMeta {
  url: string;
  etag?: string;
  lastModified?: string;
  /** Wall-clock ms when the server last confirmed this copy (200 or 304). */
  checkedAt: number;
  /** Wall-clock ms when the body last changed. */
  changedAt: number;
  bytes: number;
}

function isMeta(v: unknown): v is CachedFeedMeta {
  if (v === null || typeof v !== "object") return false;
  const m = v as Record<string, unknown>;
  return typeof m.url === "string" && typeof m.checkedAt === "number" &&
    typeof m.changedAt === "number" && typeof m.bytes === "number";
}

export class FeedCache {
  constructor(readonly dir: string) {}

  /** The file-name stem of a feed: readable tail of the URL plus a hash that keeps it unique. */
  idOf(url: string): string {
    const hash = createHash("sha256").update(url).digest("hex").slice(0, 16);
    const tail = url.replace(/[?#].*$/, "").split("/").filter((p) => p !== "").pop() ?? "feed";
    return `${tail.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 60)}-${hash}`;
  }

  dataPath(url: string): string {
    return join(this.dir, `${this.idOf(url)}.data`);
  }

  metaPath(url: string): string {
    return join(this.dir, `${this.idOf(url)}.json`);
  }

  async ensureDir(): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true });
  }

  /** The stored metadata, or undefined when the feed was never cached (or the file is damaged). */
  async readMeta(url: string): Promise<CachedFeedMeta | undefined> {
    try {
      const parsed: unknown = JSON.parse(await Deno.readTextFile(this.metaPath(url)));
      return isMeta(parsed) && parsed.url === url ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async hasData(url: string): Promise<boolean> {
    try {
      return (await Deno.stat(this.dataPath(url))).isFile;
    } catch {
      return false;
    }
  }

  async readData(url: string): Promise<string | undefined> {
    try {
      return await Deno.readTextFile(this.dataPath(url));
    } catch {
      return undefined;
    }
  }

  /** Stores a new body and its metadata; the body is replaced atomically (write, then rename). */
  async store(meta: CachedFeedMeta, body: string): Promise<void> {
    await this.ensureDir();
    const data = this.dataPath(meta.url);
    await Deno.writeTextFile(`${data}.tmp`, body);
    await Deno.rename(`${data}.tmp`, data);
    await this.writeMeta(meta);
  }

  async writeMeta(meta: CachedFeedMeta): Promise<void> {
    await this.ensureDir();
    const path = this.metaPath(meta.url);
    await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(meta, null, 1) + "\n");
    await Deno.rename(`${path}.tmp`, path);
  }
}
