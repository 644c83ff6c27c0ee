/**
 * A review left live by a process that stopped without ending it (killed, or
 * the machine lost power, or a graceful shutdown, which leaves live reviews
 * live on purpose): the next start resumes its clock from when the chair
 * started it, so it ends at the limit even if nobody comes back, and its
 * recording is then finalised like any other. People who come back get the
 * seats they held.
 *
 * A kill is simulated on the database the first service left behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createReview,
  join,
  linkFor,
  ok,
  readReviewLog,
  readyReview,
  snapshotWhere,
  startTestService,
} from './review-harness.ts';

const LIMIT_SECONDS = 3;

/** Long enough for a restart and two returns before the cut. */
const RESTART_LIMIT_SECONDS = 15;

/** Marks the review live since `startedAt`, as a process killed mid-review leaves it. */
function leaveLive(dataDir: string, reviewId: string, startedAt: Date): void {
  const db = new DatabaseSync(path.join(dataDir, 'sarapta.db'));
  try {
    db.prepare(
      `UPDATE reviews SET state = 'live', started_at = ? WHERE review_id = ?`,
    ).run(startedAt.toISOString(), reviewId);
  } finally {
    db.close();
  }
}

describe('a review left live by a stopped process', () => {
  it('ends at its limit after the next start, with nobody back, its recording stopped', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-left-live-'));
    onTestFinished(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const review = { limitSeconds: LIMIT_SECONDS, warningsSeconds: [] };

    const before = await startTestService({ dataDir, review });
    const { review: created } = await createReview(before);
    await before.app.close('simulated crash');
    const startedAt = new Date(Date.now() - 1000);
    leaveLive(dataDir, created.reviewId, startedAt);

    const after = await startTestService({ dataDir, review });
    await expect
      .poll(async () => (await readReviewLog(after, created.reviewId)).review, {
        timeout: (LIMIT_SECONDS + 5) * 1000,
        interval: 200,
      })
      .toMatchObject({ state: 'ended', endReason: 'time-limit' });

    const { events } = await readReviewLog(after, created.reviewId);
    const end = events.find((event) => event.type === 'end');
    // Not before the limit counted from the chair's start.
    expect(Date.parse(end?.at ?? '')).toBeGreaterThanOrEqual(
      startedAt.getTime() + LIMIT_SECONDS * 1000,
    );
    expect(after.recorders.get(created.reviewId)?.log.at(-1)).toMatchObject({
      kind: 'stop',
      reason: 'time-limit',
    });
  });

  it('survives a graceful shutdown: after the restart people come back to their seats, and it ends at the limit from its start', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-restart-live-'));
    onTestFinished(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const review = { limitSeconds: RESTART_LIMIT_SECONDS, warningsSeconds: [] };

    const before = await startTestService({ dataDir, review });
    const ready = await readyReview(before);
    const { reviewId } = ready.review.review;
    const expert = await join(before, linkFor(ready.review, 'expert'));
    ok(await ready.chair.request('chair:admit', { peerId: expert.snapshot.you.peerId }));
    ok(await ready.chair.request('chair:remove', { peerId: expert.snapshot.you.peerId }));
    ok(await ready.chair.request('chair:start', {}));
    const { endsAt } = (
      await snapshotWhere(ready.chair, (s) => s.clock.endsAt !== undefined)
    ).clock;
    await before.app.close('restart');
    const firstLog = before.recorders.get(reviewId)?.log ?? [];
    expect(firstLog.filter((entry) => entry.kind === 'suspend')).toEqual([
      { kind: 'suspend', reason: 'restart' },
    ]);
    expect(firstLog.some((entry) => entry.kind === 'stop')).toBe(false);

    const after = await startTestService({ dataDir, review });
    expect((await readReviewLog(after, reviewId)).review.state).toBe('live');
    const attestee = await join(after, linkFor(ready.review, 'attestee'));
    expect(attestee.snapshot.you.seat).toBe('admitted');
    expect(attestee.snapshot.clock.endsAt).toBe(endsAt);
    ok(await attestee.request('media:createTransport', { direction: 'send' }));
    // Removed before the restart: back only to the lobby, with no media.
    const expertBack = await join(after, linkFor(ready.review, 'expert'));
    expect(expertBack.snapshot.you.seat).toBe('lobby');
    const refused = await expertBack.request('media:capabilities', {});
    expect(refused.ok ? 'ok' : refused.error.code).toBe('NOT_ADMITTED');

    const ended = await attestee.next('review:ended');
    expect(ended).toMatchObject({ reason: 'time-limit' });
    expect(ended.endedAt).toBeGreaterThanOrEqual(endsAt as number);
    expect(
      after.recorders.get(reviewId)?.log.find((entry) => entry.kind === 'stop'),
    ).toMatchObject({ reason: 'time-limit' });
    const { events } = await readReviewLog(after, reviewId);
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['session-interrupted', 'session-resumed']),
    );
    expect(
      events.find((event) => event.type === 'session-interrupted')?.data,
    ).toMatchObject({
      cause: 'restart',
      state: 'live',
    });
  });
});
