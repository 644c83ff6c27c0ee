import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReviewClock } from '../../../server/review/review-clock.ts';

const LIMIT_SECONDS = 30 * 60;
const WARNINGS = [5 * 60, 60, 30];

function clockWithLog() {
  const log: string[] = [];
  const clock = new ReviewClock({
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: WARNINGS,
    onWarning: (secondsLeft) => log.push(`warning ${secondsLeft}`),
    onLimit: () => log.push('limit'),
  });

  return { clock, log };
}

describe('ReviewClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-02T05:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('warns at 5 min, 1 min and 30 s left, then reaches the limit at 30 min', () => {
    const { clock, log } = clockWithLog();
    clock.start();

    vi.advanceTimersByTime(25 * 60 * 1000 - 1);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['warning 300']);
    vi.advanceTimersByTime(4 * 60 * 1000);
    expect(log).toEqual(['warning 300', 'warning 60']);
    vi.advanceTimersByTime(30 * 1000);
    expect(log).toEqual(['warning 300', 'warning 60', 'warning 30']);
    vi.advanceTimersByTime(30 * 1000 - 1);
    expect(log).not.toContain('limit');
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['warning 300', 'warning 60', 'warning 30', 'limit']);
  });

  it('reports the end time from its start', () => {
    const { clock } = clockWithLog();
    expect(clock.endsAt).toBeUndefined();

    clock.start();
    expect(clock.endsAt).toBe(Date.now() + LIMIT_SECONDS * 1000);
  });

  it('fires nothing after stop()', () => {
    const { clock, log } = clockWithLog();
    clock.start();
    vi.advanceTimersByTime(26 * 60 * 1000);
    clock.stop();

    vi.advanceTimersByTime(10 * 60 * 1000);
    expect(log).toEqual(['warning 300']);
  });

  it('skips warnings already passed when resuming and still cuts on time', () => {
    const { clock, log } = clockWithLog();
    clock.start(Date.now() - (28 * 60 + 45) * 1000);

    vi.advanceTimersByTime(15 * 1000 - 1);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['warning 60']);
    vi.advanceTimersByTime(60 * 1000);
    expect(log).toEqual(['warning 60', 'warning 30', 'limit']);
  });

  it('reaches the limit at once when resumed after it passed', () => {
    const { clock, log } = clockWithLog();
    clock.start(Date.now() - 31 * 60 * 1000);

    vi.advanceTimersByTime(0);
    expect(log).toEqual(['limit']);
  });

  it('fires everything already due when its timer runs late', () => {
    let now = Date.now();
    const log: string[] = [];
    const clock = new ReviewClock({
      limitSeconds: LIMIT_SECONDS,
      warningsSeconds: WARNINGS,
      now: () => now,
      onWarning: (secondsLeft) => log.push(`warning ${secondsLeft}`),
      onLimit: () => log.push('limit'),
    });
    clock.start();

    // The first timer (due at 25:00) runs only at 29:40, as after a blocked event loop.
    now += (29 * 60 + 40) * 1000;
    vi.advanceTimersByTime(25 * 60 * 1000);
    expect(log).toEqual(['warning 300', 'warning 60', 'warning 30']);

    now += 20 * 1000;
    vi.advanceTimersByTime(20 * 1000);
    expect(log).toEqual(['warning 300', 'warning 60', 'warning 30', 'limit']);
  });

  it('starts only once', () => {
    const { clock, log } = clockWithLog();
    clock.start();
    const endsAt = clock.endsAt;
    vi.advanceTimersByTime(1000);
    clock.start();

    expect(clock.endsAt).toBe(endsAt);
    vi.advanceTimersByTime(LIMIT_SECONDS * 1000);
    expect(log.filter((entry) => entry === 'limit')).toHaveLength(1);
  });
});
