/**
 * Real media through a review's router without a browser: ffmpeg plays a
 * synthetic participant (VP8 test pattern + opus tone) over RTP into
 * PlainTransport producers on the router the service opened for the review,
 * and consumers on a PlainTransport deliver it to a UDP socket of the test.
 *
 * The router is reached through the recorder seam (`createRecorder(reviewId,
 * router)`), the same way the recording service reaches it.
 */
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { Consumer, Producer, Router } from 'mediasoup/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import { consumeToUdpPort } from '../../helpers/rtp-consumers.ts';
import { startRtpTestSource } from '../../helpers/rtp-source.ts';
import {
  createReview,
  join,
  linkFor,
  ok,
  readyReview,
  startTestService,
  type TestService,
} from './review-harness.ts';
import { TestRecorder } from './test-recorder.ts';

/** Enough packets to be sure media flows, few enough to arrive within seconds. */
const ENOUGH_PACKETS = 25;
const MEDIA_TIMEOUT_MS = 30_000;

describe('plain RTP media in a review room', () => {
  it('delivers ffmpeg VP8 and opus from PlainTransport producers to consumers on the review router', async () => {
    const { service, routers } = await startServiceWithRouters();
    const review = await createReview(service);
    await join(service, linkFor(review, 'chair'));
    const router = routerOf(routers, review.review.reviewId);

    const source = await startRtpTestSource(router);
    onTestFinished(() => source.close());
    const sink = await startRtpSink(router, [source.video, source.audio]);

    for (const consumer of sink.consumers) {
      const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc ?? -1;
      await expect
        .poll(() => sink.streams.get(ssrc)?.packets ?? 0, { timeout: MEDIA_TIMEOUT_MS })
        .toBeGreaterThanOrEqual(ENOUGH_PACKETS);
      // The stream carries the codec the consumer announced, not something else.
      expect([...(sink.streams.get(ssrc)?.payloadTypes ?? [])]).toEqual([
        consumer.rtpParameters.codecs[0]?.payloadType,
      ]);
    }

    for (const consumer of sink.consumers) {
      const before = await sentCounts(consumer);
      expect(before.packetCount).toBeGreaterThan(0);
      await expect
        .poll(async () => (await sentCounts(consumer)).byteCount, {
          timeout: MEDIA_TIMEOUT_MS,
        })
        .toBeGreaterThan(before.byteCount);
      await expect
        .poll(async () => (await sentCounts(consumer)).packetCount, {
          timeout: MEDIA_TIMEOUT_MS,
        })
        .toBeGreaterThan(before.packetCount);
    }
  });

  it('closes plain producers and consumers on the router when the chair ends the review', async () => {
    const { service, routers } = await startServiceWithRouters();
    const ready = await readyReview(service);
    const router = routerOf(routers, ready.review.review.reviewId);
    const source = await startRtpTestSource(router);
    onTestFinished(() => source.close());
    const sink = await startRtpSink(router, [source.video]);
    const [consumer] = sink.consumers;
    await expect
      .poll(async () => (consumer ? (await sentCounts(consumer)).packetCount : 0), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBeGreaterThan(0);

    ok(await ready.chair.request('chair:start', {}));
    const ended = ready.attestee.next('review:ended');
    ok(await ready.chair.request('chair:end', {}));
    expect((await ended).reason).toBe('chair');

    expect(router.closed).toBe(true);
    expect(source.video.closed).toBe(true);
    expect(consumer?.closed).toBe(true);
  });
});

/** The test service, remembering each review's router as the recorder factory sees it. */
async function startServiceWithRouters(): Promise<{
  service: TestService;
  routers: Map<string, Router>;
}> {
  const routers = new Map<string, Router>();
  const service = await startTestService(
    {},
    {
      createRecorder: (reviewId, router) => {
        routers.set(reviewId, router);
        return new TestRecorder();
      },
    },
  );

  return { service, routers };
}

function routerOf(routers: Map<string, Router>, reviewId: string): Router {
  const router = routers.get(reviewId);
  if (!router) throw new Error(`no router opened for review ${reviewId}`);

  return router;
}

/** A UDP socket fed by consumers on one PlainTransport, counting RTP packets by SSRC. */
interface RtpSink {
  consumers: Consumer[];
  streams: Map<number, { packets: number; payloadTypes: Set<number> }>;
}

async function startRtpSink(router: Router, producers: Producer[]): Promise<RtpSink> {
  const socket = dgram.createSocket('udp4');
  onTestFinished(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));

  const streams: RtpSink['streams'] = new Map();
  socket.on('message', (packet) => {
    // RFC 5761: with RTCP multiplexed, a second byte of 192-223 is RTCP, not media.
    const secondByte = packet[1] ?? 0;
    if (packet.length < 12 || (secondByte >= 192 && secondByte <= 223)) return;

    // mediasoup also sends its own bandwidth probation stream; each SSRC is kept apart.
    const ssrc = packet.readUInt32BE(8);
    const stream = streams.get(ssrc) ?? { packets: 0, payloadTypes: new Set() };
    stream.packets += 1;
    stream.payloadTypes.add(secondByte & 0x7f);
    streams.set(ssrc, stream);
  });

  const port = (socket.address() as AddressInfo).port;
  const delivery = await consumeToUdpPort(router, producers, port);
  onTestFinished(() => delivery.close());

  return { consumers: delivery.consumers, streams };
}

/** What a consumer has sent so far, from mediasoup's own stats. */
async function sentCounts(
  consumer: Consumer,
): Promise<{ byteCount: number; packetCount: number }> {
  const stats = await consumer.getStats();
  const outbound = stats.find((s) => s.type === 'outbound-rtp');

  return {
    byteCount: outbound?.byteCount ?? 0,
    packetCount: outbound?.packetCount ?? 0,
  };
}
