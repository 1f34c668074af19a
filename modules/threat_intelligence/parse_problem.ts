/** What was wrong with a line of an input file, kept so the user can fix it. */
export interface ParseProblem {
  /** 1-based line number. */
  line: number;
  /** What the line should have held. */
  expected: string;
}

/** At most this many problems are kept per file; the rest are only counted. */
export const MAX_KEPT_PROBLEMS = 3;

/** A one-sentence report of a file's bad lines, or "" when there were none. */
export function describeProblems(file: string, count: number, kept: ParseProblem[]): string {
  if (count === 0) return "";
  const first = kept.map((p) => `line ${p.line}: expected ${p.expected}`).join("; ");
  return `${file}: skipped ${count} unreadable line${count === 1 ? "" : "s"} (${first}${
    count > kept.length ? "; …" : ""
  }).`;
}

/** Collects problems for one file, keeping the first few and counting the rest. */
export class ProblemLog {
  count = 0;
  readonly kept: ParseProblem[] = [];

  add(line: number, expected: string): void {
    this.count++;
    if (this.kept.length < MAX_KEPT_PROBLEMS) this.kept.push({ line, expected });
  }

  describe(file: string): string {
    return describeProblems(file, this.count, this.kept);
  }
}
