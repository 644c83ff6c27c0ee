import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../../server/store/database.ts';
import { RECORDING_MIGRATIONS } from '../../../recording/recording-migrations.ts';
import { SqliteRecordingStore } from '../../../recording/sqlite-recording-store.ts';

function openStore(): SqliteRecordingStore {
  const db = openDatabase(':memory:', RECORDING_MIGRATIONS);
  onTestFinished(() => db.close());
  return new SqliteRecordingStore(db);
}

const track = {
  trackId: 'camera-1',
  reviewId: 'r1',
  producerId: 'prod-1',
  personId: 'p1',
  displayName: 'Name',
  role: 'attestee' as const,
  source: 'camera' as const,
  kind: 'video' as const,
  codec: 'vp8',
  extension: 'webm',
  startedAt: new Date('2025-01-01T09:00:00Z'),
  endedAt: undefined,
};
const segment = (seq: number) => ({
  trackId: 'camera-1',
  reviewId: 'r1',
  seq,
  key: `recordings/r1/tracks/camera-1/${seq}.webm`,
  localPath: `/spool/${seq}.webm`,
  sha256: 'ab'.repeat(32),
  size: 100,
  startedAt: new Date(Date.UTC(2025, 0, 1, 9, 0, seq * 4)),
  endedAt: new Date(Date.UTC(2025, 0, 1, 9, 0, seq * 4 + 4)),
  uploadedAt: undefined,
  versionId: undefined,
});

describe('SqliteRecordingStore', () => {
  it('keeps the first retention date when a recording is ensured twice', () => {
    const store = openStore();
    const first = store.ensureRecording(
      'r1',
      new Date('2026-01-01T00:00:00Z'),
      new Date(),
    );

    const again = store.ensureRecording(
      'r1',
      new Date('2030-01-01T00:00:00Z'),
      new Date(),
    );

    expect(first.state).toBe('recording');
    expect(again.retainUntil.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('lists a segment as pending until its upload is marked, once per track and seq', () => {
    const store = openStore();
    store.ensureRecording('r1', new Date('2026-01-01T00:00:00Z'), new Date());
    store.addTrack(track);
    store.addSegment(segment(0));
    store.addSegment(segment(0));
    store.addSegment(segment(1));

    store.markSegmentUploaded('camera-1', 0, new Date(), 'v1');

    expect(store.pendingSegments().map((s) => s.seq)).toEqual([1]);
    expect(store.segmentsOf('r1').map((s) => [s.seq, s.versionId])).toEqual([
      [0, 'v1'],
      [1, undefined],
    ]);
  });

  it('reports recordings left unsealed and forgets them once sealed', () => {
    const store = openStore();
    store.ensureRecording('r1', new Date('2026-01-01T00:00:00Z'), new Date());
    store.ensureRecording('r2', new Date('2026-01-01T00:00:00Z'), new Date());
    store.setRecordingState('r2', 'finalising');

    store.markSealed('r1', {
      manifestKey: 'm',
      compositeKey: 'c',
      compositeSha256: 'h',
      sealedAt: new Date(),
    });

    expect(store.unsealedRecordings().map((r) => r.reviewId)).toEqual(['r2']);
    expect(store.getRecording('r1')).toMatchObject({ state: 'sealed', manifestKey: 'm' });
  });

  it('keeps gaps and track ends', () => {
    const store = openStore();
    store.ensureRecording('r1', new Date('2026-01-01T00:00:00Z'), new Date());
    store.addTrack(track);
    const from = new Date('2025-01-01T09:00:10Z');
    const to = new Date('2025-01-01T09:00:11Z');

    store.addGap({
      trackId: 'camera-1',
      reviewId: 'r1',
      from,
      to,
      reason: 'capture restarted',
    });
    store.endTrack('camera-1', to);

    expect(store.gapsOf('r1')).toEqual([
      { trackId: 'camera-1', reviewId: 'r1', from, to, reason: 'capture restarted' },
    ]);
    expect(store.tracksOf('r1')[0]?.endedAt).toEqual(to);
  });
});
