/** Number parsing shared by the CSV-like readers: NaN means "not a number" (the line is bad). */

/** "" → 0; decimal or Argus' hexadecimal ICMP ports (`0x0303`). */
export function parsePort(s: string): number {
  if (s === "") return 0;
  if (s.length > 2 && s.charCodeAt(0) === 48 && (s[1] === "x" || s[1] === "X")) {
    const v = parseInt(s.slice(2), 16);
    return Number.isNaN(v) || !/^[0-9a-fA-F]+$/.test(s.slice(2)) ? NaN : v;
  }
  return parseCount(s);
}

/** "" → 0; otherwise a finite decimal (surrounding blanks allowed, as nfdump pads columns). */
export function parseCount(s: string): number {
  if (s === "") return 0;
  const n = Number(s);
  if (!Number.isFinite(n)) return NaN;
  if (n === 0 && s.trim() === "") return 0;
  return n;
}
