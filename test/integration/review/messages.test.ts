/**
 * Bad input from a browser: malformed payloads get VALIDATION_FAILED,
 * messages without an acknowledgement are ignored, oversized frames cost the
 * sender its connection; none of it disturbs the room for anyone else.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../../server/signalling/protocol.ts';
import {
  join,
  linkFor,
  ok,
  readyReview,
  snapshotWhere,
  startTestService,
} from './review-harness.ts';

describe('incoming messages', () => {
  it('with malformed payloads are answered VALIDATION_FAILED', async () => {
    const service = await startTestService();
    const { chair, attestee } = await readyReview(service);
    const raw = chair.socket.emit.bind(chair.socket) as (...args: unknown[]) => void;
    const send = (event: string, payload: unknown) =>
      new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
        raw(event, payload, resolve),
      );

    for (const [event, payload] of [
      ['media:createTransport', { direction: 'sideways' }],
      ['media:createTransport', null],
      ['media:createTransport', 'send'],
      ['chair:admit', { peerId: 42 }],
      ['chair:admit', { peerId: 'x'.repeat(1000) }],
      ['clock:sync', { clientNow: 'now' }],
      ['consent:give', { consent: false }],
      [
        'media:consume',
        { transportId: 't', producerId: 'p', rtpCapabilities: { codecs: 'all' } },
      ],
      ['probe:open', null],
      ['probe:open', 'now'],
      ['probe:connect', { transportId: 't' }],
      ['probe:connect', { transportId: 't', dtlsParameters: { fingerprints: [] } }],
      ['probe:produce', { transportId: 't', kind: 'video' }],
      [
        'probe:produce',
        { transportId: 't', kind: 'audio', rtpParameters: { codecs: [] } },
      ],
      ['probe:result', {}],
      ['probe:result', { transportId: 42 }],
    ] as const) {
      const reply = await send(event, payload);
      expect(reply.error?.code, `${event} ${JSON.stringify(payload)}`).toBe(
        'VALIDATION_FAILED',
      );
    }

    // RTP parameters that pass the schema but not mediasoup are still the caller's fault.
    const transport = ok(
      await attestee.request('media:createTransport', { direction: 'send' }),
    );
    const produced = await attestee.request('media:produce', {
      transportId: transport.id,
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/none', payloadType: 100, clockRate: 1 }],
      } as never,
      source: 'camera',
    });
    expect(produced.ok ? 'ok' : produced.error.code).toBe('VALIDATION_FAILED');

    const sync = ok(await chair.request('clock:sync', { clientNow: 5 }));
    expect(sync.clientNow).toBe(5);
  });

  it('without an acknowledgement function are ignored and the room goes on', async () => {
    const service = await startTestService();
    const { review, chair } = await readyReview(service);
    const expert = await join(service, linkFor(review, 'expert'));
    const raw = chair.socket.emit.bind(chair.socket) as (...args: unknown[]) => void;

    raw('chair:admit', { peerId: expert.snapshot.you.peerId });
    raw('chair:start');
    raw('no-such-event', { x: 1 });

    ok(await chair.request('clock:sync', { clientNow: 1 }));
    expect(expert.snapshot.you.seat).toBe('lobby');
  });

  it('above the size limit close only the sender, whose seat can be taken back', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);
    const dropped = new Promise((resolve) => attestee.socket.once('disconnect', resolve));
    const raw = attestee.socket.emit.bind(attestee.socket) as (
      ...args: unknown[]
    ) => void;

    raw(
      'clock:sync',
      { clientNow: 1, padding: 'x'.repeat(MAX_MESSAGE_BYTES * 2) },
      () => {
        throw new Error('an oversized message was answered');
      },
    );

    await dropped;
    await snapshotWhere(chair, (s) =>
      s.participants.some((p) => p.role === 'attestee' && !p.connected),
    );
    ok(await chair.request('clock:sync', { clientNow: 2 }));

    const back = await join(service, linkFor(review, 'attestee'));
    expect(back.snapshot.you.seat).toBe('admitted');
  });
});
