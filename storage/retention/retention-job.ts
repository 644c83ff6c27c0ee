/**
 * The retention job: deletes every version (and delete marker) of each
 * recording whose retention date has passed and that no dispute case holds,
 * writes a deletion receipt to the audit log and marks the recording expired.
 *
 * It never deletes early: a recording must be due by the database's date, by
 * the manifest's date and by S3's own Object Lock date on the manifest, all
 * compared as UTC instants; a clock set back only delays deletion, and a
 * clock set forward meets S3's COMPLIANCE lock, which refuses.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../server/errors.ts';
import type { Logger } from '../../server/log/logger.ts';
import { inTransaction, type DatabaseSync } from '../../server/store/database.ts';
import {
  chainItems,
  recordingKeys,
  type RecordingManifest,
} from '../../recording/manifest.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ObjectStore, VersionEntry } from '../object-store.ts';
import { dueRecordings, type DueRecording } from './due-recordings.ts';
import { SqliteLease } from './sqlite-lease.ts';

/** The audit actor of everything the job does. */
export const RETENTION_ACTOR = 'system:retention';
const LEASE_NAME = 'retention-job';
const STATE_NAME = 'retention-job';
/** Long enough for one recording's deletion; renewed before each recording. */
const DEFAULT_LEASE_TTL_MS = 10 * 60 * 1000;
const DEFAULT_PAGE_SIZE = 200;
const DEFAULT_CONCURRENCY = 4;
/** A report names at most this many recordings per outcome; the audit log has all. */
const REPORT_SAMPLE_SIZE = 100;

/** What RetentionJob needs. */
export interface RetentionJobOptions {
  db: DatabaseSync;
  store: ObjectStore;
  audit: AuditLog;
  logger: Logger;
  /** Identifies this process in the lease; defaults to a random id. */
  holderId?: string;
  now?: () => Date;
  leaseTtlMs?: number;
  /** Recordings read from SQL per page. */
  pageSize?: number;
  /** Recordings handled at the same time; default 4. */
  concurrency?: number;
}

/** Counts and samples of one outcome. */
export interface OutcomeTally {
  count: number;
  sample: string[];
}

/** What one run did (or, dry, would do). */
export interface RetentionReport {
  runId: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  /** Set when another process held the lease and this run did nothing. */
  skipped?: 'lease-held' | 'lease-lost';
  deleted: OutcomeTally;
  wouldDelete: OutcomeTally;
  refused: OutcomeTally;
  /** Due by the database but kept: S3 or the manifest says later, or a hold. */
  kept: OutcomeTally;
  /** Could not be handled (unreadable manifest, S3 error); retried next run. */
  failed: OutcomeTally;
  versionsDeleted: number;
}

type Outcome =
  | { kind: 'deleted'; versions: number }
  | { kind: 'would-delete'; versions: number }
  | { kind: 'refused' }
  | { kind: 'failed' }
  | { kind: 'kept'; reason: string };

export class RetentionJob {
  readonly #db: DatabaseSync;
  readonly #store: ObjectStore;
  readonly #audit: AuditLog;
  readonly #logger: Logger;
  readonly #holderId: string;
  readonly #now: () => Date;
  readonly #leaseTtlMs: number;
  readonly #pageSize: number;
  readonly #concurrency: number;

  constructor(options: RetentionJobOptions) {
    this.#db = options.db;
    this.#store = options.store;
    this.#audit = options.audit;
    this.#holderId = options.holderId ?? randomUUID();
    this.#logger = options.logger.child({
      component: 'retention-job',
      holderId: this.#holderId,
    });
    this.#now = options.now ?? (() => new Date());
    this.#leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.#pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  /** When the last complete (not dry) run finished, if ever. */
  lastSuccessAt(): Date | undefined {
    const row = this.#db
      .prepare('SELECT last_success_at FROM retention_state WHERE name = ?')
      .get(STATE_NAME) as { last_success_at: string } | undefined;

    return row ? new Date(row.last_success_at) : undefined;
  }

  /**
   * One pass over the due recordings. A dry run lists what would be deleted
   * and touches nothing. A real run holds the lease throughout; when another
   * process holds it, the run returns at once with `skipped`.
   */
  async run(options: { dryRun?: boolean } = {}): Promise<RetentionReport> {
    const dryRun = options.dryRun ?? false;
    const report = emptyReport(dryRun, this.#now());
    const log = this.#logger.child({ runId: report.runId, dryRun });
    const lease = new SqliteLease({
      db: this.#db,
      name: LEASE_NAME,
      holder: `${this.#holderId}/${report.runId}`,
      ttlMs: this.#leaseTtlMs,
    });

    if (!dryRun && !lease.tryAcquire()) {
      log.info('another process is running the retention job; skipping');
      return finish(report, this.#now(), 'lease-held');
    }

    try {
      const now = this.#now();
      log.info({ now: now.toISOString() }, 'retention run started');

      for (const page of dueRecordings(this.#db, now, this.#pageSize)) {
        let leaseLost = false;
        // A few recordings at a time: S3 listing latency dominates, not our CPU.
        await forEachConcurrently(page, this.#concurrency, async (due) => {
          if (leaseLost || (!dryRun && !lease.renewIfDue())) {
            leaseLost = true;
            return;
          }

          const outcome = await this.#handleOne(
            due,
            now,
            dryRun,
            log.child({ recordingId: due.reviewId }),
          );
          tally(report, due.reviewId, outcome);
        });
        if (leaseLost) {
          log.error('retention lease lost mid-run; stopping');
          return finish(report, this.#now(), 'lease-lost');
        }
      }

      if (!dryRun) this.#recordSuccess();
      log.info(
        {
          deleted: report.deleted.count,
          refused: report.refused.count,
          kept: report.kept.count,
          failed: report.failed.count,
          wouldDelete: report.wouldDelete.count,
        },
        'retention run finished',
      );
      return finish(report, this.#now());
    } finally {
      if (!dryRun) lease.release();
    }
  }

  async #handle(
    due: DueRecording,
    now: Date,
    dryRun: boolean,
    log: Logger,
  ): Promise<Outcome> {
    const manifestKey = due.manifestKey ?? recordingKeys.manifest(due.reviewId);
    const head = await this.#store.head(manifestKey);

    if (head?.legalHold) return kept(log, 'S3 legal hold on the manifest');
    if (head?.retainUntil && head.retainUntil.getTime() > now.getTime()) {
      return kept(log, `S3 retains the manifest until ${head.retainUntil.toISOString()}`);
    }

    const manifest = head ? await this.#readManifest(manifestKey) : undefined;
    if (manifest && new Date(manifest.retainUntil).getTime() > now.getTime()) {
      return kept(log, `the manifest retains until ${manifest.retainUntil}`);
    }

    if (dryRun) {
      const versions = await this.#countVersions(due.reviewId);
      log.info({ versions }, 'would delete recording');
      return { kind: 'would-delete', versions };
    }

    if (!this.#claim(due.reviewId)) return kept(log, 'a dispute case was opened');

    return this.#delete(due, manifestKey, manifest, log);
  }

  /**
   * Deletes every version under the prefix, the manifest's last: if this run
   * is cut short, the next one still finds the hashes for the receipt.
   */
  async #delete(
    due: DueRecording,
    manifestKey: string,
    manifest: RecordingManifest | undefined,
    log: Logger,
  ): Promise<Outcome> {
    let versionsDeleted = 0;
    let deleteMarkers = 0;
    let bytes = 0;
    const refusedSample: { key: string; versionId: string; code: string }[] = [];
    let refusedCount = 0;

    const manifestVersions: VersionEntry[] = [];
    const deleteBatch = async (batch: VersionEntry[]): Promise<void> => {
      const result = await this.#store.deleteVersions(batch);
      const deletedIds = new Set(result.deleted.map((d) => `${d.key}\n${d.versionId}`));

      for (const version of batch) {
        if (!deletedIds.has(`${version.key}\n${version.versionId}`)) continue;
        if (version.isDeleteMarker) deleteMarkers += 1;
        else versionsDeleted += 1;
        bytes += version.size;
      }
      refusedCount += result.refused.length;
      refusedSample.push(
        ...result.refused.slice(0, REPORT_SAMPLE_SIZE - refusedSample.length),
      );
    };

    for await (const page of this.#store.listVersions(
      recordingKeys.prefix(due.reviewId),
    )) {
      manifestVersions.push(...page.filter((v) => v.key === manifestKey));
      const others = page.filter((v) => v.key !== manifestKey);
      if (others.length > 0) await deleteBatch(others);
    }
    if (refusedCount === 0 && manifestVersions.length > 0)
      await deleteBatch(manifestVersions);

    if (refusedCount > 0) {
      inTransaction(this.#db, () => {
        this.#db
          .prepare('DELETE FROM retention_deletions WHERE review_id = ?')
          .run(due.reviewId);
        this.#audit.append({
          actor: RETENTION_ACTOR,
          action: 'deletion-refused',
          reviewId: due.reviewId,
          details: { refusedCount, refused: refusedSample, versionsDeleted },
        });
      });
      log.error(
        { refusedCount, refused: refusedSample.slice(0, 5) },
        'S3 refused to delete versions of a due recording',
      );
      return { kind: 'refused' };
    }

    inTransaction(this.#db, () => {
      const at = this.#now().toISOString();
      this.#db
        .prepare("UPDATE recordings SET state = 'expired' WHERE review_id = ?")
        .run(due.reviewId);
      this.#db
        .prepare('UPDATE retention_deletions SET finished_at = ? WHERE review_id = ?')
        .run(at, due.reviewId);
      this.#audit.append({
        actor: RETENTION_ACTOR,
        action: 'deletion',
        reviewId: due.reviewId,
        details: deletionReceipt(due, manifest, {
          versionsDeleted,
          deleteMarkers,
          bytes,
        }),
      });
    });
    log.info(
      { versionsDeleted, deleteMarkers, bytes },
      'recording deleted after retention',
    );

    return { kind: 'deleted', versions: versionsDeleted + deleteMarkers };
  }

  /**
   * Marks the recording as being deleted, unless a case is open. Done in one
   * transaction with the case check, so a case opened a moment later is
   * refused instead of holding half-deleted evidence.
   */
  #claim(reviewId: string): boolean {
    return inTransaction(this.#db, () => {
      const open = this.#db
        .prepare(
          'SELECT 1 FROM dispute_cases WHERE review_id = ? AND closed_at IS NULL LIMIT 1',
        )
        .get(reviewId);
      if (open) return false;

      // A claim left unfinished by a crashed run is taken over: we hold the lease now.
      this.#db
        .prepare(
          `INSERT INTO retention_deletions (review_id, claimed_at, claimed_by) VALUES (?, ?, ?)
           ON CONFLICT (review_id) DO UPDATE SET claimed_at = excluded.claimed_at,
             claimed_by = excluded.claimed_by WHERE retention_deletions.finished_at IS NULL`,
        )
        .run(reviewId, this.#now().toISOString(), this.#holderId);
      return true;
    });
  }

  async #readManifest(key: string): Promise<RecordingManifest> {
    const text = (await this.#store.getBuffer(key)).toString('utf8');
    try {
      return JSON.parse(text) as RecordingManifest;
    } catch (err) {
      throw new AppError('INTEGRITY_MISMATCH', 'The manifest is not valid JSON', {
        details: { key },
        cause: err,
      });
    }
  }

  /**
   * One recording's failure (an unreadable manifest, S3 refusing a read) is
   * reported and skipped: the rest of the run goes on, and the next run
   * retries it, since it is still due.
   */
  async #handleOne(
    due: DueRecording,
    now: Date,
    dryRun: boolean,
    log: Logger,
  ): Promise<Outcome> {
    try {
      return await this.#handle(due, now, dryRun, log);
    } catch (err) {
      log.error({ err }, 'retention failed for one recording; it stays for the next run');
      return { kind: 'failed' };
    }
  }

  async #countVersions(reviewId: string): Promise<number> {
    let count = 0;
    for await (const page of this.#store.listVersions(recordingKeys.prefix(reviewId))) {
      count += page.length;
    }
    return count;
  }

  #recordSuccess(): void {
    this.#db
      .prepare(
        `INSERT INTO retention_state (name, last_success_at) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET last_success_at = excluded.last_success_at`,
      )
      .run(STATE_NAME, this.#now().toISOString());
  }
}

/** The receipt: what was deleted, when, and the hashes the manifest vouched for. */
function deletionReceipt(
  due: DueRecording,
  manifest: RecordingManifest | undefined,
  counts: { versionsDeleted: number; deleteMarkers: number; bytes: number },
): Record<string, unknown> {
  return {
    prefix: recordingKeys.prefix(due.reviewId),
    retainUntil: due.retainUntil.toISOString(),
    ...counts,
    manifest: manifest
      ? {
          sealedAt: manifest.sealedAt,
          chainHead: manifest.chain.head,
          compositeSha256: manifest.composite?.sha256 ?? null,
          items: chainItems(manifest),
        }
      : null,
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function kept(log: Logger, reason: string): Outcome {
  log.warn({ reason }, 'recording is due by the database but kept');
  return { kind: 'kept', reason };
}

function tally(report: RetentionReport, reviewId: string, outcome: Outcome): void {
  const target = {
    deleted: report.deleted,
    'would-delete': report.wouldDelete,
    refused: report.refused,
    failed: report.failed,
    kept: report.kept,
  }[outcome.kind];
  target.count += 1;
  if (target.sample.length < REPORT_SAMPLE_SIZE) target.sample.push(reviewId);
  if (outcome.kind === 'deleted') report.versionsDeleted += outcome.versions;
}

function emptyReport(dryRun: boolean, startedAt: Date): RetentionReport {
  const none = (): OutcomeTally => ({ count: 0, sample: [] });
  return {
    runId: randomUUID(),
    dryRun,
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    deleted: none(),
    wouldDelete: none(),
    refused: none(),
    failed: none(),
    kept: none(),
    versionsDeleted: 0,
  };
}

function finish(
  report: RetentionReport,
  at: Date,
  skipped?: RetentionReport['skipped'],
): RetentionReport {
  return { ...report, finishedAt: at.toISOString(), ...(skipped ? { skipped } : {}) };
}
