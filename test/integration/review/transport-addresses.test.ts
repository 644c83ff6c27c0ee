/**
 * What a browser is told about reaching the media server: the announced
 * address in every ICE candidate (the public address of a server behind NAT)
 * on UDP and TCP, and the configured TURN servers for strict networks. Only
 * loopback addresses are used; nothing connects to them.
 */
import { describe, expect, it } from 'vitest';
import {
  createReview,
  join,
  linkFor,
  ok,
  snapshotWhere,
  startTestService,
} from './review-harness.ts';

const ANNOUNCED_ADDRESS = '127.0.0.2';
const TURN_SERVERS = [
  { urls: 'turn:127.0.0.3:3478?transport=tcp', username: 'school', credential: 'pass' },
];

describe('transports handed to browsers', () => {
  it('announce the configured address on UDP and TCP and carry the TURN servers', async () => {
    const service = await startTestService({
      media: { announcedAddress: ANNOUNCED_ADDRESS, turnServers: TURN_SERVERS },
    });
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    await snapshotWhere(chair, (s) => s.you.seat === 'admitted');

    for (const direction of ['send', 'recv'] as const) {
      const transport = ok(await chair.request('media:createTransport', { direction }));

      expect(transport.iceCandidates.map((c) => c.address)).toEqual(
        transport.iceCandidates.map(() => ANNOUNCED_ADDRESS),
      );
      expect(transport.iceCandidates.map((c) => c.protocol).sort()).toEqual([
        'tcp',
        'udp',
      ]);
      expect(transport.iceServers).toEqual(TURN_SERVERS);
    }
  });
});
