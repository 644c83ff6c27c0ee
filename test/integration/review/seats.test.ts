/**
 * Seats and rooms under concurrency and reconnection: racing joins share one
 * router, the same link again takes the seat back without leaving a ghost,
 * drops and returns are logged with their times.
 */
import * as mediasoup from 'mediasoup';
import type { Worker } from 'mediasoup/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createReview,
  join,
  linkFor,
  ok,
  produceTrack,
  readReviewLog,
  readyReview,
  snapshotWhere,
  startTestService,
  type LoggedEvent,
  type TestService,
} from './review-harness.ts';

async function events(service: TestService, reviewId: string): Promise<LoggedEvent[]> {
  return (await readReviewLog(service, reviewId)).events;
}

/** Counts routers created by workers started from now on. */
function countRouters(): { routers: number } {
  const counter = { routers: 0 };
  const onWorker = (worker: Worker) => {
    worker.observer.on('newrouter', () => counter.routers++);
  };
  mediasoup.observer.on('newworker', onWorker);
  onTestFinished(() => {
    mediasoup.observer.off('newworker', onWorker);
  });

  return counter;
}

describe('racing joins', () => {
  it('create one router for one review', async () => {
    const counter = countRouters();
    const service = await startTestService();
    const review = await createReview(service, {
      experts: [{ displayName: 'E1' }, { displayName: 'E2' }, { displayName: 'E3' }],
    });

    const peers = await Promise.all(review.links.map((link) => join(service, link)));

    expect(peers).toHaveLength(5);
    expect(counter.routers).toBe(1);
    const chair = peers[1];
    if (!chair) throw new Error('no chair');
    const seen = await snapshotWhere(chair, (s) => s.participants.length === 5);
    expect(new Set(seen.participants.map((p) => p.personId)).size).toBe(5);
  });
});

describe('the same link again', () => {
  it('takes the seat back: the old connection is closed and no ghost remains', async () => {
    const service = await startTestService();
    const { review, chair, attestee, microphone } = await readyReview(service);
    const replaced = attestee.next('peer:closed');
    const oldDisconnected = new Promise((resolve) =>
      attestee.socket.once('disconnect', resolve),
    );
    const oldTrackClosed = chair.next('producer:closed');

    const again = await join(service, linkFor(review, 'attestee'));

    expect(await replaced).toEqual({ reason: 'replaced' });
    expect(await oldTrackClosed).toEqual({ producerId: microphone });
    expect(again.snapshot.you.seat).toBe('admitted');
    const seen = await snapshotWhere(
      chair,
      (s) =>
        s.participants.find((p) => p.role === 'attestee')?.peerId ===
        again.snapshot.you.peerId,
    );
    const attestees = seen.participants.filter((p) => p.role === 'attestee');
    expect(attestees).toEqual([
      expect.objectContaining({ connected: true, seat: 'admitted', producers: [] }),
    ]);
    expect(await oldDisconnected).toBe('io server disconnect');

    // The new connection can send again under the same person.
    await produceTrack(again, 'microphone', 6060);
    const rejoin = (await events(service, review.review.reviewId)).find(
      (e) => e.type === 'rejoin',
    );
    expect(rejoin).toMatchObject({
      personId: linkFor(review, 'attestee').personId,
      data: {
        replaced: true,
        seat: 'admitted',
        replacedPeerId: attestee.snapshot.you.peerId,
      },
    });
    // When the replaced connection was last heard from: just now, as it was alive.
    const lastHeardAt = Date.parse(String(rejoin?.data?.lastHeardAt));
    expect(lastHeardAt).toBeLessThanOrEqual(Date.parse(rejoin?.at ?? ''));
    expect(Date.parse(rejoin?.at ?? '') - lastHeardAt).toBeLessThan(15_000);
  });

  it('after a drop returns the attestee to the room, with drop and return logged in order', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);

    // Cutting the transport under socket.io looks like a network loss, not a goodbye.
    attestee.socket.io.engine.close();
    await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.role === 'attestee' && !p.connected),
    );
    const back = await join(service, linkFor(review, 'attestee'));

    expect(back.snapshot.you.seat).toBe('admitted');
    const log = await events(service, review.review.reviewId);
    const attesteeId = linkFor(review, 'attestee').personId;
    const mine = log.filter((e) => e.personId === attesteeId).map((e) => e.type);
    expect(mine).toEqual(['join', 'admit', 'consent', 'drop', 'rejoin']);
    const drop = log.find((e) => e.type === 'drop');
    const rejoin = log.find((e) => e.type === 'rejoin');
    expect(Date.parse(rejoin?.at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(drop?.at ?? ''),
    );
    expect(drop?.data).toMatchObject({ detail: 'transport close' });
  });

  it('after leaving puts the person back in the lobby', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);

    attestee.socket.disconnect();
    await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.role === 'attestee' && p.seat === 'left'),
    );
    const back = await join(service, linkFor(review, 'attestee'));

    expect(back.snapshot.you.seat).toBe('lobby');
    ok(await chair.request('chair:admit', { peerId: back.snapshot.you.peerId }));
    const log = await events(service, review.review.reviewId);
    expect(log.map((e) => e.type)).toContain('leave');
  });
});
