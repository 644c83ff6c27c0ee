import { afterEach, describe, expect, it } from 'vitest';
import { archiveMigrations } from '../../../server/archive/archive-migrations.ts';
import { REVIEW_MIGRATIONS } from '../../../server/review/review-migrations.ts';
import { openDatabase, type DatabaseSync } from '../../../server/store/database.ts';
import { RECORDING_MIGRATIONS } from '../../../recording/recording-migrations.ts';
import { retentionDateFor } from '../../../recording/retention-date.ts';
import { dueRecordings } from '../../../storage/retention/due-recordings.ts';

describe('dueRecordings', () => {
  let db: DatabaseSync;
  afterEach(() => db.close());

  function openWith(
    rows: [reviewId: string, retainUntil: string, state?: string][],
  ): DatabaseSync {
    db = openDatabase(':memory:', [
      ...REVIEW_MIGRATIONS,
      ...RECORDING_MIGRATIONS,
      ...archiveMigrations,
    ]);
    const insert = db.prepare(
      "INSERT INTO recordings (review_id, state, retain_until, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')",
    );
    for (const [reviewId, retainUntil, state] of rows)
      insert.run(reviewId, state ?? 'sealed', retainUntil);
    return db;
  }

  function dueIds(now: string, pageSize = 100): string[] {
    return [...dueRecordings(db, new Date(now), pageSize)].flat().map((d) => d.reviewId);
  }

  it('compares instants, whatever offset the date was written with', () => {
    // Both are 2027-03-01T19:00:00Z: midnight in Almaty is 19:00 UTC the day before.
    openWith([
      ['utc', '2027-03-01T19:00:00.000Z'],
      ['almaty', '2027-03-02T00:00:00+05:00'],
    ]);

    expect(dueIds('2027-03-01T18:59:59.999Z')).toEqual([]);
    expect(dueIds('2027-03-01T19:00:00.000Z')).toEqual(['almaty', 'utc']);
  });

  it('keeps a review of 29 February until 1 March of a common year', () => {
    const retainUntil = retentionDateFor(new Date('2028-02-29T04:00:00Z'), 1);
    expect(retainUntil.toISOString()).toBe('2029-03-01T04:00:00.000Z');
    openWith([['leap', retainUntil.toISOString()]]);

    // 28 February 2029, the last minute in Almaty: not yet.
    expect(dueIds('2029-02-28T18:59:00Z')).toEqual([]);
    expect(dueIds('2029-03-01T03:59:59Z')).toEqual([]);
    expect(dueIds('2029-03-01T04:00:00Z')).toEqual(['leap']);
  });

  it('keeps a review started late in the Almaty evening a full calendar year', () => {
    // 23:30 on 31 December 2026 in Almaty is 18:30 UTC the same day.
    const retainUntil = retentionDateFor(new Date('2026-12-31T18:30:00Z'), 1);
    openWith([['new-year', retainUntil.toISOString()]]);

    expect(dueIds('2027-12-31T18:29:59Z')).toEqual([]);
    expect(dueIds('2027-12-31T18:30:00Z')).toEqual(['new-year']);
  });

  it('never selects an unparseable date, a recording expired or still written, or one with an open case', () => {
    openWith([
      ['garbage', 'not a date'],
      ['gone', '2020-01-01T00:00:00Z', 'expired'],
      ['writing', '2020-01-01T00:00:00Z', 'recording'],
      ['finalising', '2020-01-01T00:00:00Z', 'finalising'],
      ['failed', '2020-01-01T00:00:00Z', 'failed'],
      ['held', '2020-01-01T00:00:00Z'],
      ['due', '2020-01-01T00:00:00Z'],
    ]);
    db.prepare(
      "INSERT INTO dispute_cases (review_id, case_number, reason, opened_at, opened_by) VALUES ('held', 'D-1', 'appeal', '2026-01-01T00:00:00Z', 'a')",
    ).run();

    expect(dueIds('2026-06-01T00:00:00Z')).toEqual(['due', 'failed']);
  });

  it('walks every due recording in pages of the given size', () => {
    openWith(
      Array.from(
        { length: 25 },
        (_, i) =>
          [`r${String(i).padStart(3, '0')}`, '2020-01-01T00:00:00Z'] as [string, string],
      ),
    );

    const pages = [...dueRecordings(db, new Date('2026-01-01T00:00:00Z'), 10)];

    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(new Set(pages.flat().map((d) => d.reviewId)).size).toBe(25);
  });
});
