/**
 * The server's clock end to end, on a short limit: warnings reach everyone,
 * then the cut finalises the recording before media closes and every browser
 * is told the review ended.
 */
import { describe, expect, it } from 'vitest';
import { ok, readReviewLog, readyReview, startTestService } from './review-harness.ts';

describe('the clock of a live review', () => {
  it('warns everyone and cuts the review at the limit, recording first', async () => {
    const service = await startTestService({
      review: { limitSeconds: 3, warningsSeconds: [2, 1] },
    });
    const { review, chair, attestee } = await readyReview(service);
    const warnings: number[] = [];
    attestee.socket.on('clock:warning', ({ secondsLeft }) => warnings.push(secondsLeft));
    const chairEnded = chair.next('review:ended');
    const attesteeEnded = attestee.next('review:ended');
    const disconnected = new Promise((resolve) =>
      attestee.socket.once('disconnect', resolve),
    );

    ok(await chair.request('chair:start', {}));

    expect(await attesteeEnded).toMatchObject({ reason: 'time-limit' });
    expect(await chairEnded).toMatchObject({ reason: 'time-limit' });
    expect(warnings).toEqual([2, 1]);
    await disconnected;

    const recorder = service.recorders.get(review.review.reviewId);
    expect(recorder?.log.find((e) => e.kind === 'stop')).toEqual({
      kind: 'stop',
      reason: 'time-limit',
      producersOpenAtStop: 1,
    });

    const data = await readReviewLog(service, review.review.reviewId);
    expect(data.review).toMatchObject({ state: 'ended', endReason: 'time-limit' });
    expect(data.events.map((e) => e.type).slice(-4)).toEqual([
      'start',
      'warning',
      'warning',
      'end',
    ]);
  });
});
