import { afterEach, describe, expect, it } from 'vitest';
import { archiveMigrations } from '../../../server/archive/archive-migrations.ts';
import { openDatabase, type DatabaseSync } from '../../../server/store/database.ts';
import { AuditLog } from '../../../storage/audit/audit-log.ts';

describe('AuditLog', () => {
  let db: DatabaseSync;
  afterEach(() => db.close());

  function openLog(): AuditLog {
    db = openDatabase(':memory:', archiveMigrations);
    return new AuditLog(db);
  }

  function appendThree(log: AuditLog): void {
    log.append({ actor: 'arch-1', action: 'view', reviewId: 'r1' });
    log.append({
      actor: 'arch-1',
      action: 'download',
      reviewId: 'r1',
      details: { reason: 'court' },
    });
    log.append({
      actor: 'arch-2',
      action: 'case-open',
      reviewId: 'r2',
      details: { caseNumber: 'D-1' },
    });
  }

  it('chains each entry to the previous one and verifies an untouched log', () => {
    const log = openLog();
    appendThree(log);

    const [third, second] = log.list();
    expect(third?.prevHash).toBe(second?.hash);
    expect(log.verifyChain()).toMatchObject({
      ok: true,
      checked: 3,
      headHash: third?.hash,
    });
  });

  it('refuses updates and deletes through SQL', () => {
    const log = openLog();
    appendThree(log);

    expect(() => db.exec("UPDATE audit_log SET actor = 'x' WHERE seq = 2")).toThrow(
      /append-only/,
    );
    expect(() => db.exec('DELETE FROM audit_log WHERE seq = 2')).toThrow(/append-only/);
  });

  it('detects an entry edited around the trigger at its sequence number', () => {
    const log = openLog();
    appendThree(log);

    db.exec('DROP TRIGGER audit_log_no_update');
    db.exec(`UPDATE audit_log SET details_json = '{"reason":"curiosity"}' WHERE seq = 2`);

    expect(log.verifyChain()).toMatchObject({
      ok: false,
      checked: 1,
      brokenAt: { seq: 2, problem: 'content does not match its hash' },
    });
  });

  it('detects a removed entry', () => {
    const log = openLog();
    appendThree(log);

    db.exec('DROP TRIGGER audit_log_no_delete');
    db.exec('DELETE FROM audit_log WHERE seq = 2');

    expect(log.verifyChain().brokenAt).toEqual({ seq: 3, problem: 'entry 2 is missing' });
  });

  it('exports one JSON line per entry in order', () => {
    const log = openLog();
    appendThree(log);

    const lines = [...log.jsonLines()].map((line) => JSON.parse(line) as { seq: number });
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3]);
  });

  it('lists one review newest first', () => {
    const log = openLog();
    appendThree(log);

    expect(log.list({ reviewId: 'r1' }).map((e) => e.action)).toEqual([
      'download',
      'view',
    ]);
  });
});
