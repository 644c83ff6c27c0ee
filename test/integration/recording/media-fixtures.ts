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
