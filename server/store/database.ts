/**
 * The metadata database: SQLite through Node's built-in node:sqlite.
 *
 * Each area of the service (reviews, recordings, archive) owns its tables and
 * hands its migrations to openDatabase(). Migration ids are namespaced by area
 * ("reviews/001-initial") and applied once, in the order given, inside a
 * transaction each. A PostgreSQL implementation would sit behind the same
 * area-level store interfaces, not behind this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export type { DatabaseSync } from 'node:sqlite';

/** One schema step. `sql` may hold several statements. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Opens (creating if needed) the database file and applies pending
 * migrations. Pass ':memory:' for a throwaway database in tests.
 */
export function openDatabase(
  file: string,
  migrations: readonly Migration[],
): DatabaseSync {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });

  const db = new DatabaseSync(file);
  // WAL keeps readers (archive searches) from blocking the live-review writers.
  if (file !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
  )`);

  const applied = new Set(
    db
      .prepare('SELECT id FROM schema_migrations')
      .all()
      .map((row) => String(row.id)),
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)',
  );

  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;

    inTransaction(db, () => {
      db.exec(migration.sql);
      record.run(migration.id, new Date().toISOString());
    });
  }

  return db;
}

/** Runs `work` in a transaction; rolls back and rethrows on failure. */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
