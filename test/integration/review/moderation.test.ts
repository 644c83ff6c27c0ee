/**
 * The lobby and the chair's powers: waiting people have no media, only the
 * chair admits, refuses, mutes, removes, starts and ends, and every action
 * lands in the event log.
 */
import { describe, expect, it } from 'vitest';
import {
  createReview,
  FAKE_DTLS,
  join,
  linkFor,
  ok,
  produceTrack,
  readReviewLog,
  readyReview,
  snapshotWhere,
  startTestService,
  type TestPeer,
  type TestService,
} from './review-harness.ts';
import type { SessionSnapshot } from '../../../server/signalling/protocol.ts';

function codeOf(reply: { ok: boolean; error?: { code: string } }): string {
  return reply.ok ? 'ok' : (reply.error?.code ?? '?');
}

async function eventTypes(service: TestService, reviewId: string): Promise<string[]> {
  const { events } = await readReviewLog(service, reviewId);

  return events.map((event) => event.type);
}

describe('the lobby', () => {
  it('gives a waiting person no capabilities, transports, producers or consumers', async () => {
    const service = await startTestService();
    const { review, microphone } = await readyReview(service);
    const expert = await join(service, linkFor(review, 'expert'));

    expect(codeOf(await expert.request('media:capabilities', {}))).toBe('NOT_ADMITTED');
    expect(
      codeOf(await expert.request('media:createTransport', { direction: 'recv' })),
    ).toBe('NOT_ADMITTED');
    expect(
      codeOf(
        await expert.request('media:connectTransport', {
          transportId: 'x',
          dtlsParameters: FAKE_DTLS,
        }),
      ),
    ).toBe('NOT_ADMITTED');
    expect(
      codeOf(
        await expert.request('media:consume', {
          transportId: 'x',
          producerId: microphone,
          rtpCapabilities: {},
        }),
      ),
    ).toBe('NOT_ADMITTED');
    expect(
      codeOf(
        await expert.request('media:produce', {
          transportId: 'x',
          kind: 'audio',
          rtpParameters: {
            codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000 }],
          } as never,
          source: 'microphone',
        }),
      ),
    ).toBe('NOT_ADMITTED');
  });

  it('does not announce new tracks to people still waiting', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const expert = await join(service, linkFor(review, 'expert'));
    let announced = 0;
    expert.socket.on('producer:added', () => announced++);

    await produceTrack(chair, 'microphone', 9001);
    await snapshotWhere(expert, (s) =>
      s.participants.some((p) => p.producers.length > 0),
    );

    expect(announced).toBe(0);
  });
});

describe('chair actions', () => {
  it('are FORBIDDEN to everyone but the chair', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);
    const target = { peerId: chair.snapshot.you.peerId };

    for (const event of [
      'chair:admit',
      'chair:refuse',
      'chair:mute',
      'chair:remove',
    ] as const) {
      expect(codeOf(await attestee.request(event, target))).toBe('FORBIDDEN');
    }
    expect(codeOf(await attestee.request('chair:start', {}))).toBe('FORBIDDEN');
    expect(codeOf(await attestee.request('chair:end', {}))).toBe('FORBIDDEN');
    expect((await eventTypes(service, review.review.reviewId)).slice(-1)).toEqual([
      'consent',
    ]);
  });

  it('refuse a waiting person, who is told and disconnected', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const expert = await join(service, linkFor(review, 'expert'));
    const closed = expert.next('peer:closed');
    const gone = new Promise((resolve) => expert.socket.once('disconnect', resolve));

    ok(await chair.request('chair:refuse', { peerId: expert.snapshot.you.peerId }));

    expect(await closed).toEqual({ reason: 'refused' });
    await gone;
    const seen = await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.role === 'expert' && p.seat === 'refused'),
    );
    expect(seen.participants.find((p) => p.role === 'expert')?.connected).toBe(false);
    expect(await eventTypes(service, review.review.reviewId)).toContain('refuse');
  });

  it('mute pauses the microphone on the server and tells its owner', async () => {
    const service = await startTestService();
    const { review, chair, attestee, microphone } = await readyReview(service);
    const muted = attestee.next('peer:muted');

    ok(await chair.request('chair:mute', { peerId: attestee.snapshot.you.peerId }));

    expect(await muted).toEqual({ by: linkFor(review, 'chair').personId });
    const seen = await snapshotWhere(chair, (s) =>
      s.participants.some((p) =>
        p.producers.some((pr) => pr.producerId === microphone && pr.paused),
      ),
    );
    expect(seen).toBeTruthy();
    expect(await eventTypes(service, review.review.reviewId)).toContain('mute');
  });

  it('remove closes the person and their tracks', async () => {
    const service = await startTestService();
    const { review, chair, attestee, microphone } = await readyReview(service);
    const closedTrack = chair.next('producer:closed');
    const closed = attestee.next('peer:closed');

    ok(await chair.request('chair:remove', { peerId: attestee.snapshot.you.peerId }));

    expect(await closed).toEqual({ reason: 'removed' });
    expect(await closedTrack).toEqual({ producerId: microphone });
    const recorder = service.recorders.get(review.review.reviewId);
    expect(recorder?.log).toContainEqual({ kind: 'remove', producerId: microphone });
    expect(await eventTypes(service, review.review.reviewId)).toContain('remove');
    expect(
      codeOf(await chair.request('chair:remove', { peerId: chair.snapshot.you.peerId })),
    ).toBe('BAD_REQUEST');
  });

  it('answer NOT_FOUND for a peer that is not in the review', async () => {
    const service = await startTestService();
    const { chair } = await readyReview(service);

    expect(codeOf(await chair.request('chair:admit', { peerId: 'nobody' }))).toBe(
      'NOT_FOUND',
    );
    for (const event of ['chair:refuse', 'chair:mute', 'chair:remove'] as const) {
      expect(codeOf(await chair.request(event, { peerId: 'nobody' }))).toBe('NOT_FOUND');
    }
  });
});

/** Cuts a peer's transport (a network loss, not a goodbye) and waits until the chair sees it. */
async function dropConnection(peer: TestPeer, chair: TestPeer): Promise<string> {
  const { peerId } = peer.snapshot.you;
  peer.socket.io.engine.close();
  await snapshotWhere(chair, (s) =>
    s.participants.some((p) => p.peerId === peerId && !p.connected),
  );

  return peerId;
}

describe('chair actions on a seat whose connection dropped', () => {
  it('remove it: everyone sees the seat removed, and on return the person waits in the lobby', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);
    const expert = await join(service, linkFor(review, 'expert'));
    const droppedPeerId = await dropConnection(attestee, chair);

    ok(await chair.request('chair:remove', { peerId: droppedPeerId }));

    const isRemoved = (s: SessionSnapshot) =>
      s.participants.some((p) => p.peerId === droppedPeerId && p.seat === 'removed');
    await snapshotWhere(chair, isRemoved);
    await snapshotWhere(expert, isRemoved);
    const { events } = await readReviewLog(service, review.review.reviewId);
    expect(events.filter((e) => e.type === 'remove')).toEqual([
      expect.objectContaining({
        personId: linkFor(review, 'attestee').personId,
        data: { by: linkFor(review, 'chair').personId },
      }),
    ]);

    const back = await join(service, linkFor(review, 'attestee'));
    expect(back.snapshot.you.seat).toBe('lobby');
    expect(codeOf(await back.request('media:capabilities', {}))).toBe('NOT_ADMITTED');
  });

  it('refuse a waiting person: the seat is refused, and on return they wait in the lobby', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const expert = await join(service, linkFor(review, 'expert'));
    const droppedPeerId = await dropConnection(expert, chair);

    ok(await chair.request('chair:refuse', { peerId: droppedPeerId }));

    await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.peerId === droppedPeerId && p.seat === 'refused'),
    );
    const { events } = await readReviewLog(service, review.review.reviewId);
    expect(events.filter((e) => e.type === 'refuse')).toEqual([
      expect.objectContaining({
        personId: linkFor(review, 'expert').personId,
        data: { by: linkFor(review, 'chair').personId },
      }),
    ]);

    const back = await join(service, linkFor(review, 'expert'));
    expect(back.snapshot.you.seat).toBe('lobby');
    expect(codeOf(await back.request('media:capabilities', {}))).toBe('NOT_ADMITTED');
  });

  it('admit a waiting person, who enters the room on return', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const expert = await join(service, linkFor(review, 'expert'));
    const droppedPeerId = await dropConnection(expert, chair);

    ok(await chair.request('chair:admit', { peerId: droppedPeerId }));

    await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.peerId === droppedPeerId && p.seat === 'admitted'),
    );
    const back = await join(service, linkFor(review, 'expert'));
    expect(back.snapshot.you.seat).toBe('admitted');
    ok(await back.request('media:capabilities', {}));
  });

  it('mute answers INVALID_STATE: there is no microphone to pause', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);
    const droppedPeerId = await dropConnection(attestee, chair);

    expect(codeOf(await chair.request('chair:mute', { peerId: droppedPeerId }))).toBe(
      'INVALID_STATE',
    );
    expect(await eventTypes(service, review.review.reviewId)).not.toContain('mute');
  });

  it('answer NOT_FOUND for the peer id a seat held before its holder returned', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);
    const droppedPeerId = await dropConnection(attestee, chair);
    const back = await join(service, linkFor(review, 'attestee'));

    expect(codeOf(await chair.request('chair:remove', { peerId: droppedPeerId }))).toBe(
      'NOT_FOUND',
    );
    expect(back.snapshot.you.seat).toBe('admitted');
  });
});
