/**
 * A review left live by a process that stopped without ending it (killed, or
 * the machine lost power): the next start resumes its clock from when the
 * chair started it, so it ends at the limit even if nobody comes back, and
 * its recording is then finalised like any other.
 *
 * The stop is simulated on the database the first service left behind,
 * since a graceful shutdown ends live reviews itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createReview, readReviewLog, startTestService } from './review-harness.ts';

const LIMIT_SECONDS = 3;

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
});
