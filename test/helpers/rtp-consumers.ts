/**
 * Test media out of a router: consumers on one PlainTransport that send the
 * producers' RTP to a UDP port of the caller, who reads it as a peer would.
 * Used by integration tests and benchmark scripts alike (no vitest imports).
 */
import type { Consumer, Producer, Router } from 'mediasoup/types';

/** Consumers delivering to a local UDP port. */
export interface RtpConsumers {
  /** One consumer a producer, in the producers' order. */
  consumers: Consumer[];
  /** Closes the transport (and so the consumers). Idempotent. */
  close(): void;
}

/** Consumes `producers` from `router` into RTP sent to 127.0.0.1:`port` (RTCP multiplexed). */
export async function consumeToUdpPort(
  router: Router,
  producers: Producer[],
  port: number,
): Promise<RtpConsumers> {
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
  });
  const consumers: Consumer[] = [];

  try {
    await transport.connect({ ip: '127.0.0.1', port });
    for (const producer of producers) {
      // Paused first and then resumed, as the server does for browsers.
      const consumer = await transport.consume({
        producerId: producer.id,
        rtpCapabilities: router.rtpCapabilities,
        paused: true,
      });
      await consumer.resume();
      consumers.push(consumer);
    }
  } catch (err) {
    transport.close();
    throw err;
  }

  return { consumers, close: () => transport.close() };
}
