/**
 * The sealed composite is a faithful picture of the review: people who join
 * late, a screen share that starts and stops, a person who leaves and
 * rejoins, and a camera that changes its size mid-track (as WebRTC does)
 * must all keep their place on the wall clock, with every picture shown for
 * as long as its track was live and the sound neither longer nor shorter
 * than the review.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { layoutTiles, type Tile } from '../../../recording/composite-plan.ts';
import { recordingKeys } from '../../../recording/manifest.ts';
import {
  isRecordingEveryTrack,
  type ReviewRecorderPort,
  type TrackInfo,
} from '../../../server/review/recorder-port.ts';
import { startRtpTestSource, type RtpTestSource } from '../../helpers/rtp-source.ts';
import { probe, startRouter, temporaryDirectory, waitFor } from './media-fixtures.ts';
import {
  lockedBucket,
  readManifest,
  recordingService,
  sampleReview,
} from './recording-fixtures.ts';
import { startResizingCamera } from './resizing-camera.ts';

const run = promisify(execFile);

const WIDTH = 1280;
const HEIGHT = 720;
/** Solid pictures, told apart by their mean colour in the composite. */
const CHAIR_RGB = [0xd0, 0x20, 0x20] as const;
const ATTESTEE_RGB = [0x20, 0x40, 0xd0] as const;
const SCREEN_RGB = [0x20, 0xc0, 0x40] as const;
const hex = (rgb: readonly number[]): string =>
  `0x${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
/** Largest distance per channel between a tile's mean colour and its picture's colour. */
const COLOUR_TOLERANCE = 40;
/** One AAC frame: 1024 samples at 48 kHz. */
const AAC_FRAME_SECONDS = 1024 / 48000;
/** Seconds near a track's ends where its first or last frame may or may not show. */
const EDGE_SECONDS = 1;

const pause = (seconds: number) =>
  new Promise((resolve) => setTimeout(resolve, seconds * 1000));

const attestee = (peerId: string): Omit<TrackInfo, 'source'> => ({
  peerId,
  personId: 'p-attestee',
  displayName: 'Айгерим Сапарова',
  role: 'attestee',
});
const chair = (peerId: string): Omit<TrackInfo, 'source'> => ({
  peerId,
  personId: 'p-chair',
  displayName: 'Chair Person',
  role: 'chair',
});

async function join(
  recorder: ReviewRecorderPort,
  source: RtpTestSource,
  who: Omit<TrackInfo, 'source'>,
): Promise<void> {
  await recorder.addTrack(source.video, { ...who, source: 'camera' });
  await recorder.addTrack(source.audio, { ...who, source: 'microphone' });
  await waitFor(() => isRecordingEveryTrack(recorder.status()), 40_000, 'tracks writing');
}

async function leave(recorder: ReviewRecorderPort, source: RtpTestSource): Promise<void> {
  recorder.removeTrack(source.video.id);
  recorder.removeTrack(source.audio.id);
  await source.close();
}

/** The composite's picture at `seconds`, as RGB bytes. */
async function frameAt(file: string, seconds: number): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-ss',
      seconds.toFixed(3),
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );

  return stdout;
}

/** Mean colour of the middle of `tile` (the part a picture covers whatever its shape). */
function meanColour(frame: Buffer, tile: Tile): number[] {
  const x0 = Math.round(tile.x + tile.width * 0.3);
  const x1 = Math.round(tile.x + tile.width * 0.7);
  const y0 = Math.round(tile.y + tile.height * 0.4);
  const y1 = Math.round(tile.y + tile.height * 0.6);
  const sum = [0, 0, 0];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const at = (y * WIDTH + x) * 3;
      for (let c = 0; c < 3; c++) sum[c]! += frame[at + c]!;
    }
  }
  const count = (x1 - x0) * (y1 - y0);

  return sum.map((s) => Math.round(s / count));
}

const isColour = (mean: number[], rgb: readonly number[]): boolean =>
  mean.every((c, i) => Math.abs(c - rgb[i]!) <= COLOUR_TOLERANCE);

/** Timestamps (seconds) of a file's audio packets, in file order. */
async function audioPackets(file: string): Promise<{ pts: number }[]> {
  const { stdout } = await run(
    'ffprobe',
    [
      '-v',
      'error',
      '-select_streams',
      'a:0',
      '-show_entries',
      'packet=pts_time',
      '-of',
      'csv=p=0',
      file,
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );

  // Side data adds empty lines and trailing commas.
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ pts: Number(line.split(',')[0]) }));
}

async function streamDurations(file: string): Promise<Record<string, number>> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type,duration',
    '-of',
    'json',
    file,
  ]);
  const { streams } = JSON.parse(stdout) as {
    streams: { codec_type: string; duration: string }[];
  };

  return Object.fromEntries(streams.map((s) => [s.codec_type, Number(s.duration)]));
}

describe('composite timeline', () => {
  it('shows every person while their camera was live and keeps the sound as long as the review', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const { service } = recordingService(objectStore);
    await service.start();
    const reviewId = `rev-tl-${Date.now().toString(36)}`;
    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const work = temporaryDirectory('rec-timeline');
    const sources: RtpTestSource[] = [];
    const started = async (source: Promise<RtpTestSource>) => {
      const ready = await source;
      sources.push(ready);
      return ready;
    };

    try {
      const chairFirst = await started(
        startRtpTestSource(router, {
          videoFilter: `color=c=${hex(CHAIR_RGB)}:size=320x240:rate=25`,
          frequency: 880,
        }),
      );
      await join(recorder, chairFirst, chair('peer-chair-1'));

      await pause(4);
      // The attestee's camera adapts from 320x240 to 640x360 six seconds in.
      const attesteeCamera = await started(
        startResizingCamera(router, {
          colour: hex(ATTESTEE_RGB),
          stretches: [
            { size: '320x240', seconds: 6 },
            { size: '640x360', seconds: 120 },
          ],
          frequency: 440,
          directory: work,
        }),
      );
      await join(recorder, attesteeCamera, attestee('peer-attestee'));

      await pause(4);
      const screen = await started(
        startRtpTestSource(router, {
          videoFilter: `color=c=${hex(SCREEN_RGB)}:size=640x360:rate=25`,
        }),
      );
      await recorder.addTrack(screen.video, {
        ...attestee('peer-attestee'),
        source: 'screen',
      });
      await waitFor(
        () => isRecordingEveryTrack(recorder.status()),
        40_000,
        'screen writing',
      );

      await pause(8);
      recorder.removeTrack(screen.video.id);
      await screen.close();

      await pause(2);
      await leave(recorder, chairFirst);
      await pause(2);
      const chairAgain = await started(
        startRtpTestSource(router, {
          videoFilter: `color=c=${hex(CHAIR_RGB)}:size=320x240:rate=25`,
          frequency: 880,
        }),
      );
      await join(recorder, chairAgain, chair('peer-chair-2'));

      await pause(6);
      await recorder.stop('time-limit');
    } finally {
      for (const source of sources) await source.close();
    }
    await recorder.sealed();
    expect(recorder.status().state).toBe('sealed');

    const manifest = await readManifest(objectStore, reviewId);
    const compositeFile = path.join(work, 'composite.mp4');
    fs.writeFileSync(
      compositeFile,
      await objectStore.getBuffer(recordingKeys.composite(reviewId)),
    );
    const segmentTimes = manifest.tracks.flatMap((t) =>
      t.segments.flatMap((s) => [Date.parse(s.startedAt), Date.parse(s.endedAt)]),
    );
    const timelineStart = Math.min(...segmentTimes);
    const span = (Math.max(...segmentTimes) - timelineStart) / 1000;
    const liveSpans = (personId: string, source: string): [number, number][] =>
      manifest.tracks
        .filter((t) => t.personId === personId && t.source === source)
        .map((t) => [
          (Date.parse(t.segments[0]!.startedAt) - timelineStart) / 1000,
          (Date.parse(t.segments.at(-1)!.endedAt) - timelineStart) / 1000,
        ]);
    expect(liveSpans('p-chair', 'camera')).toHaveLength(2);
    expect(liveSpans('p-attestee', 'screen')).toHaveLength(1);

    // Length: picture, sound and the wall-clock span of the review agree.
    expect((await probe(compositeFile)).durationSeconds).toBeCloseTo(span, 0);
    const durations = await streamDurations(compositeFile);
    expect(Math.abs(durations.video! - span)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(durations.audio! - span)).toBeLessThanOrEqual(0.5);

    // Sound: one AAC frame after another, as many as the review lasted. (The
    // muxer forces timestamps upwards, so sound written twice shows as frames
    // squeezed closer than a frame's length.)
    const packets = await audioPackets(compositeFile);
    const squeezed = packets.filter(
      (p, i) =>
        i > 0 && Math.abs(p.pts - packets[i - 1]!.pts - AAC_FRAME_SECONDS) > 0.001,
    );
    expect(squeezed.slice(0, 5)).toEqual([]);
    expect(Math.abs(packets.length * AAC_FRAME_SECONDS - span)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(packets.at(-1)!.pts - span)).toBeLessThanOrEqual(0.5);

    // Picture: every two seconds, each live camera and the live screen show in their places.
    const { tiles, screen } = layoutTiles(2, true, WIDTH, HEIGHT);
    const places = [
      {
        what: 'attestee camera',
        area: tiles[0]!,
        rgb: ATTESTEE_RGB,
        spans: liveSpans('p-attestee', 'camera'),
      },
      {
        what: 'chair camera',
        area: tiles[1]!,
        rgb: CHAIR_RGB,
        spans: liveSpans('p-chair', 'camera'),
      },
      {
        what: 'screen',
        area: screen!,
        rgb: SCREEN_RGB,
        spans: liveSpans('p-attestee', 'screen'),
      },
    ];
    const missing: string[] = [];
    let checked = 0;
    for (let t = 1; t < span - EDGE_SECONDS; t += 2) {
      const frame = await frameAt(compositeFile, t);
      for (const place of places) {
        const live = place.spans.some(
          ([from, to]) => t >= from + EDGE_SECONDS && t <= to - EDGE_SECONDS,
        );
        if (!live) continue;
        checked++;
        const mean = meanColour(frame, place.area);
        if (!isColour(mean, place.rgb)) {
          missing.push(`${place.what} at ${t}s: ${mean.join(',')}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  }, 300_000);
});
