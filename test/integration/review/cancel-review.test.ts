/**
 * Cancelling a review before it starts (operator API and command): people
 * waiting are told and disconnected, the links stop opening it, the end is
 * stored once; a live review cannot be cancelled, and only the operator may.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  createReview,
  join,
  linkFor,
  OPERATOR_KEY,
  ok,
  readReviewLog,
  readyReview,
  refusalCode,
  startTestService,
  tokenOf,
  type TestService,
} from './review-harness.ts';

const run = promisify(execFile);
const SCRIPTS = path.resolve(import.meta.dirname, '../../../scripts');

async function cancel(
  service: TestService,
  reviewId: string,
  /** '' sends no key at all. */
  operatorKey: string = OPERATOR_KEY,
): Promise<{
  status: number;
  body: { ok: boolean; data?: { review: { state: string } }; error?: { code: string } };
}> {
  const response = await fetch(`${service.app.url}/api/reviews/${reviewId}/cancel`, {
    method: 'POST',
    headers: operatorKey ? { authorization: `Bearer ${operatorKey}` } : {},
  });

  return { status: response.status, body: (await response.json()) as never };
}

describe('cancelling a review', () => {
  it('tells the people waiting, closes their links and stores the end once', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const reviewId = review.review.reviewId;
    const chair = await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));
    expect(attestee.snapshot.you.seat).toBe('lobby');
    const told = [chair.next('review:ended'), attestee.next('review:ended')];

    const reply = await cancel(service, reviewId);

    expect(reply.status).toBe(200);
    expect(reply.body.data?.review.state).toBe('cancelled');
    for (const ended of await Promise.all(told)) {
      expect(ended).toMatchObject({ reason: 'cancelled' });
    }
    expect(await refusalCode(service, tokenOf(linkFor(review, 'attestee')))).toBe(
      'REVIEW_ENDED',
    );

    // Again: the same answer, and still one end in the log.
    expect((await cancel(service, reviewId)).status).toBe(200);
    const { review: stored, events } = await readReviewLog(service, reviewId);
    expect(stored.state).toBe('cancelled');
    expect(events.filter((e) => e.type === 'end')).toEqual([
      expect.objectContaining({ data: { reason: 'cancelled' } }),
    ]);
  });

  it('cancels a review nobody has joined yet', async () => {
    const service = await startTestService();
    const review = await createReview(service);

    expect((await cancel(service, review.review.reviewId)).status).toBe(200);

    expect(await refusalCode(service, tokenOf(linkFor(review, 'chair')))).toBe(
      'REVIEW_ENDED',
    );
  });

  it('refuses a live review, an unknown one, and a caller without the operator key', async () => {
    const service = await startTestService();
    const { review, chair } = await readyReview(service);
    const reviewId = review.review.reviewId;

    expect(await cancel(service, reviewId, '')).toMatchObject({ status: 401 });
    expect(await cancel(service, reviewId, 'wrong-key-0123456789')).toMatchObject({
      status: 401,
    });
    expect(await cancel(service, 'no-such-review')).toMatchObject({ status: 404 });

    ok(await chair.request('chair:start', {}));
    const live = await cancel(service, reviewId);
    expect(live.status).toBe(409);
    expect(live.body.error?.code).toBe('INVALID_STATE');
    expect((await readReviewLog(service, reviewId)).review.state).toBe('live');
  });

  it('works through the operator commands', async () => {
    const service = await startTestService();
    const env = { ...process.env, SARAPTA_OPERATOR_KEY: OPERATOR_KEY };
    const url = service.app.url;

    const created = await run(
      process.execPath,
      [
        path.join(SCRIPTS, 'create-review.ts'),
        '--subject',
        'Chemistry, grade 8',
        '--category',
        'teacher-moderator',
        '--start',
        new Date(Date.now() + 3600_000).toISOString(),
        '--attestee',
        'Aigerim Sadykova',
        '--chair',
        'Nurlan Abenov',
        '--url',
        url,
      ],
      { env },
    );
    const reviewId = /^Review (\S+):/m.exec(created.stdout)?.[1];
    expect(reviewId).toBeDefined();
    expect(created.stdout).toContain('/join#token=');

    const cancelled = await run(
      process.execPath,
      [
        path.join(SCRIPTS, 'cancel-review.ts'),
        '--review',
        String(reviewId),
        '--url',
        url,
      ],
      { env },
    );

    expect(cancelled.stdout.trim()).toBe(`Review ${reviewId} is cancelled.`);
    expect((await readReviewLog(service, String(reviewId))).review.state).toBe(
      'cancelled',
    );
  });
});
