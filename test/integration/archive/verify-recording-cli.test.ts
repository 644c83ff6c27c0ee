import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseSync } from '../../../server/store/database.ts';
import type { ObjectStore } from '../../../storage/object-store.ts';
import { AuditLog } from '../../../storage/audit/audit-log.ts';
import { testS3 } from '../../helpers/s3-server.ts';
import {
  archiveTestStore,
  emptyBucket,
  openArchiveTestDatabase,
  writeRecording,
} from './archive-fixtures.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/verify-recording.ts');

describe('scripts/verify-recording.ts', () => {
  let store: ObjectStore;
  let dataDir: string;
  let db: DatabaseSync;

  beforeAll(async () => {
    store = await archiveTestStore();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-cli-'));
    db = openArchiveTestDatabase(path.join(dataDir, 'sarapta.db'));
  });
  afterAll(async () => {
    db?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await emptyBucket(store);
    store.close();
  });

  function runVerify(reviewId: string): {
    status: number | null;
    report: { ok: boolean; mismatches: { key: string }[] };
  } {
    const child = spawnVerify(reviewId);
    if (child.status === 1) throw new Error(`verify-recording failed: ${child.stderr}`);
    return { status: child.status, report: JSON.parse(child.stdout) };
  }

  function spawnVerify(reviewId: string): SpawnSyncReturns<string> {
    const s3 = testS3();
    return spawnSync(process.execPath, [SCRIPT, reviewId], {
      encoding: 'utf8',
      env: {
        ...process.env,
        SARAPTA_DATA_DIR: dataDir,
        SARAPTA_S3_ENDPOINT: s3.endpoint,
        SARAPTA_S3_ACCESS_KEY_ID: s3.accessKeyId,
        SARAPTA_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        SARAPTA_S3_BUCKET: store.bucket,
      },
    });
  }

  it('exits 0 for an intact recording, 2 naming a replaced segment, and audits both', async () => {
    const recording = await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 5000),
    });

    const intact = runVerify(recording.reviewId);
    expect(intact).toMatchObject({ status: 0, report: { ok: true, mismatches: [] } });

    const segmentKey = recording.manifest.tracks[0]?.segments[1]?.key as string;
    await store.putLocked({
      key: segmentKey,
      body: Buffer.from('edited'),
      contentType: 'video/webm',
      retainUntil: new Date(Date.now() + 5000),
    });
    const tampered = runVerify(recording.reviewId);
    expect(tampered.status).toBe(2);
    expect(tampered.report.mismatches.map((m) => m.key)).toEqual([segmentKey]);

    const audited = new AuditLog(db).list({ reviewId: recording.reviewId });
    expect(audited.map((e) => [e.action, e.details.ok])).toEqual([
      ['verify', false],
      ['verify', true],
    ]);
  });

  it('exits 3 with a plain message for a review with no sealed recording', () => {
    const unknown = spawnVerify('no-such-review');

    expect(unknown.status).toBe(3);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^No recording for review no-such-review in /);
    expect(unknown.stderr).toMatch(/SARAPTA_DATA_DIR/);
  });
});
