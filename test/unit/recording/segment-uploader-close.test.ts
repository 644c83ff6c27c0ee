/**
 * Closing the uploader while S3 is answering an upload: the answer is stored
 * before close() resolves (the database closes right after it at shutdown),
 * and an answer that never comes does not hold the shutdown.
 *
 * The object store is a stand-in whose answer the test releases by hand; the
 * recording store is the real SQLite one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { recordingMetrics } from '../../../recording/recording-metrics.ts';
import { RECORDING_MIGRATIONS } from '../../../recording/recording-migrations.ts';
import { SegmentUploader } from '../../../recording/segment-uploader.ts';
import { SqliteRecordingStore } from '../../../recording/sqlite-recording-store.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import { openDatabase } from '../../../server/store/database.ts';
import type { ObjectStore, PutResult } from '../../../storage/object-store.ts';

/** An upload S3 has received and not yet answered. */
interface HeldUpload {
  answer(result: PutResult): void;
}

function uploaderWithHeldS3() {
  const db = openDatabase(':memory:', RECORDING_MIGRATIONS);
  onTestFinished(() => db.close());
  const store = new SqliteRecordingStore(db);
  store.ensureRecording('r1', new Date('2027-12-04T00:00:00Z'), new Date());
  store.addTrack({
    trackId: 'camera-1',
    reviewId: 'r1',
    producerId: 'prod-1',
    personId: 'p1',
    displayName: 'Aigerim Sadykova',
    role: 'attestee',
    source: 'camera',
    kind: 'video',
    codec: 'vp8',
    extension: 'webm',
    startedAt: new Date('2026-12-04T09:00:00Z'),
    endedAt: undefined,
  });

  const held: HeldUpload[] = [];
  const objectStore = {
    putLocked: () => new Promise<PutResult>((resolve) => held.push({ answer: resolve })),
  } as unknown as ObjectStore;
  const uploader = new SegmentUploader({
    store,
    objectStore,
    spoolMaxBytes: 1024 ** 3,
    metrics: recordingMetrics(new Registry()),
    logger: createSilentLogger(),
  });

  return { store, uploader, held };
}

async function enqueueOneSegment(uploader: SegmentUploader): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-uploader-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const filePath = path.join(dir, '000000.webm');
  fs.writeFileSync(filePath, 'segment bytes');

  await uploader.enqueue(
    {
      reviewId: 'r1',
      trackId: 'camera-1',
      seq: 0,
      key: 'recordings/r1/tracks/camera-1/000000.webm',
      filePath,
      startedAt: new Date('2026-12-04T09:00:00Z'),
      endedAt: new Date('2026-12-04T09:00:04Z'),
    },
    { contentType: 'video/webm', retainUntil: new Date('2027-12-04T00:00:00Z') },
  );
}

describe('SegmentUploader.close', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for the upload in flight and stores its answer before resolving', async () => {
    const { store, uploader, held } = uploaderWithHeldS3();
    await enqueueOneSegment(uploader);
    await vi.waitFor(() => expect(held).toHaveLength(1));

    let closed = false;
    const closing = uploader.close('shutdown').then(() => {
      closed = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);

    held[0]?.answer({ versionId: 'v1' } as PutResult);
    await closing;

    const [segment] = store.segmentsOf('r1');
    expect(segment?.versionId).toBe('v1');
    expect(segment?.uploadedAt).toBeInstanceOf(Date);
  });

  it('gives up waiting after its grace when S3 never answers, leaving the segment pending', async () => {
    const { store, uploader, held } = uploaderWithHeldS3();
    await enqueueOneSegment(uploader);
    await vi.waitFor(() => expect(held).toHaveLength(1));

    vi.useFakeTimers();
    const closing = uploader.close('shutdown');
    await vi.advanceTimersByTimeAsync(10_000);
    await closing;

    expect(store.pendingSegments().map((s) => s.seq)).toEqual([0]);
  });
});
