import { afterEach, describe, expect, it } from 'vitest';
import { archiveMigrations } from '../../../server/archive/archive-migrations.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import { openDatabase, type DatabaseSync } from '../../../server/store/database.ts';
import { AuditLog } from '../../../storage/audit/audit-log.ts';
import { ObjectStore } from '../../../storage/object-store.ts';
import { RetentionJob } from '../../../storage/retention/retention-job.ts';
import { RetentionScheduler } from '../../../storage/retention/retention-scheduler.ts';

describe('RetentionScheduler', () => {
  let db: DatabaseSync;
  let store: ObjectStore;
  afterEach(() => {
    db.close();
    store.close();
  });

  function job(): RetentionJob {
    db = openDatabase(':memory:', archiveMigrations);
    // Never contacted: these tests stop at configuration.
    store = new ObjectStore({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      bucket: 'unused',
      accessKeyId: 'unused',
      secretAccessKey: 'unused',
      forcePathStyle: true,
      checksumMode: 'WHEN_REQUIRED',
    });
    const logger = createSilentLogger();
    return new RetentionJob({ db, store, audit: new AuditLog(db), logger });
  }

  it('refuses a bad cron expression naming SARAPTA_RETENTION_CRON', () => {
    expect(
      () =>
        new RetentionScheduler({
          job: job(),
          cron: '61 3 * * *',
          timezone: 'Asia/Almaty',
          logger: createSilentLogger(),
        }),
    ).toThrow(/SARAPTA_RETENTION_CRON/);
  });

  it('refuses an unknown time zone naming SARAPTA_RETENTION_TIMEZONE', () => {
    expect(
      () =>
        new RetentionScheduler({
          job: job(),
          cron: '30 3 * * *',
          timezone: 'Asia/Atlantis',
          logger: createSilentLogger(),
        }),
    ).toThrow(/SARAPTA_RETENTION_TIMEZONE/);
  });

  it('schedules the next run at 03:30 in Almaty', async () => {
    const scheduler = new RetentionScheduler({
      job: job(),
      cron: '30 3 * * *',
      timezone: 'Asia/Almaty',
      logger: createSilentLogger(),
    });
    db.prepare(
      "INSERT INTO retention_state (name, last_success_at) VALUES ('retention-job', ?)",
    ).run(new Date().toISOString());
    await scheduler.start();

    const next = scheduler.nextRun();
    await scheduler.close('test finished');

    // Almaty is UTC+5 all year: 03:30 there is 22:30 UTC.
    expect(next?.toISOString()).toMatch(/T22:30:00\.000Z$/);
  });
});
