import { describe, expect, it } from 'vitest';
import { retentionDateFor } from '../../../recording/retention-date.ts';

describe('retentionDateFor', () => {
  it('adds calendar years keeping the UTC time of day', () => {
    const start = new Date('2025-06-15T04:30:12.345Z');

    expect(retentionDateFor(start, 1).toISOString()).toBe('2026-06-15T04:30:12.345Z');
    expect(retentionDateFor(start, 5).toISOString()).toBe('2030-06-15T04:30:12.345Z');
  });

  it('moves 29 February to 1 March when the target year is not a leap year', () => {
    const leapDay = new Date('2024-02-29T10:00:00Z');

    expect(retentionDateFor(leapDay, 1).toISOString()).toBe('2025-03-01T10:00:00.000Z');
    expect(retentionDateFor(leapDay, 3).toISOString()).toBe('2027-03-01T10:00:00.000Z');
  });

  it('keeps 29 February when the target year is a leap year', () => {
    const leapDay = new Date('2024-02-29T10:00:00Z');

    expect(retentionDateFor(leapDay, 4).toISOString()).toBe('2028-02-29T10:00:00.000Z');
  });

  it('keeps 28 February as 28 February across a leap year', () => {
    expect(retentionDateFor(new Date('2023-02-28T12:00:00Z'), 1).toISOString()).toBe(
      '2024-02-28T12:00:00.000Z',
    );
  });

  it('treats century years by the Gregorian rule (2100 is not a leap year)', () => {
    expect(retentionDateFor(new Date('2096-02-29T00:00:00Z'), 4).toISOString()).toBe(
      '2100-03-01T00:00:00.000Z',
    );
  });

  it('never releases a review held on local 29 February in Almaty (UTC+5) early', () => {
    // 02:00 on 29 Feb in Almaty is still 28 Feb in UTC.
    const start = new Date('2024-02-29T02:00:00+05:00');
    const retainUntil = retentionDateFor(start, 1);

    // The local rule (29 Feb -> 1 Mar, same local time) gives the same instant.
    expect(retainUntil.toISOString()).toBe(
      new Date('2025-03-01T02:00:00+05:00').toISOString(),
    );
  });

  it('keeps a review just after midnight on 1 March in Almaty at least a calendar year', () => {
    // 03:00 on 1 Mar in Almaty is 22:00 on 29 Feb in UTC: it rolls to 1 Mar UTC.
    const start = new Date('2024-03-01T03:00:00+05:00');
    const retainUntil = retentionDateFor(start, 1);

    expect(retainUntil.toISOString()).toBe('2025-03-01T22:00:00.000Z');
    expect(retainUntil.getTime()).toBeGreaterThanOrEqual(
      new Date('2025-03-01T03:00:00+05:00').getTime(),
    );
  });

  it('gives the same instant whatever time zone the host runs in', () => {
    const start = new Date('2024-12-31T23:59:59Z');
    const original = process.env.TZ;
    const results: string[] = [];

    try {
      for (const zone of [
        'UTC',
        'Asia/Almaty',
        'America/Los_Angeles',
        'Pacific/Kiritimati',
      ]) {
        process.env.TZ = zone;
        results.push(retentionDateFor(start, 1).toISOString());
      }
    } finally {
      process.env.TZ = original;
    }

    expect(new Set(results)).toEqual(new Set(['2025-12-31T23:59:59.000Z']));
  });

  it('refuses an invalid date or a negative or fractional number of years', () => {
    expect(() => retentionDateFor(new Date('nonsense'), 1)).toThrow(RangeError);
    expect(() => retentionDateFor(new Date(), -1)).toThrow(RangeError);
    expect(() => retentionDateFor(new Date(), 1.5)).toThrow(RangeError);
  });
});
