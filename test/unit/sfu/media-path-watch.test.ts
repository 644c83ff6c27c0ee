import { describe, expect, it } from 'vitest';
import { MediaPathWatch } from '../../../server/sfu/media-path-watch.ts';

/** A watch on a hand-moved clock, with what it reported in order. */
function watchWithLog() {
  let now = 1_000;
  const log: unknown[] = [];
  const watch = new MediaPathWatch(() => now);
  watch.on('interrupted', (cause) => log.push(['interrupted', cause]));
  watch.on('restored', (restoration) => log.push(['restored', restoration]));

  return {
    watch,
    log,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('MediaPathWatch', () => {
  it('reports one interruption for repeated restarts, closed by the browser with its length', () => {
    const { watch, log, advance } = watchWithLog();

    watch.lost('ice-restart');
    advance(2_000);
    watch.lost('ice-restart');
    watch.iceStateChanged('disconnected');
    advance(1_500);
    watch.restored('browser');

    expect(log).toEqual([
      ['interrupted', 'ice-restart'],
      ['restored', { cause: 'ice-restart', by: 'browser', lostForMs: 3_500 }],
    ]);
    expect(watch.interrupted).toBe(false);
  });

  it('follows mediasoup ICE: disconnected is a loss, connected or completed ends it', () => {
    const { watch, log, advance } = watchWithLog();

    watch.iceStateChanged('connected');
    watch.iceStateChanged('disconnected');
    expect(watch.interrupted).toBe(true);
    advance(30_000);
    watch.iceStateChanged('completed');
    watch.iceStateChanged('disconnected');
    advance(10);
    watch.iceStateChanged('connected');

    expect(log).toEqual([
      ['interrupted', 'ice-disconnected'],
      ['restored', { cause: 'ice-disconnected', by: 'server', lostForMs: 30_000 }],
      ['interrupted', 'ice-disconnected'],
      ['restored', { cause: 'ice-disconnected', by: 'server', lostForMs: 10 }],
    ]);
  });

  it('ignores a restoration nobody lost, and everything once closed', () => {
    const { watch, log } = watchWithLog();

    watch.restored('browser');
    watch.lost('ice-restart');
    watch.close();
    watch.restored('browser');
    watch.lost('ice-disconnected');
    watch.close();

    expect(log).toEqual([['interrupted', 'ice-restart']]);
    expect(watch.interrupted).toBe(false);
  });
});
