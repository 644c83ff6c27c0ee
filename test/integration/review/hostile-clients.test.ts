/**
 * Browsers that misbehave, on purpose or by accident: racing requests, other
 * people's ids, slips in the protocol. Each gets a stable error code, no
 * limit can be raced past, and the review goes on for everyone else.
 */
import { describe, expect, it } from 'vitest';
import {
  createReview,
  FAKE_DTLS,
  join,
  linkFor,
  ok,
  openSocket,
  opusParameters,
  produceTrack,
  readReviewLog,
  readyReview,
  snapshotWhere,
  startTestService,
  tokenOf,
  vp8Parameters,
  type TestPeer,
} from './review-harness.ts';

function codeOf(reply: { ok: boolean; error?: { code: string } }): string {
  return reply.ok ? 'ok' : (reply.error?.code ?? '?');
}

/** Emits anything, bypassing the typed contract; resolves with the acknowledgement. */
function rawRequest(peer: TestPeer, ...args: unknown[]): Promise<unknown> {
  const emit = peer.socket.emit.bind(peer.socket) as (...args: unknown[]) => void;

  return new Promise((resolve) => emit(...args, resolve));
}

/**
 * Sends one event whose payload is written as JSON text, past the client's own
 * encoder (which recurses over the payload); resolves with the acknowledgement.
 */
function rawPacket(peer: TestPeer, event: string, payloadJson: string): Promise<unknown> {
  const engine = peer.socket.io.engine;
  const ackId = 987_654;

  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith(`3${ackId}[`)) return;
      engine.off('message', onMessage);
      resolve((JSON.parse(data.slice(`3${ackId}`.length)) as unknown[])[0]);
    };
    engine.on('message', onMessage);
    engine.write(`2${ackId}[${JSON.stringify(event)},${payloadJson}]`);
  });
}

/** The router's capabilities as a browser would send them back when consuming. */
async function capabilitiesOf(peer: TestPeer) {
  return ok(await peer.request('media:capabilities', {}));
}

describe('racing requests of one connection', () => {
  it('cannot open more transports than the per-connection limit', async () => {
    const service = await startTestService();
    const { attestee } = await readyReview(service);

    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        attestee.request('media:createTransport', { direction: 'recv' }),
      ),
    );

    const codes = replies.map(codeOf);
    // readyReview opened one send transport already.
    expect(codes.filter((code) => code === 'ok')).toHaveLength(5);
    expect(codes.filter((code) => code !== 'ok')).toEqual(Array(7).fill('CONFLICT'));
  });

  it('cannot send two microphones at once', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const transports = await Promise.all(
      [0, 1].map(async () => {
        const transport = ok(
          await chair.request('media:createTransport', { direction: 'send' }),
        );
        ok(
          await chair.request('media:connectTransport', {
            transportId: transport.id,
            dtlsParameters: FAKE_DTLS,
          }),
        );
        return transport.id;
      }),
    );

    const replies = await Promise.all(
      transports.map((transportId, index) =>
        chair.request('media:produce', {
          transportId,
          kind: 'audio',
          rtpParameters: opusParameters(7000 + index) as never,
          source: 'microphone',
        }),
      ),
    );

    expect(replies.map(codeOf).sort()).toEqual(['CONFLICT', 'ok']);
    const seen = await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.role === 'chair' && p.producers.length > 0),
    );
    const mine = seen.participants.find((p) => p.role === 'chair');
    expect(mine?.producers.map((p) => p.source)).toEqual(['microphone']);
  });
  it('cannot receive one track more than once on one transport', async () => {
    const service = await startTestService();
    const { chair, microphone } = await readyReview(service);
    const transport = ok(
      await chair.request('media:createTransport', { direction: 'recv' }),
    );
    const rtpCapabilities = (await capabilitiesOf(chair)) as never;

    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        chair.request('media:consume', {
          transportId: transport.id,
          producerId: microphone,
          rtpCapabilities,
        }),
      ),
    );

    const codes = replies.map(codeOf);
    expect(codes.filter((code) => code === 'ok')).toHaveLength(1);
    expect(codes.filter((code) => code !== 'ok')).toEqual(Array(19).fill('CONFLICT'));
    // A second receive transport (a browser rebuilding its connection) may receive it again.
    const another = ok(
      await chair.request('media:createTransport', { direction: 'recv' }),
    );
    ok(
      await chair.request('media:consume', {
        transportId: another.id,
        producerId: microphone,
        rtpCapabilities,
      }),
    );
  });
});

describe("other people's media", () => {
  it('is out of reach: their transports, their consumers, another review, oneself', async () => {
    const service = await startTestService();
    const { review, chair, attestee, microphone } = await readyReview(service);
    const other = await readyReview(service);
    const chairRecv = ok(
      await chair.request('media:createTransport', { direction: 'recv' }),
    );
    const rtpCapabilities = await capabilitiesOf(chair);
    const consumer = ok(
      await chair.request('media:consume', {
        transportId: chairRecv.id,
        producerId: microphone,
        rtpCapabilities: rtpCapabilities as never,
      }),
    );

    // The attestee tries the chair's transport and consumer.
    expect(
      codeOf(
        await attestee.request('media:produce', {
          transportId: chairRecv.id,
          kind: 'video',
          rtpParameters: opusParameters(1) as never,
          source: 'camera',
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(
        await attestee.request('media:resumeConsumer', {
          consumerId: consumer.consumerId,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(await attestee.request('media:restartIce', { transportId: chairRecv.id })),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(await attestee.request('media:restored', { transportId: chairRecv.id })),
    ).toBe('NOT_FOUND');

    // A send transport cannot receive and a receive transport cannot send.
    expect(
      codeOf(
        await chair.request('media:produce', {
          transportId: chairRecv.id,
          kind: 'audio',
          rtpParameters: opusParameters(2) as never,
          source: 'microphone',
        }),
      ),
    ).toBe('BAD_REQUEST');

    // A track of another review, and one's own track.
    expect(
      codeOf(
        await chair.request('media:consume', {
          transportId: chairRecv.id,
          producerId: other.microphone,
          rtpCapabilities: rtpCapabilities as never,
        }),
      ),
    ).toBe('NOT_FOUND');
    const ownMicrophone = await produceTrack(chair, 'microphone', 3333);
    expect(
      codeOf(
        await chair.request('media:consume', {
          transportId: chairRecv.id,
          producerId: ownMicrophone,
          rtpCapabilities: rtpCapabilities as never,
        }),
      ),
    ).toBe('BAD_REQUEST');

    // The attestee's track and the chair's consumer of it are untouched.
    ok(await chair.request('media:resumeConsumer', { consumerId: consumer.consumerId }));
    const { events } = await readReviewLog(service, review.review.reviewId);
    expect(events.map((e) => e.type)).not.toContain('remove');
  });

  it('connecting a transport twice is refused as the caller’s slip', async () => {
    const service = await startTestService();
    const { attestee } = await readyReview(service);
    const transport = ok(
      await attestee.request('media:createTransport', { direction: 'recv' }),
    );
    ok(
      await attestee.request('media:connectTransport', {
        transportId: transport.id,
        dtlsParameters: FAKE_DTLS,
      }),
    );

    const again = await attestee.request('media:connectTransport', {
      transportId: transport.id,
      dtlsParameters: FAKE_DTLS,
    });

    expect(codeOf(again)).toBe('INVALID_STATE');
  });
});

describe('media probes', () => {
  it('are one at a time and three per connection, however the requests race', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));

    const racing = await Promise.all([
      attestee.request('probe:open', {}),
      attestee.request('probe:open', {}),
      attestee.request('probe:open', {}),
    ]);
    expect(racing.map(codeOf).sort()).toEqual([
      'PROBE_ALREADY_OPEN',
      'PROBE_ALREADY_OPEN',
      'ok',
    ]);
    const first = racing.find((reply) => reply.ok);
    const probeId = first?.ok ? first.data.id : '';

    // One track per probe, and only video.
    ok(
      await attestee.request('probe:produce', {
        transportId: probeId,
        kind: 'video',
        rtpParameters: vp8Parameters(6000) as never,
      }),
    );
    expect(
      codeOf(
        await attestee.request('probe:produce', {
          transportId: probeId,
          kind: 'video',
          rtpParameters: vp8Parameters(6001) as never,
        }),
      ),
    ).toBe('CONFLICT');
    expect(
      codeOf(
        (await rawRequest(attestee, 'probe:produce', {
          transportId: probeId,
          kind: 'audio',
          rtpParameters: opusParameters(6002),
        })) as never,
      ),
    ).toBe('VALIDATION_FAILED');

    // Reading a result frees the slot; three probes are all one connection gets.
    ok(await attestee.request('probe:result', { transportId: probeId }));
    for (let probe = 2; probe <= 3; probe++) {
      const next = ok(await attestee.request('probe:open', {}));
      ok(await attestee.request('probe:result', { transportId: next.id }));
    }
    expect(codeOf(await attestee.request('probe:open', {}))).toBe('RATE_LIMITED');
    ok(await attestee.request('clock:sync', { clientNow: 1 }));
  });

  it("of other people are out of reach, and so is a probe's track", async () => {
    const service = await startTestService();
    const { chair, attestee } = await readyReview(service);
    const probe = ok(await attestee.request('probe:open', {}));
    ok(
      await attestee.request('probe:connect', {
        transportId: probe.id,
        dtlsParameters: FAKE_DTLS,
      }),
    );
    const { producerId } = ok(
      await attestee.request('probe:produce', {
        transportId: probe.id,
        kind: 'video',
        rtpParameters: vp8Parameters(6100) as never,
      }),
    );

    // The chair tries the attestee's probe.
    const tries = [
      await chair.request('probe:connect', {
        transportId: probe.id,
        dtlsParameters: FAKE_DTLS,
      }),
      await chair.request('probe:produce', {
        transportId: probe.id,
        kind: 'video',
        rtpParameters: vp8Parameters(6101) as never,
      }),
      await chair.request('probe:result', { transportId: probe.id }),
    ];
    expect(tries.map(codeOf)).toEqual(['PROBE_CLOSED', 'PROBE_CLOSED', 'PROBE_CLOSED']);

    // The probe's track is nobody's to receive, its transport no real one.
    const chairRecv = ok(
      await chair.request('media:createTransport', { direction: 'recv' }),
    );
    expect(
      codeOf(
        await chair.request('media:consume', {
          transportId: chairRecv.id,
          producerId,
          rtpCapabilities: (await capabilitiesOf(chair)) as never,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(
        await attestee.request('media:produce', {
          transportId: probe.id,
          kind: 'audio',
          rtpParameters: opusParameters(6102) as never,
          source: 'microphone',
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(await attestee.request('media:pauseProducer', { producerId, paused: true })),
    ).toBe('NOT_FOUND');

    // The attestee's own probe still answers.
    const result = ok(await attestee.request('probe:result', { transportId: probe.id }));
    expect(result.bytesReceived).toBe(0);
  });
});

describe('protocol slips', () => {
  it('every message that carries an acknowledgement is answered', async () => {
    const service = await startTestService();
    const { chair } = await readyReview(service);

    // A payload left out: the acknowledgement arrives where the payload should be.
    expect(codeOf((await rawRequest(chair, 'chair:start')) as never)).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf((await rawRequest(chair, 'media:capabilities')) as never)).toBe(
      'VALIDATION_FAILED',
    );
    // An extra argument before the acknowledgement.
    expect(
      codeOf((await rawRequest(chair, 'clock:sync', { clientNow: 1 }, 'extra')) as never),
    ).toBe('VALIDATION_FAILED');
    // A misspelt or invented event, including names an object inherits.
    for (const event of ['chair:begin', 'toString', '__proto__', 'constructor']) {
      expect(codeOf((await rawRequest(chair, event, {})) as never), event).toBe(
        'BAD_REQUEST',
      );
    }

    ok(await chair.request('clock:sync', { clientNow: 1 }));
  });

  it('deeply nested values inside the size limit are refused without harm', async () => {
    const service = await startTestService();
    const { chair, attestee } = await readyReview(service);
    const transport = ok(
      await chair.request('media:createTransport', { direction: 'send' }),
    );
    const depth = 20_000;
    const encodings = `[{"ssrc":4444,"deep":${'['.repeat(depth)}${']'.repeat(depth)}}]`;
    const parameters = JSON.stringify(opusParameters(4444)).replace(
      '"encodings":[{"ssrc":4444}]',
      `"encodings":${encodings}`,
    );
    const payload = `{"transportId":"${transport.id}","kind":"audio","source":"microphone","rtpParameters":${parameters}}`;

    const reply = await rawPacket(chair, 'media:produce', payload);

    expect(codeOf(reply as never)).toBe('VALIDATION_FAILED');
    ok(await attestee.request('clock:sync', { clientNow: 1 }));
    ok(await chair.request('clock:sync', { clientNow: 1 }));
  });
});

describe('the same link', () => {
  it('opened in two sockets at the same moment leaves one connected seat', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const token = tokenOf(linkFor(review, 'expert'));

    const sockets = [openSocket(service, token), openSocket(service, token)];
    const outcomes = await Promise.all(
      sockets.map(
        (socket) =>
          new Promise<string>((resolve) => {
            socket.once('peer:closed', ({ reason }) => resolve(reason));
            socket.once('session:snapshot', () => {
              setTimeout(() => resolve(socket.connected ? 'seated' : 'gone'), 500);
            });
          }),
      ),
    );

    expect(outcomes.sort()).toEqual(['replaced', 'seated']);
    const seen = await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.role === 'expert' && p.connected),
    );
    expect(seen.participants.filter((p) => p.role === 'expert')).toHaveLength(1);
  });
});

describe('a live review', () => {
  it('goes on without its chair and is still cut by the clock', async () => {
    const service = await startTestService({
      review: { limitSeconds: 2, warningsSeconds: [1] },
    });
    const { review, chair, attestee } = await readyReview(service);
    ok(await chair.request('chair:start', {}));
    const ended = attestee.next('review:ended');

    chair.socket.disconnect();

    expect(await ended).toMatchObject({ reason: 'time-limit' });
    const log = await readReviewLog(service, review.review.reviewId);
    expect(log.review).toMatchObject({ state: 'ended', endReason: 'time-limit' });
    expect(log.events.map((e) => e.type).filter((t) => t === 'end')).toHaveLength(1);
  });

  it('refuses every chair action once it has ended, and its links stop working', async () => {
    const service = await startTestService();
    const { review, chair } = await readyReview(service);
    const expert = await join(service, linkFor(review, 'expert'));
    ok(await chair.request('chair:start', {}));
    const gone = new Promise((resolve) => chair.socket.once('disconnect', resolve));
    const expertGone = new Promise((resolve) =>
      expert.socket.once('disconnect', resolve),
    );
    const ends = await Promise.all([
      chair.request('chair:end', {}),
      chair.request('chair:end', {}),
    ]);
    expect(ends.map(codeOf)).toContain('ok');
    await gone;
    await expertGone;
    const { events } = await readReviewLog(service, review.review.reviewId);
    expect(events.filter((e) => e.type === 'end')).toHaveLength(1);

    const back = openSocket(service, tokenOf(linkFor(review, 'chair')));
    const refused = await new Promise<string>((resolve) => {
      back.once('connect_error', (err) =>
        resolve((err as Error & { data?: { code?: string } }).data?.code ?? '?'),
      );
      back.once('notice', ({ code }) => resolve(code));
    });
    expect(refused).toBe('REVIEW_ENDED');
  });
});
