/** A run-stopping problem the user can fix (bad input, output dir, backend). */
export class RunError extends Error {
  override name = "RunError";
}
