/**
 * Sealing jobs, run at most `concurrency` at a time (a composite is a long
 * ffmpeg encode) and at most once per review at a time: asking again for a
 * review already queued returns the same promise.
 */
import { AppError } from '../server/errors.ts';

/** A bounded FIFO of per-review jobs. */
export class SealQueue {
  readonly #concurrency: number;
  readonly #maxQueued: number;
  readonly #jobs = new Map<string, Promise<void>>();
  readonly #waiting: (() => void)[] = [];
  #running = 0;
  #closed = false;

  constructor(concurrency: number, maxQueued = 1000) {
    this.#concurrency = Math.max(1, concurrency);
    this.#maxQueued = maxQueued;
  }

  /** Reviews queued or being sealed. */
  get size(): number {
    return this.#jobs.size;
  }

  /** Runs `job` for `reviewId` when a slot is free; joins a job already queued. */
  push(reviewId: string, job: () => Promise<void>): Promise<void> {
    const existing = this.#jobs.get(reviewId);
    if (existing) return existing;
    if (this.#closed) {
      return Promise.reject(new AppError('INVALID_STATE', 'Seal queue is closed'));
    }
    if (this.#jobs.size >= this.#maxQueued) {
      return Promise.reject(
        new AppError('RECORDING_FAILED', 'Seal queue is full', { details: { reviewId } }),
      );
    }

    const promise = this.#acquire()
      .then(job)
      .finally(() => {
        this.#jobs.delete(reviewId);
        this.#release();
      });
    this.#jobs.set(reviewId, promise);

    return promise;
  }

  /** Resolves once every job queued or running now has finished, either way. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#jobs.values()]);
  }

  /** Refuses new jobs; jobs already queued still run. Idempotent. */
  close(): void {
    this.#closed = true;
  }

  async #acquire(): Promise<void> {
    if (this.#running < this.#concurrency) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }
}
