/** Running sums of the times of a wallet's transactions: their hour-of-day and day-of-week angles (UTC). */
export interface TimeProfile {
  /** Transactions with a block time (0 is none). */
  timed: number;
  hourCos: number;
  hourSin: number;
  dayCos: number;
  daySin: number;
  /** Transactions in blocks of a Saturday or Sunday. */
  weekend: number;
}

const DAY = 86_400;

/**
 * Where a block time (seconds since 1970, UTC) falls: its hour-of-day and day-of-week angles on the unit circle,
 * and whether it is a Saturday or Sunday; null for no time (0).
 * @example timeOfWeek(0) // null
 */
export function timeOfWeek(time: number): { hourCos: number; hourSin: number; dayCos: number; daySin: number; weekend: boolean } | null {
  if (!(time > 0)) return null;
  const dow = (Math.floor(time / DAY) + 4) % 7; // 1970-01-01 was a Thursday; 0 is Sunday
  const hourAngle = (2 * Math.PI * (time % DAY)) / DAY;
  const dayAngle = (2 * Math.PI * dow) / 7;
  return { hourCos: Math.cos(hourAngle), hourSin: Math.sin(hourAngle), dayCos: Math.cos(dayAngle), daySin: Math.sin(dayAngle), weekend: dow === 0 || dow === 6 };
}

/**
 * The three time features from the sums: hour-concentration and weekday-concentration (the length of the mean
 * angle: 0 spread evenly, 1 all at one time) and weekend-share; 0 for a wallet with no timed transaction.
 */
export function timeFeatures(p: TimeProfile): { 'hour-concentration': number; 'weekday-concentration': number; 'weekend-share': number } {
  if (!p.timed) return { 'hour-concentration': 0, 'weekday-concentration': 0, 'weekend-share': 0 };
  return { 'hour-concentration': Math.hypot(p.hourCos, p.hourSin) / p.timed, 'weekday-concentration': Math.hypot(p.dayCos, p.daySin) / p.timed, 'weekend-share': p.weekend / p.timed };
}
