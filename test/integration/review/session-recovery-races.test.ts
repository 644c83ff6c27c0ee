/**
 * Races around a review session that closes under its review (its media
 * worker died, the service shuts down) and the next session that opens:
 * operator and chair decisions that land while a session closes, workers
 * that die again while the next session opens, media probes caught in a
 * worker's death, and the resources and events left behind.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as mediasoup from 'mediasoup';
import type { Router, WebRtcTransport, Worker } from 'mediasoup/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createReview,
  disconnected,
  FAKE_DTLS,
  join,
  killWorker,
  linkFor,
  metricSample,
  ok,
  produceTrack,
  readReviewLog,
  readyReview,
  refusalCode,
  scrapeMetrics,
  snapshotWhere,
  startTestService,
  tokenOf,
  vp8Parameters,
  watchWorkers,
  type TestService,
} from './review-harness.ts';
import type { ReviewSession } from '../../../server/review/review-session.ts';
import { TestRecorder } from './test-recorder.ts';

/** A promise the test resolves when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });

  return { opened, open };
}

/**
 * A test recorder whose suspend takes as long as the test wants, as the real
 * one does while it finalises its captures: the session stays "closing"
 * meanwhile.
 */
class SlowSuspendRecorder extends TestRecorder {
  readonly #until: Promise<void>;

  constructor(until: Promise<void>) {
    super();
    this.#until = until;
  }

  override async suspend(reason: string): Promise<void> {
    await this.#until;
    await super.suspend(reason);
  }
}

/**
 * The only media worker goes away and nothing replaces it: closed in-process,
 * so the pool sees no death to answer, as when its replacements cannot start.
 */
function loseTheOnlyWorker(workers: readonly Worker[]): void {
  const [only] = workers;
  if (!only || workers.length !== 1) throw new Error('expected exactly one worker');
  only.close();
}

/**
 * A live review whose only media worker went away with nothing to replace
 * it: its people are disconnected, and its next session waits in the pool
 * for a worker. Returns the service and that session's opening.
 */
async function liveReviewWaitingForAWorker(): Promise<{
  service: TestService;
  next: Promise<ReviewSession | undefined>;
}> {
  const workers = watchWorkers();
  const service = await startTestService({
    review: { limitSeconds: 600, warningsSeconds: [] },
  });
  const { review, chair, attestee } = await readyReview(service);
  ok(await chair.request('chair:start', {}));
  const gone = disconnected(attestee);

  loseTheOnlyWorker(workers);
  await gone;
  const next = service.app.sessions.find(review.review.reviewId);

  return { service, next };
}

/** Open WebRTC transports on the service's workers, as /metrics reports them. */
async function webRtcTransports(service: TestService): Promise<number | undefined> {
  return metricSample(await scrapeMetrics(service), 'sarapta_transports{kind="webrtc"}');
}

describe('an operator cancel while the session of a waiting room closes under it', () => {
  it('is stored: the review is cancelled and its links close', async () => {
    const workers = watchWorkers();
    const suspended = gate();
    const service = await startTestService(
      {},
      { createRecorder: () => new SlowSuspendRecorder(suspended.opened) },
    );
    const review = await createReview(service);
    const { reviewId } = review.review;
    const chair = await join(service, linkFor(review, 'chair'));
    const moving = chair.next('notice');

    killWorker(workers[0]);
    expect(await moving).toEqual({ code: 'MEDIA_UNAVAILABLE', level: 'warning' });

    // The session is closing (its recorder finalising): the cancel comes now,
    // and is left one turn to reach the closing session before it may finish.
    const cancelling = service.app.sessions.cancel(reviewId);
    await nextTurn();
    suspended.open();
    await cancelling;

    const { review: stored, events } = await readReviewLog(service, reviewId);
    expect(stored).toMatchObject({ state: 'cancelled', endReason: 'cancelled' });
    expect(events.filter((e) => e.type === 'end')).toEqual([
      expect.objectContaining({ data: { reason: 'cancelled' } }),
    ]);
    expect(await refusalCode(service, tokenOf(linkFor(review, 'chair')))).toBe(
      'REVIEW_ENDED',
    );
  });
});

describe("the chair's end acknowledged just before the session closes under it", () => {
  it('still ends the review: the chair is told so, and the recording is stopped, not suspended', async () => {
    const service = await startTestService({
      review: { limitSeconds: 600, warningsSeconds: [] },
    });
    const { review, chair } = await readyReview(service);
    const { reviewId } = review.review;
    ok(await chair.request('chair:start', {}));
    const session = await service.app.sessions.find(reviewId);
    if (!session) throw new Error('no session');
    const told: string[] = [];
    chair.socket.on('review:ended', ({ reason }) => told.push(reason));
    chair.socket.on('notice', ({ code }) => told.push(code));
    const gone = disconnected(chair);

    // What the chair:end handler does, then a shutdown in the same turn,
    // before the end it scheduled has begun.
    await session.endEarly(chair.snapshot.you.peerId);
    const closing = service.app.sessions.close('restart');

    await closing;
    await gone;
    expect(told).toEqual(['chair']);
    const { review: stored, events } = await readReviewLog(service, reviewId);
    expect(stored).toMatchObject({ state: 'ended', endReason: 'chair' });
    expect(events.some((e) => e.type === 'session-interrupted')).toBe(false);
    const log = service.recorders.get(reviewId)?.log ?? [];
    expect(log.filter((e) => e.kind === 'stop' || e.kind === 'suspend')).toEqual([
      { kind: 'stop', reason: 'chair', producersOpenAtStop: 1 },
    ]);
  });
});

describe('a worker that dies again while the next session opens', () => {
  it('leaves one interruption per closed session; the review goes on and ends at its limit', async () => {
    const workers = watchWorkers();
    const service = await startTestService({
      review: { limitSeconds: 25, warningsSeconds: [] },
    });
    const ready = await readyReview(service);
    const { review } = ready;
    const { reviewId } = review.review;
    ok(await ready.chair.request('chair:start', {}));
    const { endsAt } = (
      await snapshotWhere(ready.chair, (s) => s.clock.endsAt !== undefined)
    ).clock;
    const gone = disconnected(ready.attestee);

    // The first replacement dies as soon as it has started, before the next
    // session can open on it.
    let killedReplacement = false;
    const killFirstReplacement = (worker: Worker) => {
      if (killedReplacement) return;
      killedReplacement = true;
      killWorker(worker);
    };
    mediasoup.observer.on('newworker', killFirstReplacement);
    onTestFinished(() => {
      mediasoup.observer.off('newworker', killFirstReplacement);
    });
    killWorker(workers[0]);
    await gone;

    // The third worker carries the next session; people come back to it.
    await expect.poll(() => workers.length, { timeout: 20_000 }).toBe(3);
    const attestee = await join(service, linkFor(review, 'attestee'));
    expect(attestee.snapshot.you.seat).toBe('admitted');
    expect(attestee.snapshot.clock.endsAt).toBe(endsAt);
    await produceTrack(attestee, 'microphone', 3333);
    const chair = await join(service, linkFor(review, 'chair'));
    ok(await chair.request('media:createTransport', { direction: 'recv' }));
    expect(await webRtcTransports(service)).toBe(2);

    // And again, on the session that opened.
    const goneAgain = disconnected(attestee);
    killWorker(workers[2]);
    await goneAgain;
    await expect.poll(() => workers.length, { timeout: 20_000 }).toBe(4);
    expect(await webRtcTransports(service)).toBe(0);
    const back = await join(service, linkFor(review, 'attestee'));
    expect(back.snapshot.you.seat).toBe('admitted');

    const ended = await back.next('review:ended');
    expect(ended.reason).toBe('time-limit');
    const { events } = await readReviewLog(service, reviewId);
    expect(events.filter((e) => e.type === 'session-interrupted')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'session-resumed')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'end')).toHaveLength(1);
    const attesteeId = linkFor(review, 'attestee').personId;
    expect(
      events.filter((e) => e.personId === attesteeId && e.type === 'join'),
    ).toHaveLength(1);
    expect(
      events.filter((e) => e.personId === attesteeId && e.type === 'rejoin'),
    ).toHaveLength(2);
    await expect.poll(() => webRtcTransports(service)).toBe(0);
  });
});

describe('a media probe caught in a worker death', () => {
  it('closes with its transport; the transports count goes back to zero and the next session probes again', async () => {
    const workers = watchWorkers();
    const routers: Router[] = [];
    const service = await startTestService(
      {},
      {
        createRecorder: (_reviewId, router) => {
          routers.push(router);
          return new TestRecorder();
        },
      },
    );
    const review = await createReview(service);
    await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));
    const probes: WebRtcTransport[] = [];
    routers[0]?.observer.on('newtransport', (t) => probes.push(t as WebRtcTransport));
    const probe = ok(await attestee.request('probe:open', {}));
    ok(
      await attestee.request('probe:connect', {
        transportId: probe.id,
        dtlsParameters: FAKE_DTLS,
      }),
    );
    ok(
      await attestee.request('probe:produce', {
        transportId: probe.id,
        kind: 'video',
        rtpParameters: vp8Parameters(4444) as never,
      }),
    );
    expect(await webRtcTransports(service)).toBe(1);
    const gone = disconnected(attestee);

    killWorker(workers[0]);
    await gone;

    expect(probes.map((t) => t.closed)).toEqual([true]);
    expect(await webRtcTransports(service)).toBe(0);
    await expect.poll(() => workers.length, { timeout: 20_000 }).toBe(2);
    const back = await join(service, linkFor(review, 'attestee'));
    const again = ok(await back.request('probe:open', {}));
    expect(again.id).not.toBe(probe.id);
    expect((await back.request('probe:result', { transportId: probe.id })).ok).toBe(
      false,
    );
    ok(await back.request('probe:result', { transportId: again.id }));
    expect(await webRtcTransports(service)).toBe(0);
  });
});

describe('the metrics while the next session of a live review waits for a media worker', () => {
  it('answer at once, without waiting for that session', async () => {
    const { service, next } = await liveReviewWaitingForAWorker();

    const first = await Promise.race([
      scrapeMetrics(service).then(() => 'metrics'),
      next.then(
        () => 'session opened',
        () => 'session failed',
      ),
    ]);
    expect(first).toBe('metrics');
  });
});

describe('a media probe of a connection that is replaced', () => {
  it('closes with it; the new connection has a probe of its own and none of the old one', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));
    const probe = ok(await attestee.request('probe:open', {}));
    expect(await webRtcTransports(service)).toBe(1);
    const replaced = disconnected(attestee);

    const second = await join(service, linkFor(review, 'attestee'));
    await replaced;

    expect(await webRtcTransports(service)).toBe(0);
    const stale = await second.request('probe:connect', {
      transportId: probe.id,
      dtlsParameters: FAKE_DTLS,
    });
    expect(stale.ok ? 'ok' : stale.error.code).toBe('PROBE_CLOSED');
    const own = ok(await second.request('probe:open', {}));
    expect(await webRtcTransports(service)).toBe(1);
    ok(await second.request('probe:result', { transportId: own.id }));
    expect(await webRtcTransports(service)).toBe(0);
  });
});

describe('a shutdown while the next session of a live review waits for a media worker', () => {
  it('gives up that wait at once instead of waiting for a worker it is about to close', async () => {
    const { service, next } = await liveReviewWaitingForAWorker();
    const outcome = next.then(
      () => 'opened',
      (err: Error) => err.message,
    );

    await service.app.close('restart');

    // Not the pool's "No media worker is running" after its wait ran out.
    expect(await outcome).toBe('The server is shutting down');
  });
});
