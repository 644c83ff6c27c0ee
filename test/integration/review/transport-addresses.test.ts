/**
 * What a browser is told about reaching the media server: the announced
 * address in every ICE candidate (the public address of a server behind NAT)
 * on UDP and TCP, and the configured TURN servers for strict networks (with
 * fixed credentials, or one minted per connection from a shared secret). Only
 * loopback addresses are used; nothing connects to them.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TURN_CREDENTIAL_TTL_SECONDS } from '../../../server/config/defaults.ts';
import {
  createReview,
  join,
  linkFor,
  ok,
  snapshotWhere,
  startTestService,
} from './review-harness.ts';

const ANNOUNCED_ADDRESS = '127.0.0.2';
const TURN_SECRET = 'shared-with-the-turn-server';
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
      expect(transport.iceTransportPolicy).toBe('all');
    }
  });

  it('mint each connection its own expiring TURN credential from a shared secret', async () => {
    const service = await startTestService({
      media: {
        turnServers: [
          { urls: ['turn:127.0.0.3:3478?transport=udp'], secret: TURN_SECRET },
          { urls: 'stun:127.0.0.3:3478' },
        ],
        iceTransportPolicy: 'relay',
      },
    });
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const { you } = await snapshotWhere(chair, (s) => s.you.seat === 'admitted');

    const before = Math.floor(Date.now() / 1000);
    const transport = ok(
      await chair.request('media:createTransport', { direction: 'send' }),
    );
    const after = Math.floor(Date.now() / 1000);

    expect(transport.iceTransportPolicy).toBe('relay');
    const [turn, stun] = transport.iceServers;
    expect(stun).toEqual({ urls: 'stun:127.0.0.3:3478' });
    expect(turn?.urls).toEqual(['turn:127.0.0.3:3478?transport=udp']);
    const [expiry, label] = (turn?.username ?? '').split(':');
    expect(label).toBe(you.peerId);
    expect(Number(expiry)).toBeGreaterThanOrEqual(
      before + DEFAULT_TURN_CREDENTIAL_TTL_SECONDS,
    );
    expect(Number(expiry)).toBeLessThanOrEqual(
      after + DEFAULT_TURN_CREDENTIAL_TTL_SECONDS,
    );
    // The password coturn derives from the same secret (its use-auth-secret).
    expect(turn?.credential).toBe(
      createHmac('sha1', TURN_SECRET)
        .update(turn?.username ?? '')
        .digest('base64'),
    );
    expect(JSON.stringify(transport)).not.toContain(TURN_SECRET);
  });
});
