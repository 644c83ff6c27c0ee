/**
 * The live sessions of this host, one per review. Opening goes through a map
 * of promises, so joins racing for the same review share one room (one
 * router) instead of each creating their own. A live review whose session
 * closed under it (its media worker died) gets its next session at once, on
 * a worker that is running, so its clock keeps counting towards the limit
 * whether or not anyone comes back.
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
import type { EndReason, ReviewState } from './review-types.ts';
import { lastSeats } from './seat-history.ts';

/** First pause before trying again to open the session of a live review; it doubles. */
const REOPEN_RETRY_MS = 1000;
/** Longest pause between two tries. */
const REOPEN_RETRY_MAX_MS = 10_000;

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
  /** The sessions of #sessions that have opened: read without waiting for one still opening. */
  readonly #opened = new Map<string, ReviewSession>();
  /** Pending retries of live reviews whose session could not reopen, by reviewId. */
  readonly #reopenTimers = new Map<string, NodeJS.Timeout>();
  #closing: Promise<void> | undefined;
  /** Aborted when the registry closes: a session still waiting for a media worker gives up. */
  readonly #shutdown = new AbortController();

  constructor(options: SessionRegistryOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'sessions' });
  }

  /** Number of sessions open or opening. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Connected people across all sessions, by role (for metrics). A session
   * still opening has nobody connected, and may wait long for a media worker:
   * a scrape does not wait for it.
   */
  async connectedByRole(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const session of this.#opened.values()) {
      for (const role of session.connectedRoles()) {
        counts.set(role, (counts.get(role) ?? 0) + 1);
      }
    }

    return counts;
  }

  /**
   * The review's session, opened (room and recorder created) on first use.
   * A session on its way out is waited for and followed by the next one, so
   * a browser that comes back while its old session still closes is seated
   * in the new one.
   */
  open(reviewId: string): Promise<ReviewSession> {
    if (this.#closing) {
      return Promise.reject(
        new AppError('SERVER_CLOSING', 'The server is shutting down'),
      );
    }

    const existing = this.#sessions.get(reviewId);
    if (existing) {
      return existing.then(async (session) => {
        if (!session.finished) return session;

        await session.whenFinished;
        return this.open(reviewId);
      });
    }

    const opening = this.#create(reviewId);
    this.#sessions.set(reviewId, opening);
    const forget = () => {
      if (this.#sessions.get(reviewId) === opening) this.#sessions.delete(reviewId);
    };
    opening.then(
      (session) => {
        this.#opened.set(reviewId, session);
        session.once('closed', (reason) => {
          forget();
          if (this.#opened.get(reviewId) === session) this.#opened.delete(reviewId);
          this.#afterClose(session, reason);
        });
      },
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
    if (open?.finished) {
      // A session closing under the review (its media worker died) would take
      // the cancel as already done; once it has gone, the review as it then
      // stands is cancelled.
      await open.whenFinished;
      return this.cancel(reviewId);
    }
    if (open) {
      await open.cancel();
      return;
    }

    await this.#endWithoutSession(reviewId, 'cancelled', 'cancelled');

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
      await this.#reopenLive(reviewId, 0);
    }
  }

  /**
   * Closes every session without ending its review: live reviews stay live,
   * their recordings suspended, and resume at the next start. Idempotent.
   */
  close(reason: string): Promise<void> {
    this.#closing ??= (async () => {
      this.#shutdown.abort(new AppError('SERVER_CLOSING', 'The server is shutting down'));
      for (const timer of this.#reopenTimers.values()) clearTimeout(timer);
      this.#reopenTimers.clear();
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

  /**
   * A session closed. A live review must not be left without one, or nothing
   * would end it at its limit: unless the service is closing, its next
   * session opens now (the worker pool has a replacement for a dead worker).
   */
  #afterClose(session: ReviewSession, reason: string): void {
    if (this.#closing || session.state !== 'live') return;

    this.#log.warn(
      { reviewId: session.reviewId, reason },
      'session of a live review closed; opening its next one',
    );
    void this.#reopenLive(session.reviewId, 0);
  }

  /**
   * Opens the session of a live review, trying again with growing pauses
   * while it cannot open (no media worker yet) and the review is still live.
   * Should the limit pass before any session opens, the review is ended here
   * at its limit and what was recorded of it is sealed. Never rejects.
   */
  async #reopenLive(reviewId: string, attempt: number): Promise<void> {
    this.#reopenTimers.delete(reviewId);
    if (this.#closing) return;

    try {
      await this.open(reviewId);
      return;
    } catch {
      // Logged by open(); what to do next depends on the stored review.
    }

    try {
      const review = await this.#options.store.getReview(reviewId);
      if (this.#closing || review?.state !== 'live' || this.#sessions.has(reviewId))
        return;

      const limitAt =
        Date.parse(review.startedAt ?? '') + this.#options.limitSeconds * 1000;
      if (this.#now() >= limitAt) {
        await this.#endWithoutSession(reviewId, 'ended', 'time-limit');
        return;
      }

      const pause = Math.min(REOPEN_RETRY_MS * 2 ** attempt, REOPEN_RETRY_MAX_MS);
      const timer = setTimeout(() => void this.#reopenLive(reviewId, attempt + 1), pause);
      timer.unref();
      this.#reopenTimers.set(reviewId, timer);
    } catch (err) {
      this.#log.error({ err, reviewId }, 'live review left without a session');
    }
  }

  /** Ends a review in the store alone (no session is open) and seals its recording. */
  async #endWithoutSession(
    reviewId: string,
    state: Extract<ReviewState, 'ended' | 'cancelled'>,
    reason: EndReason,
  ): Promise<void> {
    const { store } = this.#options;
    const at = new Date(this.#now()).toISOString();
    await store.changeState(reviewId, { state, endedAt: at, endReason: reason });
    await store.appendEvent(reviewId, { at, type: 'end', data: { reason } });
    this.#log.info({ reviewId, reason }, 'review ended with no session open');
    this.#options.onEndedWithoutSession?.(reviewId);
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
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

    const seats = lastSeats(await options.store.listEvents(reviewId));
    const room = await Room.open({
      reviewId,
      pool: options.pool,
      settings: options.transportSettings,
      logger: options.logger,
      signal: this.#shutdown.signal,
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
        lastSeats: seats,
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
