import path from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RecorderStatus } from '../../../server/review/recorder-port.ts';
import { isRecordingEveryTrack } from '../../../server/review/recorder-port.ts';
import { ObjectStore } from '../../../storage/object-store.ts';
import { startRouter, temporaryDirectory, waitFor } from './media-fixtures.ts';
import {
  attesteeInfo,
  gaugeValue,
  lockedBucket,
  readManifest,
  recordAttestee,
  recordingService,
  sampleReview,
} from './recording-fixtures.ts';
import { startRtpTestSource } from '../../helpers/rtp-source.ts';
import { ffmpegFailingFirst } from './failing-ffmpeg.ts';
import { startSwitchableProxy } from './switchable-proxy.ts';

describe('recording faults', () => {
  it('restarts a capture whose ffmpeg is killed, records the gap and loses no closed segment', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const { service } = recordingService(objectStore);
    await service.start();
    const reviewId = `rev-kill-${Date.now().toString(36)}`;
    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const statuses: RecorderStatus[] = [];
    recorder.on('status', (status) => statuses.push(status));
    const source = await recordAttestee(recorder, router);
    await new Promise((resolve) => setTimeout(resolve, 3500));

    const statusesBeforeKill = statuses.length;
    const pid = recorder.ffmpegPidOf(source.video.id);
    expect(pid).toBeDefined();
    const killedAt = Date.now();
    process.kill(pid as number, 'SIGKILL');
    await waitFor(
      () => recorder.status().state === 'degraded',
      10_000,
      'degraded status',
    );
    await waitFor(
      () => recorder.status().state === 'recording',
      40_000,
      'recording again',
    );
    expect(recorder.ffmpegPidOf(source.video.id)).not.toBe(pid);
    await new Promise((resolve) => setTimeout(resolve, 3000));

    await recorder.stop('chair');
    await source.close();
    await recorder.sealed();

    // After the kill: degraded, then recording again (a capture may also have restarted at start-up).
    const states = statuses.slice(statusesBeforeKill).map((s) => s.state);
    expect(states).toContain('degraded');
    expect(states.lastIndexOf('recording')).toBeGreaterThan(states.indexOf('degraded'));

    const manifest = await readManifest(objectStore, reviewId);
    const video = manifest.tracks.find((t) => t.kind === 'video');
    const gap = video!.gaps.at(-1)!;
    expect(gap.reason).toMatch(/restarted/);
    const gapSeconds = (Date.parse(gap.to) - Date.parse(gap.from)) / 1000;
    expect(gapSeconds).toBeGreaterThan(0);
    expect(gapSeconds).toBeLessThan(10);

    // Sequence numbers run on without a hole across the restart: nothing closed was lost.
    const seqs = video!.segments.map((s) => s.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const before = video!.segments.filter(
      (s) => Date.parse(s.endedAt) <= Date.parse(gap.from),
    );
    const after = video!.segments.filter(
      (s) => Date.parse(s.startedAt) >= Date.parse(gap.to),
    );
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(before.length + after.length).toBe(video!.segments.length);

    const audio = manifest.tracks.find((t) => t.kind === 'audio');
    // The killed ffmpeg was the camera's: the microphone recorded on without a gap.
    expect(audio?.gaps.filter((g) => Date.parse(g.to) >= killedAt)).toEqual([]);
  }, 240_000);

  it('keeps a track whose first captures do not start expected, so the start waits, and records it once a retry runs', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const failingRuns = 2;
    const ffmpegPath = ffmpegFailingFirst('capture', failingRuns);
    const { service, store } = recordingService(objectStore, {
      ffmpegPath: ffmpegPath.path,
    });
    await service.start();
    const reviewId = `rev-nostart-${Date.now().toString(36)}`;
    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const source = await startRtpTestSource(router);

    await recorder.addTrack(source.video, { ...attesteeInfo, source: 'camera' });

    // The producer is live but unrecorded: it counts, and the start rule says no.
    expect(ffmpegPath.runs()).toBeGreaterThanOrEqual(1);
    expect(recorder.status()).toMatchObject({ tracksExpected: 1, tracksWriting: 0 });
    expect(isRecordingEveryTrack(recorder.status())).toBe(false);
    expect(recorder.status().state).toBe('degraded');

    await waitFor(
      () => isRecordingEveryTrack(recorder.status()),
      40_000,
      'the track writing after its retries',
    );
    expect(ffmpegPath.runs()).toBe(failingRuns + 1);
    expect(recorder.status().state).toBe('recording');
    await new Promise((resolve) => setTimeout(resolve, 2500));

    await recorder.stop('chair');
    await source.close();
    await recorder.sealed();

    const manifest = await readManifest(objectStore, reviewId);
    const [video] = manifest.tracks;
    expect(manifest.tracks).toHaveLength(1);
    expect(video?.segments.length).toBeGreaterThanOrEqual(2);
    // The time before the first capture ran is accounted for, not hidden.
    expect(video?.gaps).toEqual([
      expect.objectContaining({ reason: 'capture did not start' }),
    ]);
    expect(store.getRecording(reviewId)?.state).toBe('sealed');
  }, 240_000);

  it('spools segments while S3 is down, alarms when the spool is full, and a restarted service uploads and seals them', async () => {
    const { router } = await startRouter();
    const { options: bucketOptions, objectStore: directStore } = await lockedBucket();
    const proxy = await startSwitchableProxy(bucketOptions.endpoint);
    const proxiedStore = new ObjectStore({ ...bucketOptions, endpoint: proxy.endpoint });
    const dataDir = temporaryDirectory('rec-spool');
    const database = path.join(dataDir, 'sarapta.db');
    const firstMetrics = new Registry();
    const first = recordingService(proxiedStore, {
      dataDir,
      database,
      spoolMaxBytes: 20_000,
      metrics: firstMetrics,
    });
    await first.service.start();
    const alarms: string[] = [];
    first.service.uploader.on('alarm', (alarm) => alarms.push(alarm.code));

    const reviewId = `rev-spool-${Date.now().toString(36)}`;
    const recorder = first.service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const source = await recordAttestee(recorder, router);
    await waitFor(
      () => first.store.segmentsOf(reviewId).some((s) => s.uploadedAt),
      20_000,
      'a first upload',
    );

    await proxy.down();
    await waitFor(
      () => first.service.uploader.pending >= 4,
      30_000,
      'segments piling up in the spool',
    );
    await waitFor(() => alarms.length > 0, 30_000, 'the spool alarm');
    expect(alarms).toContain('DISK_FULL');
    expect(recorder.status().state).toBe('degraded');
    // What an operator's dashboard shows while it lasts.
    expect(await gaugeValue(firstMetrics, 'sarapta_recording_spool_full')).toBe(1);
    expect(
      await gaugeValue(firstMetrics, 'sarapta_recording_spool_bytes'),
    ).toBeGreaterThan(20_000);

    await recorder.stop('chair');
    await source.close();
    const spooled = first.store.pendingSegments().filter((s) => s.reviewId === reviewId);
    expect(spooled.length).toBeGreaterThanOrEqual(4);
    await first.service.close('simulated crash');
    first.db.close();

    await proxy.up();
    const secondMetrics = new Registry();
    const second = recordingService(proxiedStore, {
      dataDir,
      database,
      metrics: secondMetrics,
    });
    const { resumedSegments, seals } = await second.service.start();
    expect(resumedSegments).toBe(spooled.length);
    await Promise.all(seals);

    expect(second.store.getRecording(reviewId)?.state).toBe('sealed');
    expect(second.store.pendingSegments()).toEqual([]);
    expect(await gaugeValue(secondMetrics, 'sarapta_recording_spool_bytes')).toBe(0);
    const manifest = await readManifest(directStore, reviewId);
    const stored = manifest.tracks.flatMap((t) => t.segments);
    expect(stored.length).toBe(second.store.segmentsOf(reviewId).length);
    for (const segment of spooled) {
      const entry = stored.find((s) => s.key === segment.key);
      expect(entry?.sha256).toBe(segment.sha256);
      expect(await directStore.sha256Of(segment.key)).toBe(segment.sha256);
    }
  }, 300_000);
});
