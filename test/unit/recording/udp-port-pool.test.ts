import dgram from 'node:dgram';
import { describe, expect, it, onTestFinished } from 'vitest';
import { UdpPortPool, readBoundUdpPorts } from '../../../recording/udp-port-pool.ts';

describe('UdpPortPool', () => {
  it('hands out distinct even RTP ports with the RTCP port next to them', () => {
    const pool = new UdpPortPool({
      minPort: 41000,
      maxPort: 41009,
      boundPorts: () => new Set(),
      randomStart: false,
    });

    const pairs = [pool.acquire(), pool.acquire(), pool.acquire()];

    expect(pairs.map((p) => p.rtpPort)).toEqual([41000, 41002, 41004]);
    expect(pairs.every((p) => p.rtcpPort === p.rtpPort + 1)).toBe(true);
  });

  it('skips pairs where another process bound either port', () => {
    const pool = new UdpPortPool({
      minPort: 41000,
      maxPort: 41009,
      boundPorts: () => new Set([41000, 41003]),
      randomStart: false,
    });

    expect(pool.acquire().rtpPort).toBe(41004);
  });

  it('refuses with MEDIA_UNAVAILABLE when every pair is held, and reuses a released pair', () => {
    const pool = new UdpPortPool({
      minPort: 41000,
      maxPort: 41003,
      boundPorts: () => new Set(),
      randomStart: false,
    });
    const first = pool.acquire();
    pool.acquire();

    expect(() => pool.acquire()).toThrow(
      expect.objectContaining({ code: 'MEDIA_UNAVAILABLE' }),
    );

    first.release();
    first.release();
    expect(pool.heldPairs).toBe(1);
    expect(pool.acquire().rtpPort).toBe(41000);
  });

  it('starts at a random pair so two processes rarely pick the same one', () => {
    const firsts = new Set(
      Array.from(
        { length: 20 },
        () =>
          new UdpPortPool({
            minPort: 41000,
            maxPort: 41999,
            boundPorts: () => new Set(),
          }).acquire().rtpPort,
      ),
    );

    expect(firsts.size).toBeGreaterThan(1);
    expect(
      [...firsts].every((port) => port % 2 === 0 && port >= 41000 && port < 41999),
    ).toBe(true);
  });

  it('reads a port bound by a real socket from the kernel table', async () => {
    const socket = dgram.createSocket('udp4');
    onTestFinished(() => {
      socket.close();
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));

    expect(readBoundUdpPorts().has(socket.address().port)).toBe(true);
  });
});
