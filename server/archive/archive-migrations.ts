/**
 * The archive area's tables: the hash-chained audit log, dispute cases, the
 * retention job's lease, run state and deletion claims. Handed to
 * openDatabase() beside the other areas' migrations.
 */
import type { Migration } from '../store/database.ts';

/** The archive's schema steps, in order. Never edit an applied one: add a new id. */
export const archiveMigrations: readonly Migration[] = [
  {
    id: 'archive/001-audit-log',
    sql: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        review_id TEXT,
        details_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_review ON audit_log (review_id, seq);
      -- Append-only inside the service; the hash chain catches edits made around it.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
  {
    id: 'archive/002-dispute-cases',
    sql: `
      CREATE TABLE dispute_cases (
        case_id INTEGER PRIMARY KEY,
        review_id TEXT NOT NULL,
        case_number TEXT NOT NULL,
        reason TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        opened_by TEXT NOT NULL,
        closed_at TEXT,
        closed_by TEXT,
        resolution TEXT
      );
      CREATE INDEX dispute_cases_review ON dispute_cases (review_id, closed_at);
      CREATE INDEX dispute_cases_number ON dispute_cases (case_number);
      -- One open case per number and review: reopening a closed one is a new row.
      CREATE UNIQUE INDEX dispute_cases_open_number
        ON dispute_cases (review_id, case_number) WHERE closed_at IS NULL;
    `,
  },
  {
    id: 'archive/003-retention',
    sql: `
      CREATE TABLE archive_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE retention_state (
        name TEXT PRIMARY KEY,
        last_success_at TEXT NOT NULL
      );
      CREATE TABLE retention_deletions (
        review_id TEXT PRIMARY KEY,
        claimed_at TEXT NOT NULL,
        claimed_by TEXT NOT NULL,
        finished_at TEXT
      );
    `,
  },
];
