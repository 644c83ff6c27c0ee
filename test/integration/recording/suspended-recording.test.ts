/**
 * A review whose session closes before it ends (the service restarts, or its
 * media worker dies, while people wait or before the chair starts) keeps one
 * recording: the captures so far are finalised and the recording stays open,
 * the next recorder of the review continues it, and it is sealed once, when
 * the review ends, with every track from both.
 *
 * Real mediasoup, ffmpeg and S3; the review server is played by the test.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingKeys } from '../../../recording/manifest.ts';
import { startRouter, temporaryDirectory } from './media-fixtures.ts';
import {
  lockedBucket,
  readManifest,
  recordAttestee,
  recordingService,
  sampleReview,
} from './recording-fixtures.ts';

describe('a recording whose review goes on', () => {
  it('is continued by the next recorder and sealed once, with the tracks of both', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const { service, store } = recordingService(objectStore);
    await service.start();
    const reviewId = `rev-suspend-${Date.now().toString(36)}`;

    const first = service.createRecorder(reviewId, router, () => sampleReview(reviewId));
    const before = await recordAttestee(first, router, 'peer-before');
    await first.suspend('media worker died');
    await before.close();

    expect(store.getRecording(reviewId)?.state).toBe('recording');
    expect(store.tracksOf(reviewId).every((track) => track.endedAt)).toBe(true);
    expect(await objectStore.head(recordingKeys.manifest(reviewId))).toBeUndefined();

    const second = service.createRecorder(reviewId, router, () => sampleReview(reviewId));
    expect(second).not.toBe(first);
    const after = await recordAttestee(second, router, 'peer-after');
    await second.stop('time-limit');
    await after.close();
    await second.sealed();

    expect(store.getRecording(reviewId)?.state).toBe('sealed');
    const manifest = await readManifest(objectStore, reviewId);
    // Every track of both recorders, the first pair over before the second began.
    expect(manifest.tracks.map((t) => t.trackId).sort()).toEqual(
      store
        .tracksOf(reviewId)
        .map((t) => t.trackId)
        .sort(),
    );
    const cameras = manifest.tracks
      .filter((t) => t.source === 'camera')
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(cameras).toHaveLength(2);
    expect(manifest.tracks.filter((t) => t.source === 'microphone')).toHaveLength(2);
    expect(Date.parse(cameras[0]!.endedAt)).toBeLessThanOrEqual(
      Date.parse(cameras[1]!.startedAt),
    );
    for (const track of manifest.tracks) {
      expect(track.segments.length).toBeGreaterThan(0);
    }
  }, 240_000);

  it('is sealed when its review ends with no recorder open (cancelled after a restart)', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const { service, store } = recordingService(objectStore);
    await service.start();
    const reviewId = `rev-cancel-${Date.now().toString(36)}`;

    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const source = await recordAttestee(recorder, router, 'peer-lobby');
    // While a recorder runs, the review's own ending seals it, not this.
    expect(service.sealLeftOpen(reviewId)).toBeUndefined();
    await recorder.suspend('shutdown');
    await source.close();

    await service.sealLeftOpen(reviewId);
    expect(store.getRecording(reviewId)?.state).toBe('sealed');
    expect((await readManifest(objectStore, reviewId)).tracks).toHaveLength(2);
    expect(service.sealLeftOpen(reviewId)).toBeUndefined();
    expect(service.sealLeftOpen('a-review-never-recorded')).toBeUndefined();
  }, 240_000);

  it('is left open at start while its review has not ended, and sealed at a start after it has', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const dataDir = temporaryDirectory('rec-open');
    const database = path.join(dataDir, 'sarapta.db');
    const reviewId = `rev-open-${Date.now().toString(36)}`;

    // A process records the waiting room, then stops without the review ending.
    const first = recordingService(objectStore, { dataDir, database });
    await first.service.start();
    const recorder = first.service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const source = await recordAttestee(recorder, router, 'peer-lobby');
    await recorder.suspend('shutdown');
    await source.close();
    await first.service.close('shutdown');
    first.db.close();

    const goesOn = recordingService(objectStore, {
      dataDir,
      database,
      reviewIsOver: async () => false,
    });
    const atStart = await goesOn.service.start();
    expect(atStart.seals).toEqual([]);
    expect(goesOn.store.getRecording(reviewId)?.state).toBe('recording');
    await goesOn.service.close('restart');
    goesOn.db.close();

    const ended = recordingService(objectStore, {
      dataDir,
      database,
      reviewIsOver: async () => true,
    });
    const afterEnd = await ended.service.start();
    await Promise.all(afterEnd.seals);
    expect(ended.store.getRecording(reviewId)?.state).toBe('sealed');
    const manifest = await readManifest(objectStore, reviewId);
    expect(manifest.tracks).toHaveLength(2);
  }, 240_000);
});
