import { describe, expect, it } from 'vitest';
import { SealQueue } from '../../../recording/seal-queue.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('SealQueue', () => {
  it('runs no more jobs at once than its concurrency', async () => {
    const queue = new SealQueue(1);
    const first = deferred();
    const started: string[] = [];

    const a = queue.push('a', async () => {
      started.push('a');
      await first.promise;
    });
    const b = queue.push('b', async () => {
      started.push('b');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(started).toEqual(['a']);
    first.resolve();
    await Promise.all([a, b]);
    expect(started).toEqual(['a', 'b']);
  });

  it('joins a second request for a review already queued instead of sealing twice', async () => {
    const queue = new SealQueue(1);
    let runs = 0;
    const job = async () => {
      runs++;
    };

    const first = queue.push('a', job);
    const second = queue.push('a', job);
    await Promise.all([first, second]);

    expect(second).toBe(first);
    expect(runs).toBe(1);
  });

  it('refuses new work when full or closed', async () => {
    const queue = new SealQueue(1, 1);
    const hold = deferred();
    const running = queue.push('a', () => hold.promise);

    await expect(queue.push('b', async () => undefined)).rejects.toMatchObject({
      code: 'RECORDING_FAILED',
    });
    queue.close();
    await expect(queue.push('c', async () => undefined)).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    hold.resolve();
    await running;
  });
});
