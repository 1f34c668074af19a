/** Splitting one line of the loosely written CSV that feed lists and IoC files use. */

/**
 * Splits on `sep` outside double quotes; `""` inside quotes is a literal quote. Fields are
 * trimmed and unquoted, since these files put spaces after commas and quote at random.
 */
export function splitCsvLine(line: string, sep = ","): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field.trim() === "") {
      field = "";
      quoted = true;
    } else if (c === sep) {
      out.push(field.trim());
      field = "";
    } else field += c;
  }
  out.push(field.trim());
  return out;
}

/** Lines that carry no data: blank, or comments starting with `#`, `;` or `//`. */
export function isCommentOrBlank(line: string): boolean {
  const t = line.trim();
  return t === "" || t.startsWith("#") || t.startsWith(";") || t.startsWith("//");
}

/** Parses a tag list written as `['a','b']`, `[a, b]` or `a b`. */
export function parseTags(text: string): string[] {
  return text.replace(/[[\]]/g, "").split(/[,;]/).map((t) =>
    t.trim().replace(/^['"`]+|['"`]+$/g, "")
  )
    .filter((t) => t !== "");
}
