/**
 * When a failed seal is tried again, and whether it is at all. A seal fails
 * for reasons that pass (S3 away or refusing a put, the composite's ffmpeg
 * killed or out of disk), so the running service tries again: soon at first,
 * then with pauses that double up to a ceiling, because a service runs for
 * weeks and an outage may last days. A few failures no pause can mend stop
 * the retries; the next start of the service tries once more.
 */
import { AppError, type ErrorCode } from '../server/errors.ts';

/** The pauses between attempts of a failing seal. */
export interface SealRetrySchedule {
  /** Pause after the first failure. */
  firstDelayMs: number;
  /** The longest pause. */
  maxDelayMs: number;
}

/**
 * Failures of a seal that waiting does not change: the recording is gone
 * (NOT_FOUND also when S3 has lost one of its segments), or a stored segment
 * does not match the hash taken when it was captured.
 */
const UNMENDABLE: ReadonlySet<ErrorCode> = new Set(['NOT_FOUND', 'INTEGRITY_MISMATCH']);

/** Doubling past this would only be capped: it keeps 2^n a finite number. */
const MAX_DOUBLINGS = 32;

/** The pause before the next attempt after `failures` (1 or more) failures in a row. */
export function sealRetryDelayMs(failures: number, schedule: SealRetrySchedule): number {
  const doublings = Math.min(Math.max(0, failures - 1), MAX_DOUBLINGS);

  return Math.min(schedule.firstDelayMs * 2 ** doublings, schedule.maxDelayMs);
}

/** Whether a seal that failed with `err` may succeed if tried again later. */
export function isSealFailureWorthRetrying(err: unknown): boolean {
  return !(err instanceof AppError && UNMENDABLE.has(err.code));
}
