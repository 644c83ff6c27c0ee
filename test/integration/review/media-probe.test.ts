/**
 * The pre-flight's media probe on the real service and media worker: a
 * connection waiting in the lobby may open one probe at a time, built like
 * its real transports; the probe's track never reaches a snapshot, anyone
 * else or the recorder, and does not count towards the start; the probe
 * closes when its result is read, at its deadline and with its connection.
 *
 * Media cannot flow here (nothing in the test speaks ICE and DTLS to a
 * WebRtcTransport); the browser test test/browser/preflight-probe.browser.test.ts
 * sends real video through it.
 */
import type { Router, WebRtcTransport } from 'mediasoup/types';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../../server/config/config.ts';
import type { ProbeParams } from '../../../server/signalling/protocol.ts';
import {
  createReview,
  FAKE_DTLS,
  join,
  linkFor,
  ok,
  readyReview,
  snapshotWhere,
  startTestService,
  vp8Parameters,
  type TestPeer,
  type TestService,
} from './review-harness.ts';
import { TestRecorder } from './test-recorder.ts';

const TURN_URL = 'turn:192.0.2.7:3478?transport=tcp';

function codeOf(reply: { ok: boolean; error?: { code: string } }): string {
  return reply.ok ? 'ok' : (reply.error?.code ?? '?');
}

/** The service with each review's router and recorder, as the recorder seam sees them. */
interface ProbeTestService {
  service: TestService;
  routers: Map<string, Router>;
  recorders: Map<string, TestRecorder>;
}

async function startProbeService(
  media: Partial<Config['media']> = {},
): Promise<ProbeTestService> {
  const routers = new Map<string, Router>();
  const recorders = new Map<string, TestRecorder>();
  const service = await startTestService(
    { media },
    {
      createRecorder: (reviewId, router) => {
        const recorder = new TestRecorder();
        routers.set(reviewId, router);
        recorders.set(reviewId, recorder);
        return recorder;
      },
    },
  );

  return { service, routers, recorders };
}

/** Every probe transport the review's router creates from now on, in order. */
function watchProbeTransports(
  routers: Map<string, Router>,
  reviewId: string,
): WebRtcTransport[] {
  const router = routers.get(reviewId);
  if (!router) throw new Error(`no router for review ${reviewId}`);

  const probes: WebRtcTransport[] = [];
  router.observer.on('newtransport', (transport) => {
    if (transport.appData.probeOf !== undefined)
      probes.push(transport as WebRtcTransport);
  });

  return probes;
}

/** Opens a probe, connects it and sends it a VP8 track; resolves with both ids. */
async function openAndProduce(
  peer: TestPeer,
  ssrc: number,
): Promise<{ probe: ProbeParams; producerId: string }> {
  const probe = ok(await peer.request('probe:open', {}));
  ok(
    await peer.request('probe:connect', {
      transportId: probe.id,
      dtlsParameters: FAKE_DTLS,
    }),
  );
  const { producerId } = ok(
    await peer.request('probe:produce', {
      transportId: probe.id,
      kind: 'video',
      rtpParameters: vp8Parameters(ssrc) as never,
    }),
  );

  return { probe, producerId };
}

describe('the media probe of a connection in the lobby', () => {
  it('is built like a real transport and its track reaches nobody, not even the recorder', async () => {
    const { service, routers, recorders } = await startProbeService({
      turnServers: [{ urls: TURN_URL, username: 'school', credential: 'pass' }],
    });
    const review = await createReview(service);
    const reviewId = review.review.reviewId;
    const chair = await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));
    expect(attestee.snapshot.you.seat).toBe('lobby');
    const probes = watchProbeTransports(routers, reviewId);
    const announced: string[] = [];
    chair.socket.on('producer:added', ({ producerId }) => announced.push(producerId));

    const { probe, producerId } = await openAndProduce(attestee, 5555);

    // The same ICE servers and policy as the real transports, and what a Device needs.
    expect(probe.iceServers).toEqual([
      { urls: TURN_URL, username: 'school', credential: 'pass' },
    ]);
    expect(probe.iceTransportPolicy).toBe('all');
    expect(probe.iceCandidates.map((c) => c.protocol).sort()).toEqual(['tcp', 'udp']);
    expect(probe.rtpCapabilities.codecs?.some((c) => c.mimeType === 'video/VP8')).toBe(
      true,
    );
    expect(probes.map((t) => t.id)).toEqual([probe.id]);
    expect(probes[0]?.appData.peerId).toBeUndefined();

    // The lobby still may not open real transports.
    expect(
      codeOf(await attestee.request('media:createTransport', { direction: 'send' })),
    ).toBe('NOT_ADMITTED');

    // A snapshot after the probe's producer exists shows no track anywhere.
    ok(await chair.request('chair:admit', { peerId: attestee.snapshot.you.peerId }));
    const seen = await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.role === 'attestee' && p.seat === 'admitted'),
    );
    expect(seen.participants.flatMap((p) => p.producers)).toEqual([]);
    expect(seen.recording.tracksExpected).toBe(0);
    expect(recorders.get(reviewId)?.log).toEqual([]);
    expect(announced).toEqual([]);

    // Nobody can receive it, and it is no transport of the real media.
    const recv = ok(await chair.request('media:createTransport', { direction: 'recv' }));
    const rtpCapabilities = ok(await chair.request('media:capabilities', {}));
    expect(
      codeOf(
        await chair.request('media:consume', {
          transportId: recv.id,
          producerId,
          rtpCapabilities,
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(
        await attestee.request('media:connectTransport', {
          transportId: probe.id,
          dtlsParameters: FAKE_DTLS,
        }),
      ),
    ).toBe('NOT_FOUND');

    // Nothing was sent: the server reports no path and no bytes, then closes the probe.
    const result = ok(await attestee.request('probe:result', { transportId: probe.id }));
    expect(result).toEqual({
      connected: false,
      relayed: false,
      bytesReceived: 0,
      bitrate: 0,
    });
    expect(probes[0]?.closed).toBe(true);
    expect(
      codeOf(await attestee.request('probe:result', { transportId: probe.id })),
    ).toBe('PROBE_CLOSED');
    expect(recorders.get(reviewId)?.log).toEqual([]);
  });

  it('closes itself at its deadline when its result is never read', async () => {
    const { service, routers } = await startProbeService({ probeTimeoutSeconds: 1 });
    const review = await createReview(service);
    await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));
    const probes = watchProbeTransports(routers, review.review.reviewId);

    const { probe } = await openAndProduce(attestee, 7000);
    expect(probes[0]?.closed).toBe(false);

    await expect.poll(() => probes[0]?.closed, { timeout: 10_000 }).toBe(true);
    expect(
      codeOf(await attestee.request('probe:result', { transportId: probe.id })),
    ).toBe('PROBE_CLOSED');
    // The slot is free again.
    const next = ok(await attestee.request('probe:open', {}));
    expect(next.id).not.toBe(probe.id);
  });

  it('closes with its connection: a dropped socket, a refusal by the chair', async () => {
    const { service, routers } = await startProbeService();
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));
    const expert = await join(service, linkFor(review, 'expert'));
    const probes = watchProbeTransports(routers, review.review.reviewId);
    await openAndProduce(attestee, 8000);
    await openAndProduce(expert, 8001);
    expect(probes.map((t) => t.closed)).toEqual([false, false]);

    attestee.socket.disconnect();
    await expect.poll(() => probes[0]?.closed).toBe(true);
    expect(probes[1]?.closed).toBe(false);

    ok(await chair.request('chair:refuse', { peerId: expert.snapshot.you.peerId }));
    await expect.poll(() => probes[1]?.closed).toBe(true);
  });
});

describe('the media probe of an admitted participant', () => {
  it('does not count towards the start and closes when the review ends', async () => {
    const { service, routers, recorders } = await startProbeService();
    const { review, chair, attestee, microphone } = await readyReview(service);
    const reviewId = review.review.reviewId;
    const probes = watchProbeTransports(routers, reviewId);

    await openAndProduce(attestee, 9000);
    await openAndProduce(chair, 9001);

    const snapshot = await snapshotWhere(chair, (s) => s.recording.tracksWriting === 1);
    expect(snapshot.recording.tracksExpected).toBe(1);
    expect(
      snapshot.participants.flatMap((p) => p.producers.map((t) => t.producerId)),
    ).toEqual([microphone]);
    expect(
      recorders
        .get(reviewId)
        ?.log.filter((entry) => entry.kind === 'add')
        .map((entry) => (entry.kind === 'add' ? entry.producerId : '')),
    ).toEqual([microphone]);

    // The start rule sees the microphone only, and the review starts.
    ok(await chair.request('chair:start', {}));
    const ended = attestee.next('review:ended');
    ok(await chair.request('chair:end', {}));
    await ended;

    expect(probes.map((t) => t.closed)).toEqual([true, true]);
  });
});
