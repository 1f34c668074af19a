/**
 * Timestamp parsing for the text inputs. Written by hand because Date.parse accepts neither
 * microseconds nor Suricata's `+0200` offsets reliably, and because it runs once per line.
 * Every function returns unix seconds (fractional) or NaN when the text is not a timestamp.
 */

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Fraction digits after a dot at `from`; returns [value, index after the digits]. */
function fraction(s: string, from: number): [number, number] {
  if (s.charCodeAt(from) !== 46 /* . */) return [0, from];
  let i = from + 1;
  let scale = 0.1;
  let v = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v += c * scale;
    scale /= 10;
    i++;
  }
  return [v, i];
}

/**
 * `YYYY?MM?DD?hh:mm:ss[.ffffff][Z|±hh[:]mm]` where `?` is any one separator (`-`, `/`, `T`,
 * space). Without an offset the time is taken as UTC.
 */
export function parseDateTime(s: string): number {
  s = s.trim();
  if (s.length < 19) return NaN;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  if (Number.isNaN(y + mo + d + h + mi + se)) return NaN;
  if (s[13] !== ":" || s[16] !== ":") return NaN;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return NaN;
  const [frac, end] = fraction(s, 19);
  let offset = 0;
  if (end < s.length) {
    const sign = s[end];
    if (sign === "Z" && end === s.length - 1) {
      offset = 0;
    } else if (sign === "+" || sign === "-") {
      const rest = s.slice(end + 1).replace(":", "");
      if (rest.length !== 4) return NaN;
      const oh = digits(rest, 0, 2);
      const om = digits(rest, 2, 2);
      if (Number.isNaN(oh + om)) return NaN;
      offset = (sign === "+" ? 1 : -1) * (oh * 3600 + om * 60);
    } else {
      return NaN;
    }
  }
  return Date.UTC(y, mo - 1, d, h, mi, se) / 1000 + frac - offset;
}

/** A number of seconds (`1601998366.785668`) or, failing that, a date-time as above. */
export function parseTimestamp(s: string): number {
  if (s === "" || s.charCodeAt(0) <= 32) return NaN;
  const n = Number(s);
  if (Number.isFinite(n)) return n;
  return parseDateTime(s);
}
