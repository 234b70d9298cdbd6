/**
 * Default walking speed in km/h: the figure planners use for the 5-, 10- and 15-minute life circles
 * (an unhurried adult pace; older residents and parents with prams walk slower). At 4.5 km/h one
 * minute is 75 m, so 5, 10 and 15 minutes are 375, 750 and 1,125 m.
 */
export const WALKING_SPEED_KMH = 4.5;

/**
 * Metres walked in `minutes` at `speedKmh` (default {@link WALKING_SPEED_KMH}).
 *
 * @example
 * minutesToMetres(10); // 750
 * minutesToMetres(15, 4); // 1000
 */
export function minutesToMetres(minutes: number, speedKmh: number = WALKING_SPEED_KMH): number {
  checkSpeed(speedKmh);
  return (minutes * speedKmh * 1000) / 60;
}

/**
 * Minutes needed to walk `metres` at `speedKmh` (default {@link WALKING_SPEED_KMH}).
 *
 * @example
 * metresToMinutes(750); // 10
 */
export function metresToMinutes(metres: number, speedKmh: number = WALKING_SPEED_KMH): number {
  checkSpeed(speedKmh);
  return (metres * 60) / (speedKmh * 1000);
}

function checkSpeed(speedKmh: number): void {
  if (!(speedKmh > 0) || !Number.isFinite(speedKmh)) {
    throw new Error(`Walking speed must be a positive number of km/h, got ${speedKmh}.`);
  }
}
