/** Time-window arithmetic: windows are numbered from the first flow of the whole input. */

/** Width used for only_one_tw: every flow of any realistic input lands in window 1. */
export const ONLY_ONE_TW_WIDTH = 9_999_999_999;

/**
 * Window number of a flow: floor((ts − t0) / width) + 1. A flow older than the first one (inputs
 * are not always perfectly ordered) is put in window 1 rather than rejected, so no flow is lost.
 */
export function timeWindowOf(ts: number, t0: number, width: number): number {
  if (ts <= t0) return 1;
  return Math.floor((ts - t0) / width) + 1;
}

export function timeWindowStart(twid: number, t0: number, width: number): number {
  return t0 + (twid - 1) * width;
}

export function parseTimeWindowWidth(value: string): number {
  return value.trim() === "only_one_tw" ? ONLY_ONE_TW_WIDTH : Number(value);
}
