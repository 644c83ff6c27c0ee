/**
 * The whole path of a review over the real service: create over HTTP, join
 * with tokens, lobby and admission, consent, transports, produce, consume,
 * start, end, and the event log left behind.
 */
import { describe, expect, it } from 'vitest';
import {
  createReview,
  join,
  linkFor,
  ok,
  readReviewLog,
  produceTrack,
  snapshotWhere,
  startTestService,
} from './review-harness.ts';

describe('a remote review', () => {
  it('goes from creation through lobby, media, start and end, leaving its events', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    expect(review.links.map((l) => l.role)).toEqual(['attestee', 'chair', 'expert']);
    expect(review.links[0]?.url).toMatch(/\/join#token=/);

    const chair = await join(service, linkFor(review, 'chair'));
    expect(chair.snapshot.you.seat).toBe('admitted');
    expect(chair.snapshot.state).toBe('lobby');

    const attestee = await join(service, linkFor(review, 'attestee'));
    expect(attestee.snapshot.you.seat).toBe('lobby');
    // Every connection sees every participant, not only the first one served.
    expect(attestee.snapshot.participants.map((p) => p.role)).toEqual([
      'chair',
      'attestee',
    ]);
    const chairView = await snapshotWhere(chair, (s) => s.participants.length === 2);
    expect(chairView.participants.map((p) => p.role)).toEqual(['chair', 'attestee']);
    const waiting = await attestee.request('media:capabilities', {});
    expect(waiting.ok ? 'ok' : waiting.error.code).toBe('NOT_ADMITTED');

    ok(await chair.request('chair:admit', { peerId: attestee.snapshot.you.peerId }));
    await snapshotWhere(attestee, (s) => s.you.seat === 'admitted');
    const capabilities = ok(await attestee.request('media:capabilities', {}));
    expect(capabilities.codecs?.map((c) => c.mimeType)).toEqual(
      expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']),
    );

    const beforeConsent = await attestee.request('media:createTransport', {
      direction: 'send',
    });
    const transportId = ok(beforeConsent).id;
    expect(
      ok(beforeConsent)
        .iceCandidates.map((c) => c.protocol)
        .sort(),
    ).toEqual(['tcp', 'udp']);
    ok(await attestee.request('consent:give', { consent: true }));

    const announced = chair.next('producer:added');
    const microphone = await produceTrack(attestee, 'microphone', 2222);
    expect((await announced).producerId).toBe(microphone);
    expect(transportId).toBeTruthy();

    const recv = ok(await chair.request('media:createTransport', { direction: 'recv' }));
    const consumer = ok(
      await chair.request('media:consume', {
        transportId: recv.id,
        producerId: microphone,
        rtpCapabilities: ok(await chair.request('media:capabilities', {})),
      }),
    );
    expect(consumer).toMatchObject({
      producerId: microphone,
      peerId: attestee.snapshot.you.peerId,
      source: 'microphone',
      kind: 'audio',
    });
    ok(await chair.request('media:resumeConsumer', { consumerId: consumer.consumerId }));

    ok(await chair.request('chair:start', {}));
    const live = await snapshotWhere(attestee, (s) => s.state === 'live');
    expect(live.clock.endsAt).toBe((live.clock.startedAt ?? 0) + 30 * 60 * 1000);

    const ended = attestee.next('review:ended');
    ok(await chair.request('chair:end', {}));
    expect((await ended).reason).toBe('chair');

    const recorder = service.recorders.get(review.review.reviewId);
    const stop = recorder?.log.find((entry) => entry.kind === 'stop');
    // The recording is finalised while the media is still flowing, before transports close.
    expect(stop).toEqual({ kind: 'stop', reason: 'chair', producersOpenAtStop: 1 });

    const data = await readReviewLog(service, review.review.reviewId);
    expect(data.review).toMatchObject({ state: 'ended', endReason: 'chair' });
    expect(data.events.map((e) => e.type)).toEqual([
      'created',
      'join',
      'join',
      'admit',
      'consent',
      'start',
      'end',
    ]);
  });

  it('refuses start without the attestee, without consent, and until every track is written', async () => {
    const service = await startTestService({ autoWrite: false });
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));

    const alone = await chair.request('chair:start', {});
    expect(alone.ok ? 'ok' : alone.error.code).toBe('INVALID_STATE');

    const attestee = await join(service, linkFor(review, 'attestee'));
    ok(await chair.request('chair:admit', { peerId: attestee.snapshot.you.peerId }));
    const noConsent = await chair.request('chair:start', {});
    expect(noConsent.ok ? 'ok' : noConsent.error.message).toMatch(/consent/);

    ok(await attestee.request('consent:give', { consent: true }));
    const noTracks = await chair.request('chair:start', {});
    expect(noTracks.ok ? 'ok' : noTracks.error.code).toBe('RECORDING_NOT_READY');

    const microphone = await produceTrack(attestee, 'microphone', 4444);
    const notWriting = await chair.request('chair:start', {});
    expect(notWriting.ok ? 'ok' : notWriting.error).toMatchObject({
      code: 'RECORDING_NOT_READY',
      details: { tracksWriting: 0, tracksExpected: 1 },
    });

    service.recorders.get(review.review.reviewId)?.markWriting(microphone);
    ok(await chair.request('chair:start', {}));
    const again = await chair.request('chair:start', {});
    expect(again.ok ? 'ok' : again.error.code).toBe('INVALID_STATE');
  });

  it('lets an in-person review start with the room device present', async () => {
    const service = await startTestService();
    const review = await createReview(service, {
      format: 'in-person',
      roomDevice: { displayName: 'Council room 204' },
    });
    const chair = await join(service, linkFor(review, 'chair'));
    const device = await join(service, linkFor(review, 'room-device'));
    ok(await chair.request('chair:admit', { peerId: device.snapshot.you.peerId }));
    await snapshotWhere(device, (s) => s.you.seat === 'admitted');

    ok(await device.request('consent:give', { consent: true }));
    await produceTrack(device, 'camera', 5555);

    ok(await chair.request('chair:start', {}));
  });
});
