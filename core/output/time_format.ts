/** Time formats used in the outputs. All flow times are written in UTC so outputs are reproducible. */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** ISO 8601 with microseconds and an explicit offset: 2024-01-02T03:04:05.123456+00:00. */
export function isoTime(ts: number): string {
  const d = new Date(Math.floor(ts * 1000));
  const micros = Math.round((ts - Math.floor(ts)) * 1e6) % 1e6;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${
    pad(d.getUTCHours())
  }:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(micros, 6)}+00:00`;
}

/** Wall-clock time with the local offset, for CreateTime and "real time". */
export function localIsoNow(now = new Date()): string {
  const off = -now.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  const a = Math.abs(off);
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${
    pad(now.getHours())
  }:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}${sign}${
    pad(Math.floor(a / 60))
  }:${pad(a % 60)}`;
}

/** YYYY/mm/dd HH:MM:SS in UTC, for window bounds in the console alert block. */
export function slashTime(ts: number): string {
  const d = new Date(ts * 1000);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${
    pad(d.getUTCHours())
  }:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
