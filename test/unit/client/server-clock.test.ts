import { describe, expect, it } from 'vitest';
import {
  bestEstimate,
  estimateFromSample,
  formatRemaining,
  remainingMs,
} from '../../../client/review/server-clock.ts';

describe('estimateFromSample', () => {
  it('takes the server time as the midpoint of the round trip', () => {
    // Browser sent at 1000, heard back at 1100; the server said 6050 in between.
    expect(estimateFromSample({ t0: 1000, t1: 1100, serverNow: 6050 })).toEqual({
      offsetMs: 5000,
      roundTripMs: 100,
    });
  });
});

describe('bestEstimate', () => {
  it('trusts the sample with the shortest round trip', () => {
    const estimate = bestEstimate([
      { t0: 0, t1: 400, serverNow: 900 },
      { t0: 1000, t1: 1020, serverNow: 1510 },
      { t0: 2000, t1: 2300, serverNow: 2000 },
    ]);

    expect(estimate).toEqual({ offsetMs: 500, roundTripMs: 20 });
  });

  it('has no estimate without samples', () => {
    expect(bestEstimate([])).toBeUndefined();
  });
});

describe('remainingMs', () => {
  it('counts down to the server end time through the offset', () => {
    // The server is 2 s ahead: at browser 10_000 it is 12_000 there, 8 s before 20_000.
    expect(remainingMs(20_000, 2_000, 10_000)).toBe(8_000);
  });

  it('never goes below zero after the end', () => {
    expect(remainingMs(20_000, 0, 25_000)).toBe(0);
  });
});

describe('formatRemaining', () => {
  it.each([
    [30 * 60 * 1000, '30:00'],
    [59_001, '1:00'],
    [9_000, '0:09'],
    [0, '0:00'],
    [3_723_000, '1:02:03'],
  ])('shows %i ms as %s', (ms, shown) => {
    expect(formatRemaining(ms)).toBe(shown);
  });
});
