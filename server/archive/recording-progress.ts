/**
 * The status and seal progress of a few recordings, for the archive page to
 * refresh while they are sealed. It reads no evidence and names no one, so
 * polling it leaves the audit log to the searches and views that do.
 */
import type { DatabaseSync } from '../store/database.ts';
import {
  RECORDING_STATUS_SQL,
  SEALING_COLUMNS_SQL,
  sealingOf,
  type RecordingStatus,
  type SealingColumns,
  type SealingProgress,
} from './recording-status.ts';

/** One recording's status and, while it is being sealed, its seal's progress. */
export interface RecordingProgress {
  reviewId: string;
  status: RecordingStatus;
  sealing: SealingProgress | null;
}

interface ProgressRow extends SealingColumns {
  review_id: string;
  status: RecordingStatus;
}

/** The progress of each of `reviewIds` that has a recording, in no particular order. */
export function readRecordingProgress(
  db: DatabaseSync,
  reviewIds: readonly string[],
): RecordingProgress[] {
  const rows = db
    .prepare(
      `SELECT rec.review_id, ${RECORDING_STATUS_SQL} AS status, ${SEALING_COLUMNS_SQL}
       FROM recordings rec JOIN reviews r ON r.review_id = rec.review_id
       WHERE rec.review_id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(reviewIds)) as unknown as ProgressRow[];

  return rows.map((row) => ({
    reviewId: row.review_id,
    status: row.status,
    sealing: sealingOf(row),
  }));
}
