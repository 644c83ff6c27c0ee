/**
 * Benchmark: time and peak memory of one retention run over a large archive.
 * Fills a fresh database with --rows recordings (default 100 000), of which
 * --due have passed their date; --with-objects of those (default 100) also
 * have real objects in a fresh bucket of the configured S3, written with a
 * retention date a few seconds ahead and deleted by the run. Prints figures;
 * asserts nothing.
 *
 *   SARAPTA_S3_ENDPOINT=… SARAPTA_S3_ACCESS_KEY_ID=… SARAPTA_S3_SECRET_ACCESS_KEY=… \
 *     node scripts/bench-retention.ts [--rows N] [--due N] [--with-objects N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { archiveMigrations } from '../server/archive/archive-migrations.ts';
import { loadConfig } from '../server/config/config.ts';
import { createSilentLogger } from '../server/log/logger.ts';
import { REVIEW_MIGRATIONS } from '../server/review/review-migrations.ts';
import {
  inTransaction,
  openDatabase,
  type DatabaseSync,
} from '../server/store/database.ts';
import { RECORDING_MIGRATIONS } from '../recording/recording-migrations.ts';
import { recordingKeys } from '../recording/manifest.ts';
import { AuditLog } from '../storage/audit/audit-log.ts';
import { ObjectStore } from '../storage/object-store.ts';
import { RetentionJob } from '../storage/retention/retention-job.ts';

const OBJECTS_PER_RECORDING = 4;
const OBJECT_LOCK_LEAD_MS = 3000;
const MEMORY_SAMPLE_MS = 20;
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      due: { type: 'string', default: '1000' },
      'with-objects': { type: 'string', default: '100' },
    },
  });
  const rows = Number(values.rows);
  const due = Math.min(Number(values.due), rows);
  const withObjects = Math.min(Number(values['with-objects']), due);

  const config = loadConfig();
  if (!config.s3.endpoint || !config.s3.accessKeyId || !config.s3.secretAccessKey) {
    throw new Error(
      'Set SARAPTA_S3_ENDPOINT, SARAPTA_S3_ACCESS_KEY_ID and SARAPTA_S3_SECRET_ACCESS_KEY',
    );
  }
  const store = new ObjectStore({
    endpoint: config.s3.endpoint,
    region: config.s3.region,
    bucket: `bench-retention-${Date.now().toString(36)}`,
    accessKeyId: config.s3.accessKeyId,
    secretAccessKey: config.s3.secretAccessKey,
    forcePathStyle: config.s3.forcePathStyle,
    checksumMode: config.s3.checksumMode,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-retention-'));
  const db = openDatabase(path.join(dir, 'bench.db'), [
    ...REVIEW_MIGRATIONS,
    ...RECORDING_MIGRATIONS,
    ...archiveMigrations,
  ]);

  try {
    await store.ensureBucket();
    const fillStarted = performance.now();
    fillRows(db, rows, due);
    const lastLockEnds = await writeObjects(store, withObjects);
    console.log(
      `filled ${rows} rows (${due} due, ${withObjects} with ${OBJECTS_PER_RECORDING} objects each) in ${seconds(fillStarted)} s`,
    );

    await new Promise((resolve) =>
      setTimeout(resolve, lastLockEnds.getTime() + 1500 - Date.now()),
    );
    const job = new RetentionJob({
      db,
      store,
      audit: new AuditLog(db),
      logger: createSilentLogger(),
    });

    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, MEMORY_SAMPLE_MS);

    const started = performance.now();
    const report = await job.run();
    const elapsed = seconds(started);
    clearInterval(sampler);

    console.log(`retention run: ${elapsed} s`);
    console.log(
      `  deleted ${report.deleted.count} recordings (${report.versionsDeleted} versions), kept ${report.kept.count}, refused ${report.refused.count}`,
    );
    console.log(
      `  memory: rss ${mb(before.rss)} -> peak ${mb(peakRss)} MB, heap ${mb(before.heapUsed)} -> peak ${mb(peakHeap)} MB`,
    );
  } finally {
    db.close();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows for reviews and recordings; the first `due` are past their date. */
function fillRows(db: DatabaseSync, rows: number, due: number): void {
  const review = db.prepare(
    `INSERT INTO reviews (review_id, subject, claimed_category, format, scheduled_start, state, created_at)
     VALUES (?, 'Bench', 'teacher', 'remote', '2026-01-01T00:00:00Z', 'ended', '2026-01-01T00:00:00Z')`,
  );
  const recording = db.prepare(
    `INSERT INTO recordings (review_id, state, retain_until, created_at, manifest_key, sealed_at)
     VALUES (?, 'sealed', ?, '2026-01-01T00:00:00Z', ?, '2026-01-01T00:00:00Z')`,
  );
  const future = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString();
  const past = new Date(Date.now() - 1000).toISOString();

  inTransaction(db, () => {
    for (let i = 0; i < rows; i += 1) {
      const reviewId = benchId(i);
      review.run(reviewId);
      recording.run(reviewId, i < due ? past : future, recordingKeys.manifest(reviewId));
    }
  });
}

/**
 * Objects locked a moment ahead of each write (S3 refuses a past date);
 * returns when the last lock ends.
 */
async function writeObjects(store: ObjectStore, count: number): Promise<Date> {
  let retainUntil = new Date();
  for (let i = 0; i < count; i += 1) {
    retainUntil = new Date(Date.now() + OBJECT_LOCK_LEAD_MS);
    const reviewId = benchId(i);
    const keys = [
      recordingKeys.segment(reviewId, 't1', 0, 'webm'),
      recordingKeys.segment(reviewId, 't1', 1, 'webm'),
      recordingKeys.composite(reviewId),
      recordingKeys.manifest(reviewId),
    ];
    const body = (key: string) =>
      Buffer.from(key === keys[3] ? JSON.stringify(benchManifest(reviewId)) : key);
    await Promise.all(
      keys.map((key) =>
        store.putLocked({ key, body: body(key), contentType: 'text/plain', retainUntil }),
      ),
    );
  }
  return retainUntil;
}

/** The least a manifest needs for the job's receipt: no tracks, no composite. */
function benchManifest(reviewId: string): Record<string, unknown> {
  return {
    version: 1,
    reviewId,
    retainUntil: new Date().toISOString(),
    tracks: [],
    events: [],
    sealedAt: new Date().toISOString(),
    chain: { algorithm: 'sha256', genesis: 'sarapta-recording-chain-v1', head: 'bench' },
  };
}

function benchId(i: number): string {
  return `bench-${String(i).padStart(7, '0')}`;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(2);
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
