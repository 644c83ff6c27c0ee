/**
 * One recording as the archive page shows it: the review, its people, the
 * events timeline, the tracks with their original segments, the composite,
 * the dispute cases and the status. Metadata comes from the database; tracks
 * and hashes from the manifest in S3 (the evidence describes itself).
 */
import type {
  RecordingManifest,
  TrackEntry,
  CompositeEntry,
} from '../../recording/manifest.ts';
import type {
  DisputeCase,
  DisputeCases,
} from '../../storage/legal-hold/dispute-cases.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { AppError } from '../errors.ts';
import type { Person, ReviewEvent, ReviewState } from '../review/review-types.ts';
import type { DatabaseSync } from '../store/database.ts';
import {
  RECORDING_STATUS_SQL,
  SEALING_COLUMNS_SQL,
  sealingOf,
  type RecordingStatus,
  type SealingColumns,
  type SealingProgress,
} from './recording-status.ts';

/** Everything the archive shows about one recording. */
export interface RecordingDetail {
  review: {
    reviewId: string;
    subject: string;
    claimedCategory: string;
    format: string;
    scheduledStart: string;
    state: ReviewState;
    startedAt: string | null;
    endedAt: string | null;
    endReason: string | null;
    consentAt: string | null;
  };
  participants: Person[];
  events: ReviewEvent[];
  recording: {
    status: RecordingStatus;
    state: string;
    retainUntil: string;
    sealedAt: string | null;
    manifestKey: string | null;
    chainHead: string | null;
    /** The seal's progress while the recording is being sealed, else null. */
    sealing: SealingProgress | null;
    /** Sealed with no media at all (nobody was admitted): a manifest, no composite. */
    nothingRecorded: boolean;
  };
  /**
   * The playable composite; its `startedAt` (always set here) is the
   * wall-clock instant at its 0:00, from which the page places each event.
   */
  composite: (CompositeEntry & { startedAt: string }) | null;
  tracks: TrackEntry[];
  cases: DisputeCase[];
}

interface DetailRow extends SealingColumns {
  review_id: string;
  subject: string;
  claimed_category: string;
  format: string;
  scheduled_start: string;
  review_state: ReviewState;
  started_at: string | null;
  ended_at: string | null;
  end_reason: string | null;
  consent_at: string | null;
  retain_until: string;
  sealed_at: string | null;
  manifest_key: string | null;
  composite_key: string | null;
  status: RecordingStatus;
}

/** Reads one recording's detail; NOT_FOUND when there is no such recording. */
export async function readRecordingDetail(
  deps: { db: DatabaseSync; store: ObjectStore; cases: DisputeCases },
  reviewId: string,
): Promise<RecordingDetail> {
  const row = deps.db
    .prepare(
      `SELECT r.review_id, r.subject, r.claimed_category, r.format, r.scheduled_start,
         r.started_at, r.ended_at, r.end_reason, r.consent_at,
         rec.retain_until, rec.sealed_at, rec.manifest_key, rec.composite_key,
         ${SEALING_COLUMNS_SQL},
         ${RECORDING_STATUS_SQL} AS status
       FROM reviews r JOIN recordings rec ON rec.review_id = r.review_id
       WHERE r.review_id = ?`,
    )
    .get(reviewId) as DetailRow | undefined;
  if (!row)
    throw new AppError('NOT_FOUND', 'No recording for this review', {
      details: { reviewId },
    });

  const manifest = await readManifestIfKept(deps.store, row);

  return {
    review: {
      reviewId: row.review_id,
      subject: row.subject,
      claimedCategory: row.claimed_category,
      format: row.format,
      scheduledStart: row.scheduled_start,
      state: row.review_state,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      endReason: row.end_reason,
      consentAt: row.consent_at,
    },
    participants: readPeople(deps.db, reviewId),
    events: readEvents(deps.db, reviewId),
    recording: {
      status: row.status,
      state: row.recording_state,
      retainUntil: row.retain_until,
      sealedAt: row.sealed_at,
      manifestKey: row.manifest_key,
      chainHead: manifest?.chain.head ?? null,
      sealing: sealingOf(row),
      nothingRecorded: row.sealed_at !== null && row.composite_key === null,
    },
    composite: manifest ? compositeWithOrigin(manifest) : null,
    tracks: manifest?.tracks ?? [],
    cases: deps.cases.listForReview(reviewId),
  };
}

/** The manifest of a sealed, not expired recording; undefined otherwise. */
export async function readManifestIfKept(
  store: ObjectStore,
  row: { recording_state: string; manifest_key: string | null; sealed_at: string | null },
): Promise<RecordingManifest | undefined> {
  if (row.recording_state === 'expired' || !row.manifest_key || !row.sealed_at)
    return undefined;

  return JSON.parse(
    (await store.getBuffer(row.manifest_key)).toString('utf8'),
  ) as RecordingManifest;
}

/**
 * The manifest's composite with the instant of its 0:00. Manifests sealed
 * before that instant was stored have it implicitly: the composite starts
 * with the earliest segment (recording/composite-plan.ts).
 */
function compositeWithOrigin(
  manifest: RecordingManifest,
): (CompositeEntry & { startedAt: string }) | null {
  const { composite } = manifest;
  if (!composite) return null;
  if (composite.startedAt) return { ...composite, startedAt: composite.startedAt };

  const starts = manifest.tracks.flatMap((t) =>
    t.segments.map((s) => Date.parse(s.startedAt)),
  );
  if (starts.length === 0) return null;

  return { ...composite, startedAt: new Date(Math.min(...starts)).toISOString() };
}

function readPeople(db: DatabaseSync, reviewId: string): Person[] {
  const rows = db
    .prepare(
      'SELECT person_id, display_name, role FROM review_people WHERE review_id = ? ORDER BY rowid',
    )
    .all(reviewId) as { person_id: string; display_name: string; role: Person['role'] }[];

  return rows.map((r) => ({
    personId: r.person_id,
    displayName: r.display_name,
    role: r.role,
  }));
}

function readEvents(db: DatabaseSync, reviewId: string): ReviewEvent[] {
  const rows = db
    .prepare(
      'SELECT seq, at, type, person_id, data_json FROM review_events WHERE review_id = ? ORDER BY seq',
    )
    .all(reviewId) as {
    seq: number;
    at: string;
    type: ReviewEvent['type'];
    person_id: string | null;
    data_json: string | null;
  }[];

  return rows.map((r) => ({
    reviewId,
    seq: r.seq,
    at: r.at,
    type: r.type,
    ...(r.person_id ? { personId: r.person_id } : {}),
    ...(r.data_json ? { data: JSON.parse(r.data_json) as Record<string, unknown> } : {}),
  }));
}
