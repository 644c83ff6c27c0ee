/**
 * Shared fixtures of the recording integration tests: a real mediasoup
 * worker and router, a temporary directory, ffprobe.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { Router, Worker } from 'mediasoup/types';
import { onTestFinished } from 'vitest';
import { ROUTER_MEDIA_CODECS } from '../../../server/sfu/media-codecs.ts';

const run = promisify(execFile);

/** A worker and router closed when the test finishes. */
export async function startRouter(): Promise<{ worker: Worker; router: Router }> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  onTestFinished(() => {
    worker.close();
  });
  const router = await worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });

  return { worker, router };
}

/** A temporary directory removed when the test finishes. */
export function temporaryDirectory(prefix: string): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  onTestFinished(() => fs.rmSync(directory, { recursive: true, force: true }));

  return directory;
}

/** What ffprobe says about a media file's streams and duration. */
export async function probe(file: string): Promise<{
  durationSeconds: number;
  streams: { codec_type: string; codec_name: string }[];
}> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ]);
  const parsed = JSON.parse(stdout) as {
    format: { duration?: string };
    streams: { codec_type: string; codec_name: string; duration?: string }[];
  };

  return {
    durationSeconds: Number(parsed.format.duration ?? 'NaN'),
    streams: parsed.streams,
  };
}

/** Resolves when `condition` holds; fails after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Frames ffprobe decodes from each stream of a media file, by stream type. */
export async function decodedFrames(
  file: string,
): Promise<{ codec_type: string; codec_name: string; frames: number }[]> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-show_entries',
    'stream=codec_type,codec_name,nb_read_frames',
    '-print_format',
    'json',
    file,
  ]);
  const parsed = JSON.parse(stdout) as {
    streams: { codec_type: string; codec_name: string; nb_read_frames?: string }[];
  };

  return parsed.streams.map((s) => ({
    codec_type: s.codec_type,
    codec_name: s.codec_name,
    frames: Number(s.nb_read_frames ?? 0),
  }));
}

/** Whether the first video packet of a media file is a key frame. */
export async function startsOnKeyFrame(file: string): Promise<boolean> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-read_intervals',
    '%+#1',
    '-show_entries',
    'packet=flags',
    '-of',
    'csv=p=0',
    file,
  ]);

  return stdout.trim().split('\n')[0]?.startsWith('K') ?? false;
}

/** The mean volume (dB) of a media file's first audio stream; silence is -91 dB. */
export async function meanVolumeDb(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', [
    '-hide_banner',
    '-nostats',
    '-i',
    file,
    '-map',
    '0:a:0',
    '-af',
    'volumedetect',
    '-f',
    'null',
    '-',
  ]);
  const match = /mean_volume: (-?[\d.]+) dB/.exec(stderr);

  return match ? Number(match[1]) : Number.NaN;
}
