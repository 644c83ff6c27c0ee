import { afterEach, describe, expect, it } from 'vitest';
import { archiveMigrations } from '../../../server/archive/archive-migrations.ts';
import { openDatabase, type DatabaseSync } from '../../../server/store/database.ts';
import { SqliteLease } from '../../../storage/retention/sqlite-lease.ts';

describe('SqliteLease', () => {
  let db: DatabaseSync;
  afterEach(() => db.close());

  function lease(holder: string, ttlMs = 60_000): SqliteLease {
    return new SqliteLease({ db, name: 'retention-job', holder, ttlMs });
  }

  it('lets one holder in at a time until it releases', () => {
    db = openDatabase(':memory:', archiveMigrations);
    const a = lease('a');
    const b = lease('b');

    expect(a.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(b.renew()).toBe(false);

    b.release();
    expect(a.renew()).toBe(true);

    a.release();
    expect(b.tryAcquire()).toBe(true);
  });

  it('hands an expired lease to the next holder, after which the old one cannot renew', () => {
    db = openDatabase(':memory:', archiveMigrations);
    const crashed = lease('crashed', -1);
    expect(crashed.tryAcquire()).toBe(true);

    const next = lease('next');
    expect(next.tryAcquire()).toBe(true);
    expect(crashed.renew()).toBe(false);
  });

  it('skips the write while the lease is fresh but notices a takeover once it is due', () => {
    db = openDatabase(':memory:', archiveMigrations);
    const paused = lease('paused', 40);
    expect(paused.tryAcquire()).toBe(true);
    expect(paused.renewIfDue()).toBe(true);

    const until = Date.now() + 60;
    while (Date.now() < until) {
      // Busy-waits past the lease: a process paused longer than its lease.
    }
    expect(lease('other').tryAcquire()).toBe(true);

    expect(paused.renewIfDue()).toBe(false);
  });
});
