/**
 * Search over the archive's metadata: by attestee name, council member,
 * subject, date range, case number and status, newest first, in keyset pages
 * (a cursor continues after the last row, so deep pages cost what the first does).
 */
import { AppError } from '../errors.ts';
import type { ReviewState } from '../review/review-types.ts';
import type { DatabaseSync } from '../store/database.ts';
import {
  RECORDING_STATUS_SQL,
  SEALING_COLUMNS_SQL,
  sealingOf,
  type RecordingStatus,
  type SealingColumns,
  type SealingProgress,
} from './recording-status.ts';

/** The filters; every one is optional. Names and subject match case-insensitively. */
export interface ArchiveQuery {
  attestee?: string;
  councilMember?: string;
  subject?: string;
  /** Scheduled start at or after this instant. */
  from?: Date;
  /** Scheduled start before this instant. */
  to?: Date;
  caseNumber?: string;
  status?: RecordingStatus;
  cursor?: string;
  limit?: number;
}

/** One search hit. */
export interface ArchiveHit {
  reviewId: string;
  subject: string;
  scheduledStart: string;
  reviewState: ReviewState;
  status: RecordingStatus;
  attestees: string[];
  council: string[];
  openCases: number;
  /** The seal's progress while the recording is finalising, else null. */
  sealing: SealingProgress | null;
}

/** A page of hits and the cursor of the next page, if any. */
export interface ArchivePage {
  items: ArchiveHit[];
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
/** SQLite's LOWER() folds ASCII only; names here are Kazakh and Russian Cyrillic. */
const FOLD_FUNCTION = 'sarapta_fold';

interface HitRow extends SealingColumns {
  review_id: string;
  subject: string;
  scheduled_start: string;
  review_state: ReviewState;
  status: RecordingStatus;
  attestees: string | null;
  council: string | null;
  open_cases: number;
}

export class ArchiveSearch {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#db.function(FOLD_FUNCTION, { deterministic: true }, (value) =>
      typeof value === 'string' ? value.toLocaleLowerCase('kk') : value,
    );
  }

  /** One page of recordings matching every given filter. */
  search(query: ArchiveQuery): ArchivePage {
    const limit = Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
    const after = decodeCursor(query.cursor);
    const params = {
      attestee: fold(query.attestee),
      member: fold(query.councilMember),
      subject: fold(query.subject),
      fromEpoch: query.from ? query.from.getTime() / 1000 : null,
      toEpoch: query.to ? query.to.getTime() / 1000 : null,
      caseNumber: nonEmpty(query.caseNumber),
      status: query.status ?? null,
      afterStart: after?.start ?? null,
      afterId: after?.reviewId ?? null,
      limit: limit + 1,
    };

    const rows = this.#db
      .prepare(
        `SELECT * FROM (
           SELECT r.review_id, r.subject, r.scheduled_start,
             ${RECORDING_STATUS_SQL} AS status, ${SEALING_COLUMNS_SQL},
             (SELECT group_concat(p.display_name, '\n') FROM review_people p
               WHERE p.review_id = r.review_id AND p.role = 'attestee') AS attestees,
             (SELECT group_concat(p.display_name, '\n') FROM review_people p
               WHERE p.review_id = r.review_id AND p.role IN ('chair', 'expert')) AS council,
             (SELECT COUNT(*) FROM dispute_cases dc
               WHERE dc.review_id = r.review_id AND dc.closed_at IS NULL) AS open_cases
           FROM reviews r JOIN recordings rec ON rec.review_id = r.review_id
           WHERE (:attestee IS NULL OR EXISTS (SELECT 1 FROM review_people p
                   WHERE p.review_id = r.review_id AND p.role = 'attestee'
                     AND instr(${FOLD_FUNCTION}(p.display_name), :attestee) > 0))
             AND (:member IS NULL OR EXISTS (SELECT 1 FROM review_people p
                   WHERE p.review_id = r.review_id AND p.role IN ('chair', 'expert')
                     AND instr(${FOLD_FUNCTION}(p.display_name), :member) > 0))
             AND (:subject IS NULL OR instr(${FOLD_FUNCTION}(r.subject), :subject) > 0)
             AND (:fromEpoch IS NULL OR unixepoch(r.scheduled_start, 'subsec') >= :fromEpoch)
             AND (:toEpoch IS NULL OR unixepoch(r.scheduled_start, 'subsec') < :toEpoch)
             AND (:caseNumber IS NULL OR EXISTS (SELECT 1 FROM dispute_cases dc
                   WHERE dc.review_id = r.review_id AND dc.case_number = :caseNumber))
             AND (:afterStart IS NULL OR r.scheduled_start < :afterStart
                  OR (r.scheduled_start = :afterStart AND r.review_id < :afterId))
         )
         WHERE :status IS NULL OR status = :status
         ORDER BY scheduled_start DESC, review_id DESC
         LIMIT :limit`,
      )
      .all(params) as unknown as HitRow[];

    const items = rows.slice(0, limit).map(toHit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor(last.scheduledStart, last.reviewId)
        : null;

    return { items, nextCursor };
  }
}

function fold(value: string | undefined): string | null {
  return nonEmpty(value)?.toLocaleLowerCase('kk') ?? null;
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed !== undefined && trimmed.length > 0 ? trimmed : null;
}

function toHit(row: HitRow): ArchiveHit {
  return {
    reviewId: row.review_id,
    subject: row.subject,
    scheduledStart: row.scheduled_start,
    reviewState: row.review_state,
    status: row.status,
    attestees: row.attestees ? row.attestees.split('\n') : [],
    council: row.council ? row.council.split('\n') : [],
    openCases: row.open_cases,
    sealing: sealingOf(row),
  };
}

function encodeCursor(start: string, reviewId: string): string {
  return Buffer.from(JSON.stringify([start, reviewId])).toString('base64url');
}

function decodeCursor(
  cursor: string | undefined,
): { start: string; reviewId: string } | undefined {
  if (!cursor) return undefined;

  try {
    const [start, reviewId] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof start === 'string' && typeof reviewId === 'string')
      return { start, reviewId };
  } catch {
    // Falls through to the refusal below: a cursor is opaque to the caller.
  }
  throw new AppError(
    'BAD_REQUEST',
    'The search cursor is not valid; start the search again',
  );
}
