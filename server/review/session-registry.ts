/**
 * The live sessions of this host, one per review. Opening goes through a map
 * of promises, so joins racing for the same review share one room (one
 * router) instead of each creating their own.
 */
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { Room } from '../sfu/room.ts';
import type { TransportSettings } from '../sfu/transport-options.ts';
import type { WorkerPool } from '../sfu/worker-pool.ts';
import type { RecorderFactory } from './recorder-port.ts';
import type { ClockTimers } from './review-clock.ts';
import { ReviewSession } from './review-session.ts';
import type { ReviewStore } from './review-store.ts';

/** What the registry needs to open sessions. */
export interface SessionRegistryOptions {
  store: ReviewStore;
  pool: WorkerPool;
  transportSettings: TransportSettings;
  createRecorder: RecorderFactory;
  limitSeconds: number;
  warningsSeconds: readonly number[];
  logger: Logger;
  /**
   * A review ended with no session open (cancelled after a restart, say):
   * whatever was recorded of it before is sealed here.
   */
  onEndedWithoutSession?: (reviewId: string) => void;
  now?: () => number;
  timers?: ClockTimers;
}

/** Owner of every live ReviewSession on this host. */
export class SessionRegistry {
  readonly #options: SessionRegistryOptions;
  readonly #log: Logger;
  readonly #sessions = new Map<string, Promise<ReviewSession>>();
  #closing: Promise<void> | undefined;

  constructor(options: SessionRegistryOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'sessions' });
  }

  /** Number of sessions open or opening. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Connected people across all sessions, by role (for metrics). */
  async connectedByRole(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    const opened = await Promise.allSettled(this.#sessions.values());
    for (const result of opened) {
      if (result.status !== 'fulfilled') continue;
      for (const role of result.value.connectedRoles()) {
        counts.set(role, (counts.get(role) ?? 0) + 1);
      }
    }

    return counts;
  }

  /** The review's session, opened (room and recorder created) on first use. */
  open(reviewId: string): Promise<ReviewSession> {
    if (this.#closing) {
      return Promise.reject(
        new AppError('MEDIA_UNAVAILABLE', 'The server is shutting down'),
      );
    }

    const existing = this.#sessions.get(reviewId);
    if (existing) return existing;

    const opening = this.#create(reviewId);
    this.#sessions.set(reviewId, opening);
    const forget = () => {
      if (this.#sessions.get(reviewId) === opening) this.#sessions.delete(reviewId);
    };
    opening.then(
      (session) => session.once('closed', forget),
      (err: unknown) => {
        this.#log.warn({ err, reviewId }, 'review session could not open');
        forget();
      },
    );

    return opening;
  }

  /** The review's open session, if there is one. */
  async find(reviewId: string): Promise<ReviewSession | undefined> {
    return this.#sessions.get(reviewId);
  }

  /**
   * Operator: cancels a review that has not started, whether people are
   * waiting in it (their session ends with the reason) or nobody has joined
   * yet (only the stored review changes). Cancelling again is harmless.
   */
  async cancel(reviewId: string): Promise<void> {
    const { store } = this.#options;
    const review = await store.getReview(reviewId);
    if (!review) throw new AppError('NOT_FOUND', 'No such review');
    if (review.state === 'cancelled') return;
    if (review.state === 'live' || review.state === 'ended') {
      throw new AppError(
        'INVALID_STATE',
        `A review that is ${review.state} cannot be cancelled`,
      );
    }

    const open = await this.#openSession(reviewId);
    if (open) {
      await open.cancel();
      return;
    }

    const at = new Date(this.#options.now?.() ?? Date.now()).toISOString();
    await store.changeState(reviewId, {
      state: 'cancelled',
      endedAt: at,
      endReason: 'cancelled',
    });
    await store.appendEvent(reviewId, { at, type: 'end', data: { reason: 'cancelled' } });
    this.#log.info({ reviewId }, 'review cancelled with no session open');
    this.#options.onEndedWithoutSession?.(reviewId);

    // A join that read the review just before the change may have opened a
    // session on the old state: it is cancelled too, so nobody stays seated.
    await (await this.#openSession(reviewId))?.cancel();
  }

  /**
   * At start: opens the session of every review left live by a process that
   * stopped without ending it, so its clock runs again from its start and
   * ends it at the limit (at once, if that has passed) whether or not anyone
   * comes back; people who do rejoin their seats.
   */
  async resumeLiveReviews(): Promise<void> {
    const live = await this.#options.store.reviewIdsIn('live');
    for (const reviewId of live) {
      this.#log.warn({ reviewId }, 'review found live at start; its clock resumes');
      // A session that cannot open was logged by open().
      await this.open(reviewId).catch(() => undefined);
    }
  }

  /** Ends live reviews and closes every session. Idempotent. */
  close(reason: string): Promise<void> {
    this.#closing ??= (async () => {
      const pending = [...this.#sessions.values()];
      this.#log.info({ reason, sessions: pending.length }, 'closing review sessions');
      const results = await Promise.allSettled(
        pending.map(async (opening) => (await opening).close(reason)),
      );
      for (const result of results) {
        // A session that never opened was logged when it failed.
        if (result.status === 'rejected')
          this.#log.debug({ err: result.reason }, 'session that never opened: skipped');
      }
    })();

    return this.#closing;
  }

  /** The review's session if one is open or opening; one that fails to open counts as none. */
  async #openSession(reviewId: string): Promise<ReviewSession | undefined> {
    const opening = this.#sessions.get(reviewId);
    if (!opening) return undefined;

    try {
      return await opening;
    } catch {
      return undefined;
    }
  }

  async #create(reviewId: string): Promise<ReviewSession> {
    const options = this.#options;
    const review = await options.store.getReview(reviewId);
    if (!review) throw new AppError('NOT_FOUND', 'No such review');
    if (review.state === 'ended' || review.state === 'cancelled') {
      throw new AppError('REVIEW_ENDED', 'This review has ended');
    }

    const room = await Room.open({
      reviewId,
      pool: options.pool,
      settings: options.transportSettings,
      logger: options.logger,
    });
    try {
      const recorder = options.createRecorder(reviewId, room.router);

      return new ReviewSession({
        review,
        room,
        recorder,
        store: options.store,
        limitSeconds: options.limitSeconds,
        warningsSeconds: options.warningsSeconds,
        browserIce: options.transportSettings.browserIce,
        logger: options.logger,
        ...(options.now ? { now: options.now } : {}),
        ...(options.timers ? { timers: options.timers } : {}),
      });
    } catch (err) {
      room.close('session-open-failed');
      throw err;
    }
  }
}
