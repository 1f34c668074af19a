/** "read" or the name of the error class, so the parent test can tell denial from absence. */
export function tryRead(path: string): string {
  try {
    Deno.readTextFileSync(path);
    return "read";
  } catch (err) {
    return err instanceof Error ? err.name : String(err);
  }
}
