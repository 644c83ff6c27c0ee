import { describe, expect, it } from 'vitest';
import { REVIEW_MIGRATIONS } from '../../../server/review/review-migrations.ts';
import { SqliteReviewStore } from '../../../server/review/sqlite-review-store.ts';
import { openDatabase } from '../../../server/store/database.ts';

function storeWithReview() {
  const db = openDatabase(':memory:', REVIEW_MIGRATIONS);
  const store = new SqliteReviewStore(db);
  const created = store.createReview({
    reviewId: 'r1',
    subject: 'Mathematics, grade 7',
    claimedCategory: 'teacher-moderator',
    format: 'remote',
    scheduledStart: '2026-03-02T05:00:00.000Z',
    people: [
      { personId: 'p-att', displayName: 'Aigerim', role: 'attestee' },
      { personId: 'p-chair', displayName: 'Nurlan', role: 'chair' },
      { personId: 'p-exp', displayName: 'Dana', role: 'expert' },
    ],
  });

  return { db, store, created };
}

describe('SqliteReviewStore', () => {
  it('stores a review in state scheduled with its people in order', async () => {
    const { store, created } = storeWithReview();

    expect(await created).toMatchObject({ reviewId: 'r1', state: 'scheduled' });
    const review = await store.getReview('r1');
    expect(review?.people.map((p) => p.role)).toEqual(['attestee', 'chair', 'expert']);
    expect(review?.startedAt).toBeUndefined();
  });

  it('returns undefined for an unknown review', async () => {
    const { store } = storeWithReview();

    expect(await store.getReview('nope')).toBeUndefined();
  });

  it('keeps the start time when the review later ends', async () => {
    const { store, created } = storeWithReview();
    await created;

    await store.changeState('r1', {
      state: 'live',
      startedAt: '2026-03-02T05:01:00.000Z',
    });
    await store.changeState('r1', {
      state: 'ended',
      endedAt: '2026-03-02T05:31:00.000Z',
      endReason: 'time-limit',
    });

    expect(await store.getReview('r1')).toMatchObject({
      state: 'ended',
      startedAt: '2026-03-02T05:01:00.000Z',
      endedAt: '2026-03-02T05:31:00.000Z',
      endReason: 'time-limit',
    });
  });

  it('keeps the first consent time', async () => {
    const { store, created } = storeWithReview();
    await created;

    await store.recordConsent('r1', '2026-03-02T05:00:10.000Z');
    await store.recordConsent('r1', '2026-03-02T05:09:00.000Z');

    expect((await store.getReview('r1'))?.consentAt).toBe('2026-03-02T05:00:10.000Z');
  });

  it('numbers events from 1 per review and reads them back in order with their data', async () => {
    const { store, created } = storeWithReview();
    await created;

    await store.appendEvent('r1', {
      at: '2026-03-02T05:00:00.000Z',
      type: 'join',
      personId: 'p-chair',
    });
    const second = await store.appendEvent('r1', {
      at: '2026-03-02T05:00:05.000Z',
      type: 'drop',
      personId: 'p-att',
      data: { detail: 'ping timeout' },
    });

    expect(second.seq).toBe(2);
    expect(await store.listEvents('r1')).toEqual([
      {
        reviewId: 'r1',
        seq: 1,
        at: '2026-03-02T05:00:00.000Z',
        type: 'join',
        personId: 'p-chair',
      },
      {
        reviewId: 'r1',
        seq: 2,
        at: '2026-03-02T05:00:05.000Z',
        type: 'drop',
        personId: 'p-att',
        data: { detail: 'ping timeout' },
      },
    ]);
  });

  it('refuses an event for a review that does not exist', async () => {
    const { store } = storeWithReview();

    await expect(store.appendEvent('ghost', { at: 'x', type: 'join' })).rejects.toThrow(
      /FOREIGN KEY/,
    );
  });
});
