/** Readiness of the metadata database: it is open and answers a query. */
import type { DatabaseSync } from '../../store/database.ts';
import type { ReadinessCheck } from '../readiness.ts';

/** Fails when the database is closed or cannot run SELECT 1. */
export function databaseCheck(db: Pick<DatabaseSync, 'prepare'>): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      db.prepare('SELECT 1').get();
    },
  };
}
