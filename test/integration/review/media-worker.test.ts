/**
 * A mediasoup worker that dies: a live review on it ends (recording stopped,
 * browsers told), a waiting room is closed so its people can rejoin, and the
 * pool's replacement worker serves the next join.
 */
import * as mediasoup from 'mediasoup';
import type { Worker } from 'mediasoup/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createReview,
  join,
  linkFor,
  readReviewLog,
  ok,
  readyReview,
  startTestService,
} from './review-harness.ts';

function watchWorkers(): Worker[] {
  const workers: Worker[] = [];
  const onWorker = (worker: Worker) => workers.push(worker);
  mediasoup.observer.on('newworker', onWorker);
  onTestFinished(() => {
    mediasoup.observer.off('newworker', onWorker);
  });

  return workers;
}

describe('a media worker that dies', () => {
  it('ends the live review on it and is replaced for the next review', async () => {
    const workers = watchWorkers();
    const service = await startTestService();
    const live = await readyReview(service);
    ok(await live.chair.request('chair:start', {}));
    const waitingReview = await createReview(service);
    const waiting = await join(service, linkFor(waitingReview, 'chair'));
    const ended = live.attestee.next('review:ended');
    const notice = waiting.next('notice');

    const first = workers[0];
    if (!first) throw new Error('no worker observed');
    process.kill(first.pid, 'SIGKILL');

    expect(await ended).toMatchObject({ reason: 'shutdown' });
    expect(await notice).toEqual({ code: 'MEDIA_UNAVAILABLE', level: 'warning' });
    const data = await readReviewLog(service, live.review.review.reviewId);
    expect(data.events.at(-1)).toMatchObject({
      type: 'end',
      data: { reason: 'shutdown', detail: 'worker-died' },
    });

    // The live review's recording is sealed; the waiting room's stays open.
    const liveRecorder = service.recorders.get(live.review.review.reviewId);
    const waitingRecorder = service.recorders.get(waitingReview.review.reviewId);
    await expect
      .poll(() => liveRecorder?.log.at(-1)?.kind, { timeout: 10_000 })
      .toBe('stop');
    await expect
      .poll(() => waitingRecorder?.log.at(-1), { timeout: 10_000 })
      .toEqual({ kind: 'suspend', reason: 'worker-died' });

    await expect.poll(() => workers.length, { timeout: 10_000 }).toBe(2);
    const back = await join(service, linkFor(waitingReview, 'chair'));
    expect(back.snapshot.state).toBe('lobby');
    ok(await back.request('media:createTransport', { direction: 'send' }));
    // The rejoined room records with a recorder of its own.
    expect(service.recorders.get(waitingReview.review.reviewId)).not.toBe(
      waitingRecorder,
    );
  });
});
