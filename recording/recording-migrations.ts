/**
 * The recording pipeline's tables. Applied by server/store/database.ts with
 * the other areas' migrations; ids are namespaced "recordings/NNN-...".
 */
import type { Migration } from '../server/store/database.ts';

/** Schema steps of the recording area, in order. Never edit a released step. */
export const RECORDING_MIGRATIONS: readonly Migration[] = [
  {
    id: 'recordings/001-initial',
    sql: `
      CREATE TABLE recordings (
        review_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        retain_until TEXT NOT NULL,
        created_at TEXT NOT NULL,
        review_snapshot TEXT,
        manifest_key TEXT,
        composite_key TEXT,
        composite_sha256 TEXT,
        sealed_at TEXT,
        failure TEXT
      );
      CREATE INDEX recordings_state ON recordings (state);

      CREATE TABLE recording_tracks (
        track_id TEXT PRIMARY KEY,
        review_id TEXT NOT NULL REFERENCES recordings (review_id),
        producer_id TEXT NOT NULL,
        person_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        codec TEXT NOT NULL,
        extension TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT
      );
      CREATE INDEX recording_tracks_review ON recording_tracks (review_id);

      CREATE TABLE recording_segments (
        track_id TEXT NOT NULL REFERENCES recording_tracks (track_id),
        seq INTEGER NOT NULL,
        review_id TEXT NOT NULL REFERENCES recordings (review_id),
        key TEXT NOT NULL,
        local_path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        uploaded_at TEXT,
        version_id TEXT,
        PRIMARY KEY (track_id, seq)
      );
      CREATE INDEX recording_segments_review ON recording_segments (review_id);
      CREATE INDEX recording_segments_pending ON recording_segments (uploaded_at)
        WHERE uploaded_at IS NULL;

      CREATE TABLE recording_gaps (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        track_id TEXT NOT NULL REFERENCES recording_tracks (track_id),
        review_id TEXT NOT NULL REFERENCES recordings (review_id),
        from_at TEXT NOT NULL,
        to_at TEXT NOT NULL,
        reason TEXT NOT NULL
      );
      CREATE INDEX recording_gaps_review ON recording_gaps (review_id);
    `,
  },
  {
    id: 'recordings/002-seal-progress',
    // The last recorded step of a running seal, so archivists can follow it.
    sql: `
      ALTER TABLE recordings ADD COLUMN seal_stage TEXT;
      ALTER TABLE recordings ADD COLUMN seal_fraction REAL;
      ALTER TABLE recordings ADD COLUMN seal_updated_at TEXT;
    `,
  },
];
