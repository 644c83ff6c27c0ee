/**
 * The review area's tables. The archive reads them to search by attestee,
 * council, subject and date, so names and columns are a contract: add
 * columns in new migrations, never rename or drop.
 */
import type { Migration } from '../store/database.ts';

/** Migrations of the reviews area, applied in order by openDatabase(). */
export const REVIEW_MIGRATIONS: readonly Migration[] = [
  {
    id: 'reviews/001-initial',
    sql: `
      CREATE TABLE reviews (
        review_id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        claimed_category TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('remote', 'in-person')),
        scheduled_start TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('scheduled', 'lobby', 'live', 'ended', 'cancelled')),
        started_at TEXT,
        ended_at TEXT,
        end_reason TEXT,
        consent_at TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX reviews_scheduled_start ON reviews (scheduled_start);
      CREATE INDEX reviews_state ON reviews (state);

      CREATE TABLE review_people (
        review_id TEXT NOT NULL REFERENCES reviews (review_id),
        person_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('attestee', 'chair', 'expert', 'room-device')),
        PRIMARY KEY (review_id, person_id)
      );
      CREATE INDEX review_people_display_name ON review_people (display_name);

      CREATE TABLE review_events (
        review_id TEXT NOT NULL REFERENCES reviews (review_id),
        seq INTEGER NOT NULL,
        at TEXT NOT NULL,
        type TEXT NOT NULL,
        person_id TEXT,
        data_json TEXT,
        PRIMARY KEY (review_id, seq)
      );
    `,
  },
];
