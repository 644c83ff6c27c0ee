import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DatabaseSync } from '../../../server/store/database.ts';
import { recordingKeys } from '../../../recording/manifest.ts';
import { AuditLog } from '../../../storage/audit/audit-log.ts';
import { DisputeCases } from '../../../storage/legal-hold/dispute-cases.ts';
import type { ObjectStore } from '../../../storage/object-store.ts';
import { RetentionJob } from '../../../storage/retention/retention-job.ts';
import { RetentionScheduler } from '../../../storage/retention/retention-scheduler.ts';
import {
  archiveTestStore,
  emptyBucket,
  openArchiveTestDatabase,
  silentLogger,
  sleepUntil,
  writeRecording,
} from './archive-fixtures.ts';

const SHORT_RETENTION_MS = 4000;

describe('retention job against S3 with Object Lock', { timeout: 30_000 }, () => {
  let store: ObjectStore;

  beforeAll(async () => {
    store = await archiveTestStore();
  });
  afterAll(async () => {
    await emptyBucket(store);
    store.close();
  });

  function openDb(file = ':memory:'): DatabaseSync {
    const db = openArchiveTestDatabase(file);
    onTestFinished(() => db.close());
    return db;
  }

  async function versionsOf(reviewId: string): Promise<number> {
    let count = 0;
    for await (const page of store.listVersions(recordingKeys.prefix(reviewId)))
      count += page.length;
    return count;
  }

  function soon(): Date {
    return new Date(Date.now() + SHORT_RETENTION_MS);
  }

  /** A job on `db` that writes its receipts to `audit`. */
  function retentionJob(
    db: DatabaseSync,
    audit = new AuditLog(db),
    holderId?: string,
  ): RetentionJob {
    return new RetentionJob({ db, store, audit, logger: silentLogger, holderId });
  }

  /** Pretends the job last succeeded at `at`. */
  function recordLastSuccess(db: DatabaseSync, at: string): void {
    db.prepare(
      "INSERT INTO retention_state (name, last_success_at) VALUES ('retention-job', ?)",
    ).run(at);
  }

  /** Starts a scheduler of `job` on `cron` and waits until its start-up catch-up is over. */
  async function startScheduler(job: RetentionJob, cron: string): Promise<void> {
    const scheduler = new RetentionScheduler({
      job,
      cron,
      timezone: 'Asia/Almaty',
      logger: silentLogger,
    });
    onTestFinished(() => scheduler.close('test finished'));
    await scheduler.start();
    await scheduler.whenIdle();
  }

  it('is refused deletion before its date and deleted by the job after it', async () => {
    const db = openDb();
    const audit = new AuditLog(db);
    const job = retentionJob(db, audit);
    const retainUntil = soon();
    const recording = await writeRecording(store, db, { retainUntil });

    const before = await job.run();
    expect(before.deleted.count).toBe(0);

    const versions = [];
    for await (const page of store.listVersions(recordingKeys.prefix(recording.reviewId)))
      versions.push(...page);
    const direct = await store.deleteVersions(versions);
    expect(direct.deleted).toEqual([]);
    expect(direct.refused).toHaveLength(4);

    // A database that claims the date has passed does not beat S3's own lock.
    db.prepare('UPDATE recordings SET retain_until = ? WHERE review_id = ?').run(
      '2020-01-01T00:00:00Z',
      recording.reviewId,
    );
    const early = await job.run();
    expect(early.kept).toMatchObject({ count: 1, sample: [recording.reviewId] });
    expect(await versionsOf(recording.reviewId)).toBe(4);

    await sleepUntil(retainUntil);
    const after = await job.run();

    expect(after.deleted).toMatchObject({ count: 1, sample: [recording.reviewId] });
    expect(await versionsOf(recording.reviewId)).toBe(0);
    expect(db.prepare('SELECT state FROM recordings').get()).toEqual({
      state: 'expired',
    });
    const [receipt] = audit.list({ reviewId: recording.reviewId });
    expect(receipt).toMatchObject({
      action: 'deletion',
      actor: 'system:retention',
      details: {
        versionsDeleted: 4,
        manifest: { chainHead: recording.manifest.chain.head },
      },
    });
    expect(audit.verifyChain().ok).toBe(true);
  });

  it('reports a recording with an unreadable manifest and still deletes the others', async () => {
    const db = openDb();
    const job = retentionJob(db);
    const retainUntil = soon();
    const broken = await writeRecording(store, db, {
      retainUntil,
      reviewId: 'rv-a-broken',
    });
    const intact = await writeRecording(store, db, {
      retainUntil,
      reviewId: 'rv-b-intact',
    });
    await store.putLocked({
      key: recordingKeys.manifest(broken.reviewId),
      body: Buffer.from('{ truncated'),
      contentType: 'application/json',
      retainUntil,
    });
    await sleepUntil(retainUntil);

    const report = await job.run();

    expect(report.failed).toMatchObject({ count: 1, sample: [broken.reviewId] });
    expect(report.deleted).toMatchObject({ count: 1, sample: [intact.reviewId] });
    expect(await versionsOf(broken.reviewId)).toBe(5);
  });

  it('reports in a dry run what it would delete and deletes nothing', async () => {
    const db = openDb();
    const job = retentionJob(db);
    const retainUntil = soon();
    const recording = await writeRecording(store, db, { retainUntil });
    await sleepUntil(retainUntil);

    const report = await job.run({ dryRun: true });

    expect(report.wouldDelete).toMatchObject({ count: 1, sample: [recording.reviewId] });
    expect(report.deleted.count).toBe(0);
    expect(await versionsOf(recording.reviewId)).toBe(4);
    expect(job.lastSuccessAt()).toBeUndefined();
  });

  it('keeps a held recording past its date and deletes it after the case is closed', async () => {
    const db = openDb();
    const audit = new AuditLog(db);
    const cases = new DisputeCases({ db, store, audit, logger: silentLogger });
    const job = retentionJob(db, audit);
    const retainUntil = soon();
    const recording = await writeRecording(store, db, { retainUntil });

    const opened = await cases.open({
      reviewId: recording.reviewId,
      caseNumber: 'D-2026-17',
      reason: 'The attestee disputes the council decision',
      actor: 'archivist-1',
    });
    expect(
      (await store.head(recordingKeys.composite(recording.reviewId)))?.legalHold,
    ).toBe(true);
    await sleepUntil(retainUntil);

    const held = await job.run();
    expect(held.deleted.count).toBe(0);
    expect(await versionsOf(recording.reviewId)).toBe(4);

    await cases.close({
      caseId: opened.caseId,
      actor: 'archivist-1',
      resolution: 'upheld',
    });
    expect(
      (await store.head(recordingKeys.composite(recording.reviewId)))?.legalHold,
    ).toBe(false);
    const released = await job.run();

    expect(released.deleted.count).toBe(1);
    expect(await versionsOf(recording.reviewId)).toBe(0);
    expect(audit.list({ reviewId: recording.reviewId }).map((e) => e.action)).toEqual([
      'deletion',
      'release',
      'case-close',
      'hold',
      'case-open',
    ]);
  });

  it('deletes once when two processes run the job at the same time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lease-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'meta.db');
    const dbA = openDb(file);
    const dbB = openDb(file);
    const retainUntil = soon();
    await writeRecording(store, dbA, { retainUntil });
    await writeRecording(store, dbA, { retainUntil });
    await sleepUntil(retainUntil);

    const jobA = retentionJob(dbA, new AuditLog(dbA), 'host-a');
    const jobB = retentionJob(dbB, new AuditLog(dbB), 'host-b');
    const [a, b] = await Promise.all([jobA.run(), jobB.run()]);

    expect(a.deleted.count + b.deleted.count).toBe(2);
    expect([a.skipped, b.skipped]).toContain('lease-held');
    const receipts = dbA
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'deletion'")
      .get();
    expect(receipts).toEqual({ n: 2 });
  });

  it('catches up a run missed while the service was down', async () => {
    const db = openDb();
    const job = retentionJob(db);
    const retainUntil = soon();
    const recording = await writeRecording(store, db, { retainUntil });
    await sleepUntil(retainUntil);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString();
    recordLastSuccess(db, twoDaysAgo);

    await startScheduler(job, '30 3 * * *');

    expect(await versionsOf(recording.reviewId)).toBe(0);
    expect(job.lastSuccessAt()?.getTime()).toBeGreaterThan(Date.parse(twoDaysAgo));
  });

  it('does not run at start when no scheduled time passed since the last run', async () => {
    const db = openDb();
    const job = retentionJob(db);
    const retainUntil = soon();
    const recording = await writeRecording(store, db, { retainUntil });
    await sleepUntil(retainUntil);
    const lastSuccess = new Date(Date.now() - 1000).toISOString();
    recordLastSuccess(db, lastSuccess);

    // Fires once a year on 1 January: certainly not within the last second.
    await startScheduler(job, '0 0 1 1 *');

    expect(await versionsOf(recording.reviewId)).toBe(4);
    expect(job.lastSuccessAt()?.toISOString()).toBe(lastSuccess);
  });
});
