/**
 * A camera that sends H.264, as Chromium and Safari may: constrained
 * baseline, packetization-mode 1, with a microphone in opus. The capture
 * copies it into Matroska segments that start on key frames, S3 keeps them,
 * and the seal composes them with the audio into an MP4 whose manifest
 * verifies. Real mediasoup, ffmpeg (libx264 as the browser's encoder) and S3.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRecordingEveryTrack } from '../../../server/review/recorder-port.ts';
import { verifyRecording } from '../../../storage/audit/recording-verifier.ts';
import { startRtpTestSource } from '../../helpers/rtp-source.ts';
import {
  decodedFrames,
  meanVolumeDb,
  probe,
  startRouter,
  startsOnKeyFrame,
  temporaryDirectory,
  waitFor,
} from './media-fixtures.ts';
import {
  attesteeInfo,
  lockedBucket,
  readManifest,
  recordingService,
  sampleReview,
} from './recording-fixtures.ts';

describe('an H.264 camera', () => {
  it('is recorded into Matroska segments that start on key frames and sealed with its audio', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const { service, store } = recordingService(objectStore);
    await service.start();
    const reviewId = `rev-h264-${Date.now().toString(36)}`;
    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const source = await startRtpTestSource(router, { videoCodec: 'h264' });

    // The router took the browser's H.264 as it is: no transcoding on the way.
    expect(source.video.rtpParameters.codecs[0]?.mimeType).toBe('video/H264');
    await recorder.addTrack(source.video, { ...attesteeInfo, source: 'camera' });
    await recorder.addTrack(source.audio, { ...attesteeInfo, source: 'microphone' });
    await waitFor(
      () => isRecordingEveryTrack(recorder.status()),
      40_000,
      'every track writing',
    );
    const recordingFrom = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5000));

    // The capture's key frame requests reached the camera's sender as RTCP.
    const [producerStats] = await source.video.getStats();
    expect(
      (producerStats?.pliCount ?? 0) + (producerStats?.firCount ?? 0),
    ).toBeGreaterThan(0);

    const recordedSeconds = (Date.now() - recordingFrom) / 1000;
    await recorder.stop('time-limit');
    await source.close();
    await recorder.sealed();

    expect(store.getRecording(reviewId)?.state).toBe('sealed');
    const verification = await verifyRecording(objectStore, reviewId);
    expect(verification.mismatches).toEqual([]);
    expect(verification.ok).toBe(true);

    const manifest = await readManifest(objectStore, reviewId);
    const video = manifest.tracks.find((t) => t.kind === 'video');
    const audio = manifest.tracks.find((t) => t.kind === 'audio');
    expect(video?.codec).toBe('h264');
    expect(audio?.codec).toBe('opus');
    expect(video?.segments.length).toBeGreaterThanOrEqual(3);
    expect(video?.segments.every((s) => s.key.endsWith('.mkv'))).toBe(true);
    expect(audio?.segments.every((s) => s.key.endsWith('.webm'))).toBe(true);

    const work = temporaryDirectory('rec-h264');
    for (const segment of video?.segments ?? []) {
      const file = path.join(work, path.basename(segment.key));
      fs.writeFileSync(file, await objectStore.getBuffer(segment.key));
      const info = await probe(file);
      expect(info.streams.map((s) => s.codec_name)).toEqual(['h264']);
      const [frames] = await decodedFrames(file);
      expect(frames?.frames, `${segment.key} decodes`).toBeGreaterThan(0);
      // Each segment plays on its own: a player needs no earlier segment.
      expect(await startsOnKeyFrame(file), `${segment.key} starts on a key frame`).toBe(
        true,
      );
    }

    const compositeFile = path.join(work, 'composite.mp4');
    fs.writeFileSync(compositeFile, await objectStore.getBuffer(manifest.composite!.key));
    const composite = await probe(compositeFile);
    expect(composite.durationSeconds).toBeGreaterThanOrEqual(recordedSeconds - 1);
    const streams = await decodedFrames(compositeFile);
    expect(streams.map((s) => `${s.codec_type}:${s.codec_name}`).sort()).toEqual([
      'audio:aac',
      'video:h264',
    ]);
    const videoFrames = streams.find((s) => s.codec_type === 'video')?.frames ?? 0;
    // 25 frames a second over the whole recording, give or take its edges.
    expect(videoFrames).toBeGreaterThanOrEqual(Math.floor(recordedSeconds - 1) * 25);
    expect(streams.find((s) => s.codec_type === 'audio')?.frames).toBeGreaterThan(0);
    // The microphone's tone is in the mix, not silence.
    expect(await meanVolumeDb(compositeFile)).toBeGreaterThan(-40);
  }, 240_000);
});
