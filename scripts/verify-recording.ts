/**
 * Operator command: re-hashes every object of one recording against its
 * manifest and the manifest's hash chain, prints the outcome as JSON and
 * appends it to the audit log. Reads the configuration from the environment
 * like the service, and the service's data directory (SARAPTA_DATA_DIR) for
 * its database and embedded store. Exit codes: 0 intact, 2 mismatches found
 * (a sealed recording's manifest gone counts), 3 no sealed recording to
 * check (unknown review, or not sealed yet), 1 any other failure.
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
import { AppError } from '../server/errors.ts';
import { openDatabase } from '../server/store/database.ts';
import { AuditLog } from '../storage/audit/audit-log.ts';
import { verifyRecording } from '../storage/audit/recording-verifier.ts';
import {
  dataDirNote,
  fromDataDir,
  readCommandLineWithPositionals,
  runOperatorCommand,
  UsageError,
} from './lib/operator-command.ts';

const USAGE = `Usage: node scripts/verify-recording.ts <reviewId>
  Exit codes: 0 intact, 2 mismatches found, 3 no sealed recording for the review, 1 failure.
  Run it with the service's SARAPTA_DATA_DIR (and S3 settings): it reads the
  service's database and object store.`;
const EXIT_MISMATCH = 2;
const EXIT_NOTHING_SEALED = 3;

/** What the service's database knows of the review's recording. */
interface RecordingRow {
  state: string;
  manifest_key: string | null;
  composite_sha256: string | null;
}

async function main(): Promise<number> {
  const commandLine = readCommandLineWithPositionals(USAGE, {});
  if (!commandLine) return 0;
  const [reviewId, ...extra] = commandLine.positionals;
  if (!reviewId || extra.length > 0) {
    throw new UsageError(`Give exactly one review id.\n${USAGE}`);
  }

  const config = loadConfig();
  const store = fromDataDir(config, () => operatorObjectStore(config));
  try {
    const databaseFile = serviceDatabasePath(config);
    const db = fs.existsSync(databaseFile)
      ? openDatabase(databaseFile, archiveMigrations)
      : undefined;
    const row = db
      ?.prepare(
        'SELECT state, manifest_key, composite_sha256 FROM recordings WHERE review_id = ?',
      )
      .get(reviewId) as RecordingRow | undefined;

    if (db && !row?.manifest_key) {
      db.close();
      console.error(
        row
          ? `No sealed recording for review ${reviewId}: its recording is ${row.state}. ` +
              'Verify it once it is sealed.'
          : `No recording for review ${reviewId} in ${databaseFile}. ` +
              `Check the review id. ${dataDirNote(config)}`,
      );
      return EXIT_NOTHING_SEALED;
    }

    let result;
    try {
      result = await verifyRecording(store, reviewId, {
        ...(row?.manifest_key ? { manifestKey: row.manifest_key } : {}),
        expectedCompositeSha256: row?.composite_sha256 ?? null,
      });
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'NOT_FOUND')) throw err;

      db?.close();
      // The database says it was sealed: a manifest gone is a mismatch, not a typo.
      if (row) {
        console.error(
          `The manifest ${row.manifest_key} of review ${reviewId}'s sealed recording is missing from the store.`,
        );
        return EXIT_MISMATCH;
      }
      console.error(
        `No sealed recording for review ${reviewId}: no manifest in the store, and no database at ${databaseFile} to say more. ${dataDirNote(config)}`,
      );
      return EXIT_NOTHING_SEALED;
    }
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

runOperatorCommand(main);
