import { afterEach, describe, expect, it, vi } from 'vitest';
import { SealRetrier } from '../../../recording/seal-retrier.ts';
import { AppError } from '../../../server/errors.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';

const schedule = { firstDelayMs: 1000, maxDelayMs: 4000 };

/** A seal attempt that fails `failures` times with `error`, then succeeds. */
function attemptFailing(failures: number, error: () => Error = () => new Error('crash')) {
  const attempts: number[] = [];
  const attempt = async () => {
    attempts.push(Date.now());
    if (attempts.length <= failures) throw error();
  };

  return { attempt, attempts };
}

describe('SealRetrier', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries again after pauses that double up to the ceiling, until the seal succeeds', async () => {
    vi.useFakeTimers({ now: 0 });
    const retrier = new SealRetrier({ schedule, logger: createSilentLogger() });
    const { attempt, attempts } = attemptFailing(4);

    const sealed = retrier.run('rev-1', attempt);
    await vi.runAllTimersAsync();
    await sealed;

    // Pauses of 1, 2, 4 and 4 (the ceiling) seconds between the five attempts.
    expect(attempts).toEqual([0, 1000, 3000, 7000, 11000]);
    expect(retrier.waiting).toBe(0);
  });

  it('joins a second request for a review being sealed', async () => {
    vi.useFakeTimers();
    const retrier = new SealRetrier({ schedule, logger: createSilentLogger() });
    const { attempt, attempts } = attemptFailing(1);

    const first = retrier.run('rev-1', attempt);
    const second = retrier.run('rev-1', attempt);
    await vi.runAllTimersAsync();
    await Promise.all([first, second]);

    expect(second).toBe(first);
    expect(attempts).toHaveLength(2);
  });

  it('does not retry a failure that waiting cannot mend', async () => {
    vi.useFakeTimers();
    const retrier = new SealRetrier({ schedule, logger: createSilentLogger() });
    const { attempt, attempts } = attemptFailing(
      1,
      () => new AppError('INTEGRITY_MISMATCH', 'segment does not match its hash'),
    );

    await expect(retrier.run('rev-1', attempt)).rejects.toMatchObject({
      code: 'INTEGRITY_MISMATCH',
    });
    expect(attempts).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancels the pause of a waiting seal on close, which then ends with its failure', async () => {
    vi.useFakeTimers();
    const retrier = new SealRetrier({ schedule, logger: createSilentLogger() });
    const { attempt, attempts } = attemptFailing(
      10,
      () => new Error('composite crashed'),
    );

    const sealed = retrier.run('rev-1', attempt);
    const outcome = sealed.catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(0);
    expect(retrier.waiting).toBe(1);
    expect(vi.getTimerCount()).toBe(1);

    retrier.close('shutdown');
    retrier.close('shutdown again');

    expect(await outcome).toMatchObject({ message: 'composite crashed' });
    expect(vi.getTimerCount()).toBe(0);
    expect(retrier.waiting).toBe(0);
    expect(attempts).toHaveLength(1);
  });

  it('stops retrying an attempt that fails while it closes, and retries nothing after', async () => {
    vi.useFakeTimers();
    const retrier = new SealRetrier({ schedule, logger: createSilentLogger() });
    let fail!: (err: Error) => void;
    const running = retrier.run(
      'rev-1',
      () => new Promise<void>((_, reject) => (fail = reject)),
    );
    await vi.advanceTimersByTimeAsync(0);

    retrier.close('shutdown');
    fail(new Error('aborted by the shutdown'));

    await expect(running).rejects.toThrow('aborted by the shutdown');
    expect(vi.getTimerCount()).toBe(0);
    const { attempt, attempts } = attemptFailing(1);
    await expect(retrier.run('rev-2', attempt)).rejects.toThrow('crash');
    expect(attempts).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
