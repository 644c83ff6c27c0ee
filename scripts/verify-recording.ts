/**
 * Operator command: re-hashes every object of one recording against its
 * manifest and the manifest's hash chain, prints the outcome as JSON and
 * appends it to the audit log. Reads the configuration from the environment
 * like the service. Exit codes: 0 intact, 2 mismatches found, 1 failure.
 *
 *   node scripts/verify-recording.ts <reviewId>
 */
import fs from 'node:fs';
import os from 'node:os';
import { archiveMigrations } from '../server/archive/archive-migrations.ts';
import {
  operatorObjectStore,
  serviceDatabasePath,
} from '../server/archive/operator-context.ts';
import { loadConfig } from '../server/config/config.ts';
import { openDatabase } from '../server/store/database.ts';
import { AuditLog } from '../storage/audit/audit-log.ts';
import { verifyRecording } from '../storage/audit/recording-verifier.ts';
import { runOperatorCommand } from './lib/operator-command.ts';

const USAGE = 'Usage: node scripts/verify-recording.ts <reviewId>';
const EXIT_MISMATCH = 2;

async function main(argv: string[]): Promise<number> {
  const reviewId = argv[0];
  if (!reviewId || argv.length !== 1 || reviewId.startsWith('-')) {
    console.error(USAGE);
    return 1;
  }

  const config = loadConfig();
  const store = operatorObjectStore(config);
  try {
    const databaseFile = serviceDatabasePath(config);
    const db = fs.existsSync(databaseFile)
      ? openDatabase(databaseFile, archiveMigrations)
      : undefined;
    const row = db
      ?.prepare(
        'SELECT manifest_key, composite_sha256 FROM recordings WHERE review_id = ?',
      )
      .get(reviewId) as
      { manifest_key: string | null; composite_sha256: string | null } | undefined;

    const result = await verifyRecording(store, reviewId, {
      ...(row?.manifest_key ? { manifestKey: row.manifest_key } : {}),
      expectedCompositeSha256: row?.composite_sha256 ?? null,
    });
    console.log(JSON.stringify(result, null, 2));

    if (db) {
      new AuditLog(db).append({
        actor: `operator:${os.userInfo().username}`,
        action: 'verify',
        reviewId,
        details: {
          ok: result.ok,
          objectsChecked: result.objectsChecked,
          mismatches: result.mismatches,
          via: 'cli',
        },
      });
      db.close();
    } else {
      console.error(
        `note: no database at ${databaseFile}; the check is not in the audit log`,
      );
    }

    return result.ok ? 0 : EXIT_MISMATCH;
  } finally {
    store.close();
  }
}

runOperatorCommand(() => main(process.argv.slice(2)));
