/**
 * Input warnings are counted and printed at a limited rate: the first ones in full, then one line
 * per file every few seconds, so a broken file cannot flood the terminal.
 */
import type { InputWarning } from "../input/reader.ts";
import type { Printer } from "../output/printer.ts";

const FIRST_SHOWN = 10;
const INTERVAL_MS = 5000;

export class WarningLimiter {
  #count = new Map<string, number>();
  #lastShown = new Map<string, number>();
  #suppressed = new Map<string, number>();

  constructor(private readonly printer: Printer) {}

  get total(): number {
    let n = 0;
    for (const v of this.#count.values()) n += v;
    return n;
  }

  warn(w: InputWarning): void {
    const n = (this.#count.get(w.file) ?? 0) + 1;
    this.#count.set(w.file, n);
    const now = Date.now();
    if (n <= FIRST_SHOWN || now - (this.#lastShown.get(w.file) ?? 0) >= INTERVAL_MS) {
      const skipped = this.#suppressed.get(w.file) ?? 0;
      this.#suppressed.set(w.file, 0);
      this.#lastShown.set(w.file, now);
      this.printer.print(
        "input",
        // Readers already name the file and line in the message.
        `${w.message}${skipped ? ` (${skipped} similar warnings not shown)` : ""}`,
        0,
        0,
      );
    } else {
      this.#suppressed.set(w.file, (this.#suppressed.get(w.file) ?? 0) + 1);
    }
  }

  summary(): void {
    for (const [file, n] of this.#count) {
      this.printer.print("input", `${file}: ${n} lines could not be read and were skipped.`, 0, 0);
    }
  }
}
