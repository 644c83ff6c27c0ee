/**
 * The recordings whose retention date has passed and that no open dispute
 * case holds, read from the metadata database one page at a time. Only
 * closed recordings (sealed, or failed with their segments kept) are
 * candidates: one still being written or already expired never is.
 */
import type { DatabaseSync } from '../../server/store/database.ts';

/** One candidate for deletion. */
export interface DueRecording {
  reviewId: string;
  retainUntil: Date;
  manifestKey: string | null;
}

/**
 * Yields due recordings in pages ordered by review id (keyset paging: each
 * page continues after the last id, so the scan over the table is linear and
 * memory holds one page). Dates are compared as instants (unixepoch), never
 * as local times; a date SQLite cannot parse is never due.
 */
export function* dueRecordings(
  db: DatabaseSync,
  now: Date,
  pageSize: number,
): Generator<DueRecording[]> {
  const page = db.prepare(
    `SELECT r.review_id, r.retain_until, r.manifest_key FROM recordings r
     WHERE r.review_id > :after
       AND r.state IN ('sealed', 'failed')
       AND unixepoch(r.retain_until, 'subsec') <= :nowEpoch
       AND NOT EXISTS (
         SELECT 1 FROM dispute_cases c WHERE c.review_id = r.review_id AND c.closed_at IS NULL)
     ORDER BY r.review_id LIMIT :limit`,
  );
  let after = '';

  for (;;) {
    const rows = page.all({ after, nowEpoch: now.getTime() / 1000, limit: pageSize }) as {
      review_id: string;
      retain_until: string;
      manifest_key: string | null;
    }[];
    if (rows.length === 0) return;

    yield rows.map((row) => ({
      reviewId: row.review_id,
      retainUntil: new Date(row.retain_until),
      manifestKey: row.manifest_key,
    }));

    if (rows.length < pageSize) return;
    after = (rows[rows.length - 1] as { review_id: string }).review_id;
  }
}
