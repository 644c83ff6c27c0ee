/**
 * What an unfinished segment holds, on files cut the way a stopped ffmpeg
 * leaves them: before the first frame (header only), in the middle of the
 * media, or not Matroska at all.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { holdsNoMedia } from '../../../recording/segment-content.ts';
import { completeUnfinishedSegment } from '../../../recording/unfinished-segment.ts';
import { temporaryDirectory } from './media-fixtures.ts';

const run = promisify(execFile);
const TOOLS = { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', muxer: 'webm' };
const CLUSTER_ID = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);

/** Two seconds of VP8 in WebM, as the capture writes it, and its bytes. */
async function recordedWebm(directory: string): Promise<Buffer> {
  const file = path.join(directory, 'source.webm');
  await run('ffmpeg', [
    '-hide_banner',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=320x240:rate=25:duration=2',
    '-c:v',
    'libvpx',
    '-threads',
    '1',
    '-deadline',
    'realtime',
    '-f',
    'webm',
    file,
  ]);

  return fs.promises.readFile(file);
}

describe('completeUnfinishedSegment()', () => {
  it('answers empty for a file cut before its first frame, and leaves it untouched', async () => {
    const directory = temporaryDirectory('unfinished-empty');
    const whole = await recordedWebm(directory);
    const firstCluster = whole.indexOf(CLUSTER_ID);
    expect(firstCluster).toBeGreaterThan(0);
    const file = path.join(directory, '000001.webm');
    await fs.promises.writeFile(file, whole.subarray(0, firstCluster));

    expect(await completeUnfinishedSegment(file, TOOLS)).toEqual({ kind: 'empty' });
    expect((await fs.promises.stat(file)).size).toBe(firstCluster);
  });

  it('makes a file cut in the middle of its media whole and says how long it is', async () => {
    const directory = temporaryDirectory('unfinished-media');
    const whole = await recordedWebm(directory);
    const file = path.join(directory, '000002.webm');
    await fs.promises.writeFile(file, whole.subarray(0, Math.floor(whole.length * 0.6)));

    const result = await completeUnfinishedSegment(file, TOOLS);

    expect(result.kind).toBe('media');
    const seconds = result.kind === 'media' ? result.seconds : 0;
    expect(seconds).toBeGreaterThan(0.2);
    expect(seconds).toBeLessThan(2);
  });

  it('answers unreadable for bytes that only look like Matroska', async () => {
    const directory = temporaryDirectory('unfinished-garbage');
    const file = path.join(directory, '000003.webm');
    const garbage = Buffer.concat([Buffer.alloc(64, 7), CLUSTER_ID, Buffer.alloc(64, 9)]);
    await fs.promises.writeFile(file, garbage);

    expect(await completeUnfinishedSegment(file, TOOLS)).toEqual({ kind: 'unreadable' });
    expect(await fs.promises.readFile(file)).toEqual(garbage);
  });
});

describe('holdsNoMedia()', () => {
  it('tells a segment ffmpeg listed without writing a frame from one with media', async () => {
    const directory = temporaryDirectory('segment-content');
    const whole = await recordedWebm(directory);
    const files = {
      zeroBytes: Buffer.alloc(0),
      headerOnly: whole.subarray(0, whole.indexOf(CLUSTER_ID)),
      whole,
    };
    const answers: Record<string, boolean> = {};
    for (const [name, bytes] of Object.entries(files)) {
      const file = path.join(directory, `${name}.webm`);
      await fs.promises.writeFile(file, bytes);
      answers[name] = holdsNoMedia(file);
    }

    expect(answers).toEqual({ zeroBytes: true, headerOnly: true, whole: false });
  });
});
