/**
 * Dispute cases. While any case on a review is open, every version of its
 * recording carries an S3 legal hold and the retention job leaves it alone;
 * closing the last case lifts the holds and normal retention applies again.
 */
import { AppError } from '../../server/errors.ts';
import type { Logger } from '../../server/log/logger.ts';
import { inTransaction, type DatabaseSync } from '../../server/store/database.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ObjectStore } from '../object-store.ts';
import { setRecordingHold } from './recording-holds.ts';

/** A case as stored. */
export interface DisputeCase {
  caseId: number;
  reviewId: string;
  caseNumber: string;
  reason: string;
  openedAt: string;
  openedBy: string;
  closedAt: string | null;
  closedBy: string | null;
  resolution: string | null;
}

/** What DisputeCases needs. */
export interface DisputeCasesOptions {
  db: DatabaseSync;
  store: ObjectStore;
  audit: AuditLog;
  logger: Logger;
  now?: () => Date;
}

interface CaseRow {
  case_id: number;
  review_id: string;
  case_number: string;
  reason: string;
  opened_at: string;
  opened_by: string;
  closed_at: string | null;
  closed_by: string | null;
  resolution: string | null;
}

export class DisputeCases {
  readonly #db: DatabaseSync;
  readonly #store: ObjectStore;
  readonly #audit: AuditLog;
  readonly #logger: Logger;
  readonly #now: () => Date;
  /** Hold changes of one review run one after another, never interleaved. */
  readonly #holdQueues = new Map<string, Promise<unknown>>();

  constructor(options: DisputeCasesOptions) {
    this.#db = options.db;
    this.#store = options.store;
    this.#audit = options.audit;
    this.#logger = options.logger.child({ component: 'dispute-cases' });
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Opens a case and holds every version of the recording. Opening a case
   * number that is already open re-applies the holds (a retry after S3 failed).
   */
  async open(input: {
    reviewId: string;
    caseNumber: string;
    reason: string;
    actor: string;
  }): Promise<DisputeCase> {
    const caseNumber = input.caseNumber.trim();
    const reason = input.reason.trim();
    if (caseNumber.length === 0 || reason.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'A case needs a case number and a reason');
    }

    const opened = inTransaction(this.#db, () => {
      this.#assertHoldable(input.reviewId);

      const existing = this.#db
        .prepare(
          'SELECT * FROM dispute_cases WHERE review_id = ? AND case_number = ? AND closed_at IS NULL',
        )
        .get(input.reviewId, caseNumber) as CaseRow | undefined;
      if (existing) return toCase(existing);

      const row = this.#db
        .prepare(
          `INSERT INTO dispute_cases (review_id, case_number, reason, opened_at, opened_by)
           VALUES (?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.reviewId,
          caseNumber,
          reason,
          this.#now().toISOString(),
          input.actor,
        ) as unknown as CaseRow;
      this.#audit.append({
        actor: input.actor,
        action: 'case-open',
        reviewId: input.reviewId,
        details: { caseId: row.case_id, caseNumber, reason },
      });
      return toCase(row);
    });

    await this.#applyHold(input.reviewId, input.actor, opened.caseNumber);

    return opened;
  }

  /** Closes a case; when it was the review's last open case the holds are lifted. */
  async close(input: {
    caseId: number;
    actor: string;
    resolution?: string;
  }): Promise<DisputeCase> {
    const closed = inTransaction(this.#db, () => {
      const row = this.#db
        .prepare(
          `UPDATE dispute_cases SET closed_at = ?, closed_by = ?, resolution = ?
           WHERE case_id = ? AND closed_at IS NULL RETURNING *`,
        )
        .get(
          this.#now().toISOString(),
          input.actor,
          input.resolution ?? null,
          input.caseId,
        ) as CaseRow | undefined;
      if (!row) {
        throw new AppError('NOT_FOUND', 'No open case with this id', {
          details: { caseId: input.caseId },
        });
      }

      this.#audit.append({
        actor: input.actor,
        action: 'case-close',
        reviewId: row.review_id,
        details: {
          caseId: row.case_id,
          caseNumber: row.case_number,
          resolution: row.resolution,
        },
      });
      return toCase(row);
    });

    await this.#liftHoldIfNoOpenCase(closed.reviewId, input.actor);

    return closed;
  }

  /** Whether any case on the review is open. */
  hasOpenCase(reviewId: string): boolean {
    return (
      this.#db
        .prepare(
          'SELECT 1 FROM dispute_cases WHERE review_id = ? AND closed_at IS NULL LIMIT 1',
        )
        .get(reviewId) !== undefined
    );
  }

  /** Every case of a review, newest first. */
  listForReview(reviewId: string): DisputeCase[] {
    const rows = this.#db
      .prepare('SELECT * FROM dispute_cases WHERE review_id = ? ORDER BY case_id DESC')
      .all(reviewId) as unknown as CaseRow[];

    return rows.map(toCase);
  }

  #assertHoldable(reviewId: string): void {
    const recording = this.#db
      .prepare('SELECT state FROM recordings WHERE review_id = ?')
      .get(reviewId) as { state: string } | undefined;
    if (!recording) {
      throw new AppError('NOT_FOUND', 'No recording for this review', {
        details: { reviewId },
      });
    }

    // The retention job claims a recording before deleting it; a hold then comes too late.
    const claimed = this.#db
      .prepare('SELECT 1 FROM retention_deletions WHERE review_id = ?')
      .get(reviewId);
    if (recording.state === 'recording' || recording.state === 'finalising') {
      // Holds cover the versions that exist now; segments still arriving would escape them.
      throw new AppError(
        'INVALID_STATE',
        'The recording is still being written; open the case once it is sealed',
        { details: { reviewId } },
      );
    }
    if (recording.state === 'expired' || claimed) {
      throw new AppError(
        'INVALID_STATE',
        'This recording has expired and is being or was deleted',
        {
          details: { reviewId },
        },
      );
    }
  }

  async #applyHold(reviewId: string, actor: string, caseNumber: string): Promise<void> {
    await this.#serial(reviewId, async () => {
      const versions = await setRecordingHold(this.#store, reviewId, true);
      this.#audit.append({
        actor,
        action: 'hold',
        reviewId,
        details: { caseNumber, versions },
      });
      this.#logger.info({ reviewId, caseNumber, versions }, 'legal hold set');
    });
  }

  async #liftHoldIfNoOpenCase(reviewId: string, actor: string): Promise<void> {
    await this.#serial(reviewId, async () => {
      // Checked inside the queue: a case opened meanwhile keeps the holds.
      if (this.hasOpenCase(reviewId)) return;

      const versions = await setRecordingHold(this.#store, reviewId, false);
      this.#audit.append({ actor, action: 'release', reviewId, details: { versions } });
      this.#logger.info({ reviewId, versions }, 'legal hold lifted');

      // Another process may have opened a case while we lifted: hold again.
      if (this.hasOpenCase(reviewId)) await setRecordingHold(this.#store, reviewId, true);
    });
  }

  async #serial(reviewId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#holdQueues.get(reviewId) ?? Promise.resolve();
    // The previous change's failure was already thrown to its own caller.
    const next = previous.catch(() => undefined).then(work);
    this.#holdQueues.set(reviewId, next);

    try {
      await next;
    } finally {
      if (this.#holdQueues.get(reviewId) === next) this.#holdQueues.delete(reviewId);
    }
  }
}

function toCase(row: CaseRow): DisputeCase {
  return {
    caseId: row.case_id,
    reviewId: row.review_id,
    caseNumber: row.case_number,
    reason: row.reason,
    openedAt: row.opened_at,
    openedBy: row.opened_by,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    resolution: row.resolution,
  };
}
