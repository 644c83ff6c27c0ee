import { describe, expect, it } from 'vitest';
import {
  isSealFailureWorthRetrying,
  sealRetryDelayMs,
} from '../../../recording/seal-retry-schedule.ts';
import * as D from '../../../server/config/defaults.ts';
import { AppError } from '../../../server/errors.ts';

const MINUTE = 60_000;
const DEFAULT_SCHEDULE = {
  firstDelayMs: D.DEFAULT_SEAL_RETRY_FIRST_SECONDS * 1000,
  maxDelayMs: D.DEFAULT_SEAL_RETRY_MAX_SECONDS * 1000,
};

describe('sealRetryDelayMs', () => {
  it('waits a minute after the first failure, doubling up to half an hour by default', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((failures) =>
      sealRetryDelayMs(failures, DEFAULT_SCHEDULE),
    );

    expect(delays.map((ms) => ms / MINUTE)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('stays at the ceiling however long the failures go on', () => {
    expect(sealRetryDelayMs(10_000, DEFAULT_SCHEDULE)).toBe(30 * MINUTE);
  });

  it('follows a configured schedule', () => {
    const schedule = { firstDelayMs: 1000, maxDelayMs: 5000 };

    expect([1, 2, 3, 4].map((failures) => sealRetryDelayMs(failures, schedule))).toEqual([
      1000, 2000, 4000, 5000,
    ]);
  });
});

describe('isSealFailureWorthRetrying', () => {
  it.each([
    ['STORAGE_UNAVAILABLE', true],
    ['RECORDING_FAILED', true],
    ['INTERNAL', true],
    ['NOT_FOUND', false],
    ['INTEGRITY_MISMATCH', false],
  ] as const)('%s: %s', (code, worth) => {
    expect(isSealFailureWorthRetrying(new AppError(code, 'seal failed'))).toBe(worth);
  });

  it('retries failures that are not AppErrors (a crash, a disk error)', () => {
    expect(isSealFailureWorthRetrying(new Error('ENOSPC'))).toBe(true);
  });
});
