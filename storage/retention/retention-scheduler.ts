/**
 * Runs the retention job on its cron schedule (node-cron, in the configured
 * time zone, Asia/Almaty by default) and catches up a run missed while the
 * service was down. Runs never overlap: in this process a run in flight is
 * reused; across processes the job's database lease decides.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { AppError } from '../../server/errors.ts';
import type { Logger } from '../../server/log/logger.ts';
import { missedScheduledRun } from './missed-run.ts';
import type { RetentionJob, RetentionReport } from './retention-job.ts';

/** What RetentionScheduler needs. */
export interface RetentionSchedulerOptions {
  job: RetentionJob;
  /** Cron expression, e.g. "30 3 * * *". */
  cron: string;
  /** IANA time zone the expression is read in. */
  timezone: string;
  logger: Logger;
  now?: () => Date;
  /** Told the outcome of every run (metrics). */
  onRunFinished?: (outcome: 'ok' | 'failed' | 'skipped') => void;
}

export class RetentionScheduler {
  readonly #job: RetentionJob;
  readonly #task: ScheduledTask;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #onRunFinished: (outcome: 'ok' | 'failed' | 'skipped') => void;
  #running: Promise<RetentionReport> | undefined;
  #catchUp: Promise<void> | undefined;
  #closed = false;

  constructor(options: RetentionSchedulerOptions) {
    if (!cron.validate(options.cron)) {
      throw new AppError(
        'CONFIG_INVALID',
        `Invalid configuration: SARAPTA_RETENTION_CRON "${options.cron}" is not a cron expression`,
      );
    }
    if (!isKnownTimeZone(options.timezone)) {
      throw new AppError(
        'CONFIG_INVALID',
        `Invalid configuration: SARAPTA_RETENTION_TIMEZONE "${options.timezone}" is not a time zone`,
      );
    }

    this.#job = options.job;
    this.#logger = options.logger.child({ component: 'retention-scheduler' });
    this.#now = options.now ?? (() => new Date());
    this.#onRunFinished = options.onRunFinished ?? (() => undefined);
    this.#task = cron.createTask(options.cron, () => this.#runLogged('scheduled'), {
      name: 'sarapta-retention',
      timezone: options.timezone,
      noOverlap: true,
    });
  }

  /**
   * Starts the schedule. When a scheduled time passed since the last
   * successful run (or there was none), a catch-up run starts in the
   * background at once; whenIdle() waits for it.
   */
  async start(): Promise<void> {
    await this.#task.start();

    const lastSuccess = this.#job.lastSuccessAt();
    if (missedScheduledRun(this.#task, lastSuccess, this.#now())) {
      this.#logger.info(
        { lastSuccess: lastSuccess?.toISOString() ?? null },
        'catching up a missed retention run',
      );
      this.#catchUp = this.#runLogged('catch-up');
    }
  }

  /** Resolves once no run (scheduled, catch-up or manual) is in flight. */
  async whenIdle(): Promise<void> {
    await this.#catchUp;
    // A failed run was already reported to whoever started it.
    if (this.#running) await this.#running.catch(() => undefined);
  }

  /** Runs the job now (operator command); shares a run already in flight. */
  runNow(): Promise<RetentionReport> {
    if (this.#closed)
      throw new AppError('INVALID_STATE', 'The retention scheduler is closed');

    this.#running ??= this.#job.run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** When the schedule fires next. */
  nextRun(): Date | null {
    return this.#task.getNextRun();
  }

  /** Stops the schedule and waits for a run in flight. Idempotent. */
  async close(reason: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;

    this.#logger.info({ reason }, 'retention scheduler closing');
    await this.#task.destroy();
    await this.whenIdle();
  }

  async #runLogged(trigger: 'scheduled' | 'catch-up'): Promise<void> {
    if (this.#closed) return;

    try {
      const report = await this.runNow();
      this.#logger.info(
        { trigger, runId: report.runId, skipped: report.skipped ?? null },
        'retention run done',
      );
      this.#onRunFinished(report.skipped ? 'skipped' : 'ok');
    } catch (err) {
      this.#onRunFinished('failed');
      // The schedule outlives one failed run; the next one retries what is still due.
      this.#logger.error({ err, trigger }, 'retention run failed');
    }
  }
}

function isKnownTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
