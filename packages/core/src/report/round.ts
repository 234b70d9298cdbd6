// The one rounding of output files. Files are read by people and diffed year to year, so float noise
// (2500.000000000001) must never show: metres and people to 0.1, shares, scores and rates to 4
// decimals, coordinates to 6 (about 0.1 m). The library's results keep full precision; only the
// formatters in report/ (and the summaries they are made for) round.

/** `value` to `digits` decimals (half away from zero is not needed: figures are non-negative). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** {@link round}, with null for null and for values that are not finite (no such figure). */
export function roundOrNull(value: number | null, digits: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return round(value, digits);
}

/** People (and metres) to 0.1. */
export function roundPeople(value: number): number {
  return round(value, 1);
}

/** Shares and rates to 4 decimals. */
export function roundShare(value: number): number {
  return round(value, 4);
}
