import { describe, expect, it } from 'vitest';
import { timeFeatures, timeOfWeek } from './time-profile.js';

describe('timeOfWeek, timeFeatures', () => {
  it('default: the hour and weekday angles of a block time (UTC), and the weekend', () => {
    // 2024-01-06 18:00 UTC is a Saturday: hour angle 3π/2, day 6 of 7 (0 is Sunday).
    const t = timeOfWeek(1_704_499_200 + 18 * 3600)!;
    expect(t.weekend).toBe(true);
    expect([t.hourCos, t.hourSin]).toEqual([expect.closeTo(0, 12), expect.closeTo(-1, 12)]);
    expect([t.dayCos, t.daySin]).toEqual([expect.closeTo(Math.cos((12 * Math.PI) / 7), 12), expect.closeTo(Math.sin((12 * Math.PI) / 7), 12)]);
    // 1970-01-01 00:00:01 was a Thursday; 1970-01-04 a Sunday.
    expect(timeOfWeek(1)).toMatchObject({ weekend: false, dayCos: expect.closeTo(Math.cos((8 * Math.PI) / 7), 12) });
    expect(timeOfWeek(3 * 86_400)).toMatchObject({ weekend: true, hourCos: 1, dayCos: 1 });
  });

  it('edge: no block time has no angles, and a profile of none is all 0', () => {
    expect(timeOfWeek(0)).toBeNull();
    expect(timeFeatures({ timed: 0, hourCos: 0, hourSin: 0, dayCos: 0, daySin: 0, weekend: 0 })).toEqual({ 'hour-concentration': 0, 'weekday-concentration': 0, 'weekend-share': 0 });
    // Two transactions twelve hours apart on a Sunday and a Wednesday: opposite hours, days 3 apart (6π/7).
    const f = timeFeatures({ timed: 2, hourCos: 1 - 1, hourSin: 0, dayCos: 1 + Math.cos((6 * Math.PI) / 7), daySin: Math.sin((6 * Math.PI) / 7), weekend: 1 });
    expect(f['hour-concentration']).toBe(0);
    expect(f['weekday-concentration']).toBeCloseTo(Math.sqrt(2 + 2 * Math.cos((6 * Math.PI) / 7)) / 2, 12);
    expect(f['weekend-share']).toBe(0.5);
  });
});
