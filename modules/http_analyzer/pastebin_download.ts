import type { HttpRecord } from "@slips/core";

/** PASTEBIN_DOWNLOAD (HTTP): a GET to a pastebin host whose response body exceeds the threshold (700 bytes). */
export function isPastebinDownload(r: HttpRecord, thresholdBytes: number): boolean {
  return r.method.toUpperCase() === "GET" && r.responseBodyLen > thresholdBytes &&
    r.host.toLowerCase().includes("pastebin");
}
