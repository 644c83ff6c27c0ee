import { describe, expect, it } from 'vitest';
import {
  chainHead,
  chainItems,
  recordingKeys,
  type RecordingManifest,
} from '../../../recording/manifest.ts';
import { probe, startRouter, temporaryDirectory, waitFor } from './media-fixtures.ts';
import { lockedBucket, recordingService, sampleReview } from './recording-fixtures.ts';
import { startRtpTestSource } from '../../helpers/rtp-source.ts';
import fs from 'node:fs';
import path from 'node:path';
import { isRecordingEveryTrack } from '../../../server/review/recorder-port.ts';

describe('review recording', () => {
  it('seals two people into an H.264/AAC composite and a manifest whose hashes match S3', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const { service, store, dataDir } = recordingService(objectStore);
    await service.start();
    const reviewId = `rev-${Date.now().toString(36)}`;
    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const attestee = await startRtpTestSource(router, { frequency: 440 });
    const chair = await startRtpTestSource(router, { frequency: 880 });
    const closeSources = async () => {
      await attestee.close();
      await chair.close();
    };

    const person = (
      personId: string,
      displayName: string,
      role: 'attestee' | 'chair',
    ) => ({
      peerId: `peer-${personId}`,
      personId,
      displayName,
      role,
    });
    await recorder.addTrack(attestee.video, {
      ...person('p-attestee', 'Айгерим Сапарова', 'attestee'),
      source: 'camera',
    });
    await recorder.addTrack(attestee.audio, {
      ...person('p-attestee', 'Айгерим Сапарова', 'attestee'),
      source: 'microphone',
    });
    await recorder.addTrack(chair.video, {
      ...person('p-chair', 'Chair Person', 'chair'),
      source: 'camera',
    });
    await recorder.addTrack(chair.audio, {
      ...person('p-chair', 'Chair Person', 'chair'),
      source: 'microphone',
    });

    expect(recorder.status().tracksExpected).toBe(4);
    await waitFor(
      () => isRecordingEveryTrack(recorder.status()),
      40_000,
      'every track writing',
    );
    expect(recorder.status().state).toBe('recording');
    const recordingFrom = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 6000));

    const recordedSeconds = (Date.now() - recordingFrom) / 1000;
    await recorder.stop('time-limit');
    await closeSources();
    await recorder.sealed();
    expect(recorder.status().state).toBe('sealed');

    const manifest = JSON.parse(
      (await objectStore.getBuffer(recordingKeys.manifest(reviewId))).toString('utf8'),
    ) as RecordingManifest;
    expect(manifest.tracks).toHaveLength(4);
    const { chain, ...unchained } = manifest;
    expect(chain.head).toBe(chainHead(chainItems(unchained)));

    for (const track of manifest.tracks) {
      expect(track.segments.length).toBeGreaterThanOrEqual(3);
      for (const segment of track.segments) {
        expect(await objectStore.sha256Of(segment.key)).toBe(segment.sha256);
      }
    }
    expect(await objectStore.sha256Of(manifest.composite!.key)).toBe(
      manifest.composite!.sha256,
    );

    const work = temporaryDirectory('rec-composite');
    const compositeFile = path.join(work, 'composite.mp4');
    fs.writeFileSync(compositeFile, await objectStore.getBuffer(manifest.composite!.key));
    const info = await probe(compositeFile);
    expect(info.streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual([
      'audio:aac',
      'video:h264',
    ]);
    const starts = manifest.tracks.flatMap((t) =>
      t.segments.map((s) => Date.parse(s.startedAt)),
    );
    const ends = manifest.tracks.flatMap((t) =>
      t.segments.map((s) => Date.parse(s.endedAt)),
    );
    const span = (Math.max(...ends) - Math.min(...starts)) / 1000;
    expect(Math.abs(info.durationSeconds - span)).toBeLessThanOrEqual(1);
    expect(info.durationSeconds).toBeGreaterThanOrEqual(recordedSeconds - 1);

    const recording = store.getRecording(reviewId);
    expect(recording?.state).toBe('sealed');
    expect(manifest.retainUntil).toBe(recording?.retainUntil.toISOString());

    const firstKey = manifest.tracks[0]!.segments[0]!.key;
    const head = await objectStore.head(firstKey);
    const { deleted, refused } = await objectStore.deleteVersions([
      { key: firstKey, versionId: head!.versionId! },
    ]);
    expect(deleted).toEqual([]);
    expect(refused).toHaveLength(1);
    expect(await objectStore.head(firstKey)).toBeDefined();
    // Local copies are gone only because S3 confirmed them; the spool is cleared after the seal.
    expect(fs.existsSync(path.join(dataDir, 'spool', reviewId))).toBe(false);
    expect(
      store
        .segmentsOf(reviewId)
        .every((s) => s.uploadedAt && !fs.existsSync(s.localPath)),
    ).toBe(true);
  }, 240_000);
});
