/**
 * RecordingStore on the service's SQLite database. Dates are stored as ISO
 * strings (UTC) so SQLite's date functions and other readers compare them as
 * instants.
 */
import type { DatabaseSync } from '../server/store/database.ts';
import type { MediaSource, Role } from '../server/review/review-types.ts';
import type {
  GapRecord,
  RecordingRecord,
  RecordingStore,
  SealProgressRecord,
  SealRecord,
  SegmentRecord,
  StoredRecordingState,
  TrackRecord,
} from './recording-store.ts';

type Row = Record<string, unknown>;

/** The SQLite implementation of RecordingStore. */
export class SqliteRecordingStore implements RecordingStore {
  readonly #db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  ensureRecording(reviewId: string, retainUntil: Date, now: Date): RecordingRecord {
    this.#db
      .prepare(
        `INSERT INTO recordings (review_id, state, retain_until, created_at)
         VALUES (?, 'recording', ?, ?) ON CONFLICT (review_id) DO NOTHING`,
      )
      .run(reviewId, retainUntil.toISOString(), now.toISOString());

    return this.getRecording(reviewId) as RecordingRecord;
  }

  getRecording(reviewId: string): RecordingRecord | undefined {
    const row = this.#db
      .prepare('SELECT * FROM recordings WHERE review_id = ?')
      .get(reviewId);

    return row ? toRecording(row) : undefined;
  }

  unsealedRecordings(): RecordingRecord[] {
    return this.#db
      .prepare(
        `SELECT * FROM recordings WHERE state IN ('recording', 'finalising')
         ORDER BY created_at`,
      )
      .all()
      .map(toRecording);
  }

  setRecordingState(
    reviewId: string,
    state: StoredRecordingState,
    failure?: string,
  ): void {
    this.#db
      .prepare('UPDATE recordings SET state = ?, failure = ? WHERE review_id = ?')
      .run(state, failure ?? null, reviewId);
  }

  saveReviewSnapshot(
    reviewId: string,
    snapshot: RecordingRecord['reviewSnapshot'],
  ): void {
    this.#db
      .prepare('UPDATE recordings SET review_snapshot = ? WHERE review_id = ?')
      .run(JSON.stringify(snapshot), reviewId);
  }

  markSealed(reviewId: string, seal: SealRecord): void {
    this.#db
      .prepare(
        `UPDATE recordings SET state = 'sealed', manifest_key = ?, composite_key = ?,
           composite_sha256 = ?, sealed_at = ?, failure = NULL
         WHERE review_id = ?`,
      )
      .run(
        seal.manifestKey,
        seal.compositeKey ?? null,
        seal.compositeSha256 ?? null,
        seal.sealedAt.toISOString(),
        reviewId,
      );
  }

  recordSealProgress(reviewId: string, progress: SealProgressRecord): void {
    this.#db
      .prepare(
        `UPDATE recordings SET seal_stage = ?, seal_fraction = ?, seal_updated_at = ?
         WHERE review_id = ?`,
      )
      .run(progress.stage, progress.fraction, progress.updatedAt.toISOString(), reviewId);
  }

  clearSealProgress(reviewId: string): void {
    this.#db
      .prepare(
        `UPDATE recordings SET seal_stage = NULL, seal_fraction = NULL,
           seal_updated_at = NULL
         WHERE review_id = ?`,
      )
      .run(reviewId);
  }

  addTrack(track: TrackRecord): void {
    this.#db
      .prepare(
        `INSERT INTO recording_tracks (track_id, review_id, producer_id, person_id,
           display_name, role, source, kind, codec, extension, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        track.trackId,
        track.reviewId,
        track.producerId,
        track.personId,
        track.displayName,
        track.role,
        track.source,
        track.kind,
        track.codec,
        track.extension,
        track.startedAt.toISOString(),
        track.endedAt?.toISOString() ?? null,
      );
  }

  endTrack(trackId: string, endedAt: Date): void {
    this.#db
      .prepare(
        'UPDATE recording_tracks SET ended_at = ? WHERE track_id = ? AND ended_at IS NULL',
      )
      .run(endedAt.toISOString(), trackId);
  }

  tracksOf(reviewId: string): TrackRecord[] {
    return this.#db
      .prepare(
        'SELECT * FROM recording_tracks WHERE review_id = ? ORDER BY started_at, track_id',
      )
      .all(reviewId)
      .map(toTrack);
  }

  addSegment(segment: SegmentRecord): void {
    this.#db
      .prepare(
        `INSERT INTO recording_segments (track_id, seq, review_id, key, local_path, sha256,
           size, started_at, ended_at, uploaded_at, version_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (track_id, seq) DO NOTHING`,
      )
      .run(
        segment.trackId,
        segment.seq,
        segment.reviewId,
        segment.key,
        segment.localPath,
        segment.sha256,
        segment.size,
        segment.startedAt.toISOString(),
        segment.endedAt.toISOString(),
        segment.uploadedAt?.toISOString() ?? null,
        segment.versionId ?? null,
      );
  }

  markSegmentUploaded(
    trackId: string,
    seq: number,
    uploadedAt: Date,
    versionId: string | undefined,
  ): void {
    this.#db
      .prepare(
        `UPDATE recording_segments SET uploaded_at = ?, version_id = ?
         WHERE track_id = ? AND seq = ?`,
      )
      .run(uploadedAt.toISOString(), versionId ?? null, trackId, seq);
  }

  segmentsOf(reviewId: string): SegmentRecord[] {
    return this.#db
      .prepare(
        'SELECT * FROM recording_segments WHERE review_id = ? ORDER BY track_id, seq',
      )
      .all(reviewId)
      .map(toSegment);
  }

  pendingSegments(): SegmentRecord[] {
    return this.#db
      .prepare(
        `SELECT * FROM recording_segments WHERE uploaded_at IS NULL
         ORDER BY started_at, track_id, seq`,
      )
      .all()
      .map(toSegment);
  }

  addGap(gap: GapRecord): void {
    this.#db
      .prepare(
        `INSERT INTO recording_gaps (track_id, review_id, from_at, to_at, reason)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(
        gap.trackId,
        gap.reviewId,
        gap.from.toISOString(),
        gap.to.toISOString(),
        gap.reason,
      );
  }

  gapsOf(reviewId: string): GapRecord[] {
    return this.#db
      .prepare('SELECT * FROM recording_gaps WHERE review_id = ? ORDER BY from_at, id')
      .all(reviewId)
      .map((row) => ({
        trackId: String(row.track_id),
        reviewId: String(row.review_id),
        from: new Date(String(row.from_at)),
        to: new Date(String(row.to_at)),
        reason: String(row.reason),
      }));
  }
}

function optionalString(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

function optionalDate(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : new Date(String(value));
}

function toRecording(row: Row): RecordingRecord {
  const snapshot = optionalString(row.review_snapshot);

  return {
    reviewId: String(row.review_id),
    state: String(row.state) as StoredRecordingState,
    retainUntil: new Date(String(row.retain_until)),
    createdAt: new Date(String(row.created_at)),
    reviewSnapshot: snapshot ? JSON.parse(snapshot) : undefined,
    manifestKey: optionalString(row.manifest_key),
    compositeKey: optionalString(row.composite_key),
    compositeSha256: optionalString(row.composite_sha256),
    sealedAt: optionalDate(row.sealed_at),
    failure: optionalString(row.failure),
    sealProgress: toSealProgress(row),
  };
}

function toSealProgress(row: Row): SealProgressRecord | undefined {
  if (row.seal_stage === null || row.seal_stage === undefined) return undefined;

  return {
    stage: String(row.seal_stage) as SealProgressRecord['stage'],
    fraction: Number(row.seal_fraction ?? 0),
    updatedAt: new Date(String(row.seal_updated_at)),
  };
}

function toTrack(row: Row): TrackRecord {
  return {
    trackId: String(row.track_id),
    reviewId: String(row.review_id),
    producerId: String(row.producer_id),
    personId: String(row.person_id),
    displayName: String(row.display_name),
    role: String(row.role) as Role,
    source: String(row.source) as MediaSource,
    kind: String(row.kind) as 'audio' | 'video',
    codec: String(row.codec),
    extension: String(row.extension),
    startedAt: new Date(String(row.started_at)),
    endedAt: optionalDate(row.ended_at),
  };
}

function toSegment(row: Row): SegmentRecord {
  return {
    trackId: String(row.track_id),
    reviewId: String(row.review_id),
    seq: Number(row.seq),
    key: String(row.key),
    localPath: String(row.local_path),
    sha256: String(row.sha256),
    size: Number(row.size),
    startedAt: new Date(String(row.started_at)),
    endedAt: new Date(String(row.ended_at)),
    uploadedAt: optionalDate(row.uploaded_at),
    versionId: optionalString(row.version_id),
  };
}
