import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../../server/store/database.ts';
import { RECORDING_MIGRATIONS } from '../../../recording/recording-migrations.ts';
import { SqliteRecordingStore } from '../../../recording/sqlite-recording-store.ts';

function openStore(): SqliteRecordingStore {
  const db = openDatabase(':memory:', RECORDING_MIGRATIONS);
  onTestFinished(() => db.close());
  return new SqliteRecordingStore(db);
}

describe('SqliteRecordingStore seal progress', () => {
  it('has no seal progress for a new recording', () => {
    const store = openStore();

    const recording = store.ensureRecording('r1', new Date('2027-01-01'), new Date());

    expect(recording.sealProgress).toBeUndefined();
  });

  it('keeps the latest recorded progress and forgets it when cleared', () => {
    const store = openStore();
    store.ensureRecording('r1', new Date('2027-01-01'), new Date());

    store.recordSealProgress('r1', {
      stage: 'downloading',
      fraction: 1,
      updatedAt: new Date('2026-01-01T09:00:00Z'),
    });
    store.recordSealProgress('r1', {
      stage: 'composing',
      fraction: 0.45,
      updatedAt: new Date('2026-01-01T09:00:02Z'),
    });

    expect(store.getRecording('r1')?.sealProgress).toEqual({
      stage: 'composing',
      fraction: 0.45,
      updatedAt: new Date('2026-01-01T09:00:02Z'),
    });
    store.clearSealProgress('r1');
    expect(store.getRecording('r1')?.sealProgress).toBeUndefined();
  });
});
