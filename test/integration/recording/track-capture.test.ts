import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSilentLogger } from '../../../server/log/logger.ts';
import { TrackCapture, type ClosedSegment } from '../../../recording/track-capture.ts';
import { UdpPortPool } from '../../../recording/udp-port-pool.ts';
import { probe, startRouter, temporaryDirectory, waitFor } from './media-fixtures.ts';
import { startRtpTestSource } from '../../helpers/rtp-source.ts';
import { udpSocketsOf } from '../../helpers/bound-sockets.ts';

const run = promisify(execFile);

describe('TrackCapture', () => {
  it('writes VP8 and opus into playable WebM segments stamped with wall-clock times', async () => {
    const { worker, router } = await startRouter();
    const source = await startRtpTestSource(router);
    const directory = temporaryDirectory('capture');
    const ports = new UdpPortPool();
    const before = Date.now();

    const captures = await Promise.all(
      [source.video, source.audio].map((producer) =>
        TrackCapture.start({
          router,
          producer,
          ports,
          directory: `${directory}/${producer.kind}`,
          firstSeq: 0,
          segmentSeconds: 1,
          ffmpegPath: 'ffmpeg',
          logger: createSilentLogger(),
        }),
      ),
    );
    // A failed assertion must not leave ffmpeg running (vitest would wait for it).
    for (const capture of captures) onTestFinished(() => capture.close('test finished'));
    const segments: ClosedSegment[][] = captures.map(() => []);
    captures.forEach((capture, i) => {
      capture.on('segment', (segment) => segments[i]?.push(segment));
    });
    await waitFor(
      () => captures.every((c) => c.writing),
      30_000,
      'both captures writing',
    );

    // Only local processes may reach the recorder's input: RTP from another
    // host would otherwise be written into the recording.
    const ffmpegSockets = captures.flatMap((capture) =>
      udpSocketsOf(capture.ffmpegPid as number),
    );
    expect(ffmpegSockets).toHaveLength(4);
    expect(new Set(ffmpegSockets.map((socket) => socket.address))).toEqual(
      new Set(['127.0.0.1']),
    );
    const workerSockets = udpSocketsOf(worker.pid);
    expect(workerSockets.length).toBeGreaterThan(0);
    expect(new Set(workerSockets.map((socket) => socket.address))).toEqual(
      new Set(['127.0.0.1']),
    );

    await waitFor(
      () => segments.every((s) => s.length >= 3),
      30_000,
      'three segments each',
    );

    await Promise.all(captures.map((capture) => capture.stop('test over')));
    await source.close();

    expect(ports.heldPairs).toBe(0);
    const [video, audio] = segments as [ClosedSegment[], ClosedSegment[]];
    expect(video.map((s) => s.seq).slice(0, 3)).toEqual([0, 1, 2]);
    const durations = video
      .slice(0, -1)
      .map((s) => s.endedAt.getTime() - s.startedAt.getTime());
    expect(durations.every((ms) => ms > 0)).toBe(true);
    for (const segment of [...video, ...audio]) {
      expect(segment.partial).toBe(false);
      expect(segment.startedAt.getTime()).toBeGreaterThanOrEqual(before);
      // The last segment may hold a single frame: it can end where it starts.
      expect(segment.endedAt.getTime()).toBeGreaterThanOrEqual(
        segment.startedAt.getTime(),
      );
    }
    const videoProbe = await probe(video[1]?.filePath as string);
    expect(videoProbe.streams.map((s) => s.codec_name)).toEqual(['vp8']);
    const audioProbe = await probe(audio[1]?.filePath as string);
    expect(audioProbe.streams.map((s) => s.codec_name)).toEqual(['opus']);
  }, 90_000);

  it.each(['vp8', 'h264'] as const)(
    'keeps all but the last second of a %s segment it could not close, as a whole file',
    async (videoCodec) => {
      const { router } = await startRouter();
      const source = await startRtpTestSource(router, { videoCodec });
      const ports = new UdpPortPool();
      // One long segment: the stop below comes while it is still being written.
      const capture = await TrackCapture.start({
        router,
        producer: source.video,
        ports,
        directory: temporaryDirectory('capture-unfinished'),
        firstSeq: 0,
        segmentSeconds: 60,
        ffmpegPath: 'ffmpeg',
        logger: createSilentLogger(),
      });
      const segments: ClosedSegment[] = [];
      capture.on('segment', (segment) => segments.push(segment));
      await waitFor(() => capture.writing, 30_000, 'capture writing');
      await new Promise((resolve) => setTimeout(resolve, 4_000));

      // The producer leaves first, as when a participant drops: no packet arrives
      // any more, so ffmpeg must be interrupted and never writes its trailer.
      const lastPacketAt = Date.now();
      await source.close();
      await capture.stop('producer gone');

      expect(segments).toHaveLength(1);
      const [segment] = segments as [ClosedSegment];
      expect(segment.partial).toBe(true);
      const keptMs = segment.endedAt.getTime() - segment.startedAt.getTime();
      const sentMs = lastPacketAt - segment.startedAt.getTime();
      expect(keptMs).toBeGreaterThan(sentMs - 1_500);
      expect(keptMs).toBeLessThanOrEqual(sentMs + 500);
      // Whole: the demuxer reads it to the end without a complaint (a cut file
      // gets "File ended prematurely", a half-rewritten header EBML errors).
      const { stderr } = await run('ffmpeg', [
        '-v',
        'error',
        '-i',
        segment.filePath,
        '-f',
        'null',
        '-',
      ]);
      const demuxerComplaints = stderr
        .split('\n')
        .filter((line) => line.startsWith('[matroska,webm'));
      expect(demuxerComplaints).toEqual([]);
      const kept = await probe(segment.filePath);
      expect(kept.streams.map((s) => s.codec_name)).toEqual([videoCodec]);
      expect(kept.durationSeconds).toBeCloseTo(keptMs / 1000, 0);
    },
    90_000,
  );
});
