/**
 * The server's clock of one live review: warnings at fixed seconds before the
 * limit, then the cut. Time and timers are injected so the rules can be
 * tested on fake time; one timer is armed at a time, for the next deadline,
 * and every firing re-reads now() so a late timer still fires what is due.
 */

/** The timer functions the clock uses (globalThis by default). */
export interface ClockTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How the clock is set up. */
export interface ReviewClockOptions {
  /** Length of a review, in seconds. */
  limitSeconds: number;
  /** Seconds before the limit at which a warning goes out. */
  warningsSeconds: readonly number[];
  /** Milliseconds since epoch; Date.now by default. */
  now?: () => number;
  timers?: ClockTimers;
  /** A warning is due: `secondsLeft` as configured, `endsAt` in ms since epoch. */
  onWarning(secondsLeft: number, endsAt: number): void;
  /** The limit is reached: the review must end. Called once. */
  onLimit(): void;
}

interface Deadline {
  at: number;
  fire: () => void;
}

const DEFAULT_TIMERS: ClockTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as NodeJS.Timeout),
};

/** The countdown of one review, from the chair's start to the cut. */
export class ReviewClock {
  readonly #options: ReviewClockOptions;
  readonly #now: () => number;
  readonly #timers: ClockTimers;
  #deadlines: Deadline[] = [];
  #timer: unknown;
  #startedAt: number | undefined;
  #stopped = false;

  constructor(options: ReviewClockOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? DEFAULT_TIMERS;
  }

  /** When the clock was started, ms since epoch. */
  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  /** When the review will be cut, ms since epoch. */
  get endsAt(): number | undefined {
    if (this.#startedAt === undefined) return undefined;

    return this.#startedAt + this.#options.limitSeconds * 1000;
  }

  /**
   * Starts counting from `startedAt` (ms since epoch; may lie in the past when
   * a review resumes after a restart). Warnings already passed are skipped;
   * a limit already passed fires at once.
   */
  start(startedAt: number = this.#now()): void {
    if (this.#startedAt !== undefined || this.#stopped) return;

    this.#startedAt = startedAt;
    const endsAt = this.endsAt as number;
    const now = this.#now();

    this.#deadlines = this.#options.warningsSeconds
      .filter((seconds) => seconds < this.#options.limitSeconds)
      .map((seconds) => ({
        at: endsAt - seconds * 1000,
        fire: () => this.#options.onWarning(seconds, endsAt),
      }))
      .filter((deadline) => deadline.at > now);
    this.#deadlines.push({ at: endsAt, fire: () => this.#reachLimit() });
    this.#deadlines.sort((a, b) => a.at - b.at);

    this.#armNext();
  }

  /** Stops the clock for good; no warning or limit fires afterwards. Idempotent. */
  stop(): void {
    this.#stopped = true;
    this.#deadlines = [];
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #armNext(): void {
    const next = this.#deadlines[0];
    if (!next || this.#stopped) return;

    const delay = Math.max(0, next.at - this.#now());
    this.#timer = this.#timers.setTimeout(() => this.#fireDue(), delay);
  }

  #fireDue(): void {
    this.#timer = undefined;
    const now = this.#now();

    while (!this.#stopped && this.#deadlines[0] && this.#deadlines[0].at <= now) {
      const due = this.#deadlines.shift() as Deadline;
      due.fire();
    }

    this.#armNext();
  }

  #reachLimit(): void {
    this.stop();
    this.#options.onLimit();
  }
}
