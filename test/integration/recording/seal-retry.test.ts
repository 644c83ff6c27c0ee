/**
 * A seal that fails is tried again by the running service, with growing
 * pauses, instead of waiting for the next start: the composite's ffmpeg
 * crashes once, and the same service seals the recording, with a manifest
 * that verifies. A service that closes while a seal waits for its next
 * attempt cancels the wait, and its next start seals the recording.
 *
 * Real mediasoup, ffmpeg (behind a wrapper that fails the composite) and S3.
 */
import path from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { verifyRecording } from '../../../storage/audit/recording-verifier.ts';
import { ffmpegFailingFirst } from './failing-ffmpeg.ts';
import { startRouter, temporaryDirectory, waitFor } from './media-fixtures.ts';
import {
  counterValue,
  lockedBucket,
  readManifest,
  recordAttestee,
  recordingService,
  sampleReview,
} from './recording-fixtures.ts';

const SEALS = 'sarapta_recording_seals_total';

describe('seal retries', () => {
  it('tries a seal whose composite failed again without a restart, and seals the recording', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const ffmpeg = ffmpegFailingFirst('composite', 1);
    const metrics = new Registry();
    const { service, store } = recordingService(objectStore, {
      ffmpegPath: ffmpeg.path,
      metrics,
    });
    await service.start();
    const reviewId = `rev-retry-${Date.now().toString(36)}`;
    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const source = await recordAttestee(recorder, router);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    await recorder.stop('time-limit');
    await source.close();
    await recorder.sealed();

    expect(ffmpeg.runs(), 'the failed composite and the one that worked').toBe(2);
    expect(await counterValue(metrics, SEALS, { outcome: 'failed' })).toBe(1);
    expect(await counterValue(metrics, SEALS, { outcome: 'sealed' })).toBe(1);
    expect(recorder.status().state).toBe('sealed');
    const recording = store.getRecording(reviewId);
    expect(recording).toMatchObject({
      state: 'sealed',
      sealProgress: { stage: 'sealed', fraction: 1 },
    });
    expect(service.sealRetriesWaiting).toBe(0);

    const verification = await verifyRecording(objectStore, reviewId, {
      expectedCompositeSha256: recording?.compositeSha256 ?? null,
    });
    expect(verification.mismatches).toEqual([]);
    expect(verification.ok).toBe(true);
    const manifest = await readManifest(objectStore, reviewId);
    expect(manifest.tracks).toHaveLength(2);
    expect(manifest.composite?.durationSeconds).toBeGreaterThan(2);
  }, 240_000);

  it('cancels a seal waiting for its next attempt when the service closes, and the next start seals it', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const dataDir = temporaryDirectory('rec-seal-retry');
    const database = path.join(dataDir, 'sarapta.db');
    const ffmpeg = ffmpegFailingFirst('composite', 1000);
    const metrics = new Registry();
    // An hour's pause: only close() can end it within the test.
    const first = recordingService(objectStore, {
      dataDir,
      database,
      ffmpegPath: ffmpeg.path,
      sealRetryFirstSeconds: 3600,
      metrics,
    });
    await first.service.start();
    const reviewId = `rev-retry-close-${Date.now().toString(36)}`;
    const recorder = first.service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const source = await recordAttestee(recorder, router);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await recorder.stop('time-limit');
    await source.close();
    const outcome = recorder.sealed().then(
      () => 'sealed',
      () => 'left for the next start',
    );

    await waitFor(
      () => first.service.sealRetriesWaiting === 1,
      60_000,
      'the seal waiting to be tried again',
    );
    expect(await counterValue(metrics, SEALS, { outcome: 'failed' })).toBe(1);
    expect(first.store.getRecording(reviewId)).toMatchObject({
      state: 'finalising',
      sealProgress: undefined,
    });
    await first.service.close('restart');

    expect(await outcome).toBe('left for the next start');
    expect(first.service.sealRetriesWaiting).toBe(0);
    expect(ffmpeg.runs()).toBe(1);
    first.db.close();

    const second = recordingService(objectStore, { dataDir, database });
    const { seals } = await second.service.start();
    expect(seals).toHaveLength(1);
    await Promise.all(seals);

    const recording = second.store.getRecording(reviewId);
    expect(recording?.state).toBe('sealed');
    const verification = await verifyRecording(objectStore, reviewId, {
      expectedCompositeSha256: recording?.compositeSha256 ?? null,
    });
    expect(verification.mismatches).toEqual([]);
    expect(verification.ok).toBe(true);
  }, 240_000);
});
