/** MIME types Zeek gives Windows executables and other binaries served over HTTP. */
const EXECUTABLE_MIME_TYPES = new Set([
  "application/x-msdownload",
  "application/x-ms-dos-executable",
  "application/x-ms-exe",
  "application/x-exe",
  "application/x-winexe",
  "application/x-winhlp",
  "application/x-winhelp",
  "application/octet-stream",
  "application/x-dosexec",
]);

/** EXECUTABLE_MIME_TYPE: any response MIME type is exactly one of the executable types. */
export function executableMimeTypes(types: readonly string[]): string[] {
  return types.filter((t) => EXECUTABLE_MIME_TYPES.has(t.trim().toLowerCase()));
}
