/**
 * A mediasoup worker that dies under a review: the review goes on. Its
 * session closes (recording suspended, browsers told and disconnected), the
 * pool's replacement worker carries the next session, people come back to
 * the seats they held, and a live review's clock keeps counting from the
 * chair's start, so it still ends at its limit, whether or not anyone comes
 * back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { configSchema } from '../../../server/config/config.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import { REVIEW_MIGRATIONS } from '../../../server/review/review-migrations.ts';
import { SessionRegistry } from '../../../server/review/session-registry.ts';
import { SqliteReviewStore } from '../../../server/review/sqlite-review-store.ts';
import { transportSettingsFrom } from '../../../server/sfu/transport-options.ts';
import { WorkerPool } from '../../../server/sfu/worker-pool.ts';
import { openDatabase } from '../../../server/store/database.ts';
import {
  createReview,
  disconnected,
  join,
  killWorker,
  linkFor,
  ok,
  produceTrack,
  readReviewLog,
  readyReview,
  snapshotWhere,
  startTestService,
  watchWorkers,
  type TestService,
} from './review-harness.ts';
import { TestRecorder } from './test-recorder.ts';

/**
 * Short, so the cut comes within the test; long enough for the worker to be
 * replaced and people to come back well before it.
 */
const LIMIT_SECONDS = 12;

/** The recorder the review's latest session was given, once it differs from `old`. */
async function nextRecorder(service: TestService, reviewId: string, old: unknown) {
  await expect
    .poll(() => service.recorders.get(reviewId) !== old, { timeout: 20_000 })
    .toBe(true);

  return service.recorders.get(reviewId);
}

/** A live review: chair, attestee admitted with a microphone, an expert admitted then removed. */
async function liveReview(service: TestService) {
  const ready = await readyReview(service);
  const expert = await join(service, linkFor(ready.review, 'expert'));
  ok(await ready.chair.request('chair:admit', { peerId: expert.snapshot.you.peerId }));
  ok(await ready.chair.request('chair:remove', { peerId: expert.snapshot.you.peerId }));
  ok(await ready.chair.request('chair:start', {}));
  const started = await snapshotWhere(ready.chair, (s) => s.clock.endsAt !== undefined);

  return { ...ready, endsAt: started.clock.endsAt as number };
}

describe('a media worker that dies under a live review', () => {
  it('keeps the review live: people come back admitted on the replacement, media works, and it ends at the limit from its start', async () => {
    const workers = watchWorkers();
    const service = await startTestService({
      review: { limitSeconds: LIMIT_SECONDS, warningsSeconds: [] },
    });
    const { review, chair, attestee, endsAt } = await liveReview(service);
    const { reviewId } = review.review;
    const firstRecorder = service.recorders.get(reviewId);
    const told = attestee.next('notice');
    const gone = disconnected(attestee);
    let endedBeforeTheCut = 0;
    for (const peer of [chair, attestee]) {
      peer.socket.on('review:ended', () => endedBeforeTheCut++);
    }

    killWorker(workers[0]);

    expect(await told).toEqual({ code: 'MEDIA_UNAVAILABLE', level: 'warning' });
    expect(await gone).toBe('io server disconnect');
    expect(endedBeforeTheCut).toBe(0);
    expect(firstRecorder?.log.at(-1)).toEqual({ kind: 'suspend', reason: 'worker-died' });
    expect((await readReviewLog(service, reviewId)).review.state).toBe('live');

    // The next session opens by itself, on the replacement worker, with a recorder of its own.
    const recorder = await nextRecorder(service, reviewId, firstRecorder);
    expect(workers).toHaveLength(2);
    expect(service.app.pool.workers).toEqual([workers[1]]);
    expect((await workers[1]?.dump())?.routerIds).toHaveLength(1);

    // Back with the same links: the attestee is in the room with no chair action.
    const chairBack = await join(service, linkFor(review, 'chair'));
    const attesteeBack = await join(service, linkFor(review, 'attestee'));
    expect(attesteeBack.snapshot.you.seat).toBe('admitted');
    expect(attesteeBack.snapshot.state).toBe('live');
    expect(attesteeBack.snapshot.clock.endsAt).toBe(endsAt);
    expect(chairBack.snapshot.clock.endsAt).toBe(endsAt);

    // Media works on the new worker, and the new recorder records it.
    const microphone = await produceTrack(attesteeBack, 'microphone', 2222);
    expect(recorder?.log).toContainEqual(
      expect.objectContaining({ kind: 'add', producerId: microphone }),
    );
    const recv = ok(
      await chairBack.request('media:createTransport', { direction: 'recv' }),
    );
    const rtpCapabilities = ok(await chairBack.request('media:capabilities', {}));
    const consumer = ok(
      await chairBack.request('media:consume', {
        transportId: recv.id,
        producerId: microphone,
        rtpCapabilities,
      }),
    );
    expect(consumer.producerId).toBe(microphone);

    // The cut comes at the limit counted from the chair's start, not later.
    const ended = await attesteeBack.next('review:ended');
    expect(ended.reason).toBe('time-limit');
    expect(ended.endedAt).toBeGreaterThanOrEqual(endsAt);
    // Stopped (to be sealed) while the track still ran: recording first, then media.
    expect(recorder?.log.find((entry) => entry.kind === 'stop')).toEqual({
      kind: 'stop',
      reason: 'time-limit',
      producersOpenAtStop: 1,
    });
    expect(firstRecorder?.log.some((entry) => entry.kind === 'stop')).toBe(false);

    // The gap is in the record: the interruption with its cause, the resumed
    // clock, and each return; nobody was admitted again.
    const { events } = await readReviewLog(service, reviewId);
    const interrupted = events.findIndex((e) => e.type === 'session-interrupted');
    expect(events[interrupted]).toMatchObject({
      data: { cause: 'worker-died', state: 'live' },
    });
    const after = events.slice(interrupted + 1);
    expect(after.find((e) => e.type === 'session-resumed')).toMatchObject({
      data: { endsAt: new Date(endsAt).toISOString() },
    });
    expect(after.filter((e) => e.type === 'rejoin')).toEqual([
      expect.objectContaining({
        personId: linkFor(review, 'chair').personId,
        data: expect.objectContaining({ seat: 'admitted' }),
      }),
      expect.objectContaining({
        personId: linkFor(review, 'attestee').personId,
        data: expect.objectContaining({ seat: 'admitted' }),
      }),
    ]);
    expect(after.some((e) => e.type === 'admit')).toBe(false);
    expect(after.at(-1)).toMatchObject({ type: 'end', data: { reason: 'time-limit' } });
  });

  it('keeps a person the chair removed out of the room of the next session', async () => {
    const workers = watchWorkers();
    const service = await startTestService({
      review: { limitSeconds: 600, warningsSeconds: [] },
    });
    const { review, attestee } = await liveReview(service);
    const { reviewId } = review.review;
    const firstRecorder = service.recorders.get(reviewId);
    const gone = disconnected(attestee);

    killWorker(workers[0]);
    await gone;
    await nextRecorder(service, reviewId, firstRecorder);

    // Removed: back only to the lobby, where the chair decides again; no media.
    const expert = await join(service, linkFor(review, 'expert'));
    expect(expert.snapshot.you.seat).toBe('lobby');
    const refused = await expert.request('media:capabilities', {});
    expect(refused.ok ? 'ok' : refused.error.code).toBe('NOT_ADMITTED');
    const chair = await join(service, linkFor(review, 'chair'));
    expect(chair.snapshot.participants.find((p) => p.role === 'expert')?.seat).toBe(
      'lobby',
    );
  });

  it('ends the review at its limit when nobody comes back', async () => {
    const workers = watchWorkers();
    const service = await startTestService({
      review: { limitSeconds: LIMIT_SECONDS, warningsSeconds: [] },
    });
    const { review, attestee, endsAt } = await liveReview(service);
    const { reviewId } = review.review;
    const firstRecorder = service.recorders.get(reviewId);
    const gone = disconnected(attestee);

    killWorker(workers[0]);
    await gone;
    const recorder = await nextRecorder(service, reviewId, firstRecorder);

    await expect
      .poll(async () => (await readReviewLog(service, reviewId)).review, {
        timeout: LIMIT_SECONDS * 1000 + 10_000,
        interval: 200,
      })
      .toMatchObject({ state: 'ended', endReason: 'time-limit' });
    const { events } = await readReviewLog(service, reviewId);
    const end = events.find((event) => event.type === 'end');
    expect(Date.parse(end?.at ?? '')).toBeGreaterThanOrEqual(endsAt);
    expect(firstRecorder?.log.at(-1)).toEqual({ kind: 'suspend', reason: 'worker-died' });
    expect(recorder?.log.at(-1)).toMatchObject({ kind: 'stop', reason: 'time-limit' });
  });

  it('ends the review at its limit when no worker can carry its next session', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-no-worker-'));
    onTestFinished(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const db = openDatabase(path.join(dataDir, 'sarapta.db'), REVIEW_MIGRATIONS);
    onTestFinished(() => db.close());
    const store = new SqliteReviewStore(db);
    const logger = createSilentLogger();
    const limitSeconds = 2;
    await store.createReview({
      reviewId: 'review-without-worker',
      subject: 'Chemistry',
      claimedCategory: 'teacher',
      format: 'remote',
      scheduledStart: new Date().toISOString(),
      people: [{ personId: 'chair-1', displayName: 'Nurlan Abenov', role: 'chair' }],
    });
    const startedAt = Date.now();
    await store.changeState('review-without-worker', {
      state: 'live',
      startedAt: new Date(startedAt).toISOString(),
    });

    // A pool whose workers are all gone: every router request is refused.
    const pool = await WorkerPool.create({
      size: 1,
      ...(process.env.MEDIASOUP_WORKER_BIN
        ? { workerBin: process.env.MEDIASOUP_WORKER_BIN }
        : {}),
      logger,
    });
    pool.close('no worker left');
    const sealed: string[] = [];
    const registry = new SessionRegistry({
      store,
      pool,
      transportSettings: transportSettingsFrom(configSchema.parse({}).media),
      createRecorder: () => new TestRecorder(),
      limitSeconds,
      warningsSeconds: [],
      logger,
      onEndedWithoutSession: (reviewId) => sealed.push(reviewId),
    });
    onTestFinished(() => registry.close('test finished'));

    await registry.resumeLiveReviews();

    await expect
      .poll(async () => (await store.getReview('review-without-worker'))?.state, {
        timeout: 15_000,
        interval: 200,
      })
      .toBe('ended');
    const stored = await store.getReview('review-without-worker');
    expect(stored?.endReason).toBe('time-limit');
    expect(Date.parse(stored?.endedAt ?? '')).toBeGreaterThanOrEqual(
      startedAt + limitSeconds * 1000,
    );
    expect((await store.listEvents('review-without-worker')).at(-1)).toMatchObject({
      type: 'end',
      data: { reason: 'time-limit' },
    });
    expect(sealed).toEqual(['review-without-worker']);
  });
});

describe('a media worker that dies under a waiting room', () => {
  it('closes the session; people come back to their seats on the replacement worker', async () => {
    const workers = watchWorkers();
    const service = await startTestService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const expert = await join(service, linkFor(review, 'expert'));
    ok(await chair.request('chair:admit', { peerId: expert.snapshot.you.peerId }));
    await snapshotWhere(expert, (s) => s.you.seat === 'admitted');
    const { reviewId } = review.review;
    const notice = chair.next('notice');
    const gone = disconnected(chair);
    const waitingRecorder = service.recorders.get(reviewId);

    killWorker(workers[0]);

    expect(await notice).toEqual({ code: 'MEDIA_UNAVAILABLE', level: 'warning' });
    await gone;
    expect(waitingRecorder?.log.at(-1)).toEqual({
      kind: 'suspend',
      reason: 'worker-died',
    });
    await expect.poll(() => workers.length, { timeout: 10_000 }).toBe(2);

    const back = await join(service, linkFor(review, 'chair'));
    expect(back.snapshot.state).toBe('lobby');
    ok(await back.request('media:createTransport', { direction: 'send' }));
    // The rejoined room records with a recorder of its own.
    expect(service.recorders.get(reviewId)).not.toBe(waitingRecorder);
    // The expert the chair admitted comes back into the room, not the lobby.
    const expertBack = await join(service, linkFor(review, 'expert'));
    expect(expertBack.snapshot.you.seat).toBe('admitted');
    expect((await readReviewLog(service, reviewId)).events).toContainEqual(
      expect.objectContaining({
        type: 'session-interrupted',
        data: expect.objectContaining({ cause: 'worker-died', state: 'lobby' }),
      }),
    );
  });
});
