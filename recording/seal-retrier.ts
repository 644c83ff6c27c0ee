/**
 * Keeps trying the seal of a review until it succeeds, pausing between
 * attempts as seal-retry-schedule.ts says, so a seal that failed once does
 * not wait for the next start of the service. Each attempt is the whole seal
 * again: sealing is idempotent (a sealed recording is left as it is, and an
 * attempt starts from the segments S3 holds).
 *
 * The retrier owns the pauses' timers: close() cancels them, and the seals
 * that were waiting end with their last failure, left for the next start.
 */
import type { Logger } from '../server/log/logger.ts';
import {
  isSealFailureWorthRetrying,
  sealRetryDelayMs,
  type SealRetrySchedule,
} from './seal-retry-schedule.ts';

/** Options of the retrier. */
export interface SealRetrierOptions {
  schedule: SealRetrySchedule;
  logger: Logger;
}

/** A pause between two attempts; `end(true)` when it is over, `end(false)` when cancelled. */
interface Pause {
  timer: NodeJS.Timeout;
  end: (elapsed: boolean) => void;
}

/** Runs seal attempts until one succeeds, at most one chain per review. */
export class SealRetrier {
  readonly #options: SealRetrierOptions;
  readonly #chains = new Map<string, Promise<void>>();
  readonly #pauses = new Map<string, Pause>();
  #closed = false;

  constructor(options: SealRetrierOptions) {
    this.#options = options;
  }

  /** The chain of attempts running for `reviewId`, if any. */
  chainOf(reviewId: string): Promise<void> | undefined {
    return this.#chains.get(reviewId);
  }

  /** Seals waiting for their next attempt. */
  get waiting(): number {
    return this.#pauses.size;
  }

  /**
   * Runs `attempt` until it resolves; resolves then. Rejects with the last
   * failure when it cannot be mended by waiting or the retrier closes. A
   * second call for a review whose chain runs joins it; after close() a call
   * makes one attempt, without retries.
   */
  run(reviewId: string, attempt: () => Promise<void>): Promise<void> {
    const running = this.#chains.get(reviewId);
    if (running) return running;
    if (this.#closed) return attempt();

    const chain = this.#attemptUntilSealed(reviewId, attempt).finally(() =>
      this.#chains.delete(reviewId),
    );
    this.#chains.set(reviewId, chain);

    return chain;
  }

  async #attemptUntilSealed(
    reviewId: string,
    attempt: () => Promise<void>,
  ): Promise<void> {
    const log = this.#options.logger.child({ reviewId, recordingId: reviewId });

    for (let failures = 0; ;) {
      try {
        await attempt();
        if (failures > 0) log.info({ failures }, 'seal succeeded after retries');
        return;
      } catch (err) {
        failures++;
        if (this.#closed) throw err;
        if (!isSealFailureWorthRetrying(err)) {
          log.error(
            { err, failures },
            'seal failed in a way waiting cannot mend; not retried until the next start',
          );
          throw err;
        }

        const retryInMs = sealRetryDelayMs(failures, this.#options.schedule);
        log.error({ err, failures, retryInMs }, 'seal failed; it will be tried again');
        if (!(await this.#pause(reviewId, retryInMs))) throw err;
      }
    }
  }

  /** Resolves true after `ms`, or false as soon as the retrier closes. */
  #pause(reviewId: string, ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const end = (elapsed: boolean): void => {
        clearTimeout(timer);
        this.#pauses.delete(reviewId);
        resolve(elapsed);
      };
      const timer = setTimeout(() => end(true), ms);
      this.#pauses.set(reviewId, { timer, end });
    });
  }

  /**
   * Cancels every pause (their seals end with their last failure, for the
   * next start) and stops retrying attempts that fail from now on. Idempotent.
   */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;

    const cancelled = [...this.#pauses.values()];
    for (const pause of cancelled) pause.end(false);
    if (cancelled.length > 0) {
      this.#options.logger.info(
        { reason, cancelled: cancelled.length },
        'seal retries cancelled; the next start seals those recordings',
      );
    }
  }
}
