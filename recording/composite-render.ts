/**
 * Runs ffmpeg on a composite plan: concat inputs per track, the plan's filter
 * graph, H.264 + AAC out with the index at the front (+faststart) so players
 * start before the whole file has arrived. ffmpeg runs reniced: sealing must
 * never take CPU from live reviews. The filter graph is built once and kept
 * when an input's picture changes size (see the input options).
 */
import fs from 'node:fs';
import path from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { AppError } from '../server/errors.ts';
import type { CompositePlan } from './composite-plan.ts';

/** Niceness of the composite's ffmpeg. */
export const SEAL_NICENESS = 10;

/** Where and how to render; each optional field shows its default. */
export interface RenderOptions {
  /** Holds the concat lists, labels and filter script. */
  workDirectory: string;
  outputPath: string;
  ffmpegPath: string;
  /** x264 preset. Default 'veryfast'. */
  preset?: string;
  /** Fraction of the timeline rendered, 0..1. */
  onProgress?: (fraction: number) => void;
  /** Aborting kills ffmpeg; the render then rejects. */
  signal?: AbortSignal;
}

/** Renders `plan` into an MP4 at `outputPath`. */
export async function renderComposite(
  plan: CompositePlan,
  options: RenderOptions,
): Promise<void> {
  const { workDirectory } = options;
  for (const label of plan.labels) await fs.promises.writeFile(label.file, label.text);

  const command = ffmpeg().setFfmpegPath(options.ffmpegPath);
  for (const [index, input] of plan.inputs.entries()) {
    const listPath = path.join(workDirectory, `input-${index}.ffconcat`);
    await fs.promises.writeFile(listPath, input.concatList);
    // A browser changes its picture's size mid-track (WebRTC adapts it to the
    // bandwidth; a screen share follows its window). By default ffmpeg then
    // rebuilds the whole filter graph, which restarts every filter's clock: the
    // canvas, each track's offset and the audio mix start again from zero, so
    // later pictures are dropped as late and the sound is written twice over.
    // The graph's scale filter takes any size, so the graph is kept.
    command
      .input(listPath)
      .inputOptions(['-f', 'concat', '-safe', '0', '-reinit_filter', '0']);
  }
  const filterPath = path.join(workDirectory, 'filter.txt');
  await fs.promises.writeFile(filterPath, plan.filterGraph);

  command
    .outputOptions([
      '-filter_complex_script',
      filterPath,
      '-map',
      `[${plan.videoOutput}]`,
      '-map',
      `[${plan.audioOutput}]`,
      '-c:v',
      'libx264',
      '-preset',
      options.preset ?? 'veryfast',
      '-crf',
      '26',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-t',
      plan.durationSeconds.toFixed(3),
      '-movflags',
      '+faststart',
      '-y',
    ])
    .output(options.outputPath)
    .renice(SEAL_NICENESS);

  await new Promise<void>((resolve, reject) => {
    const abort = (): void => {
      command.kill('SIGKILL');
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    command.on('progress', (progress: { timemark?: string }) => {
      const done = timemarkSeconds(progress.timemark);
      if (done !== undefined)
        options.onProgress?.(Math.min(1, done / plan.durationSeconds));
    });
    command.on('end', () => {
      options.signal?.removeEventListener('abort', abort);
      resolve();
    });
    command.on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
      options.signal?.removeEventListener('abort', abort);
      reject(
        new AppError('RECORDING_FAILED', 'Composite ffmpeg failed', {
          cause: err,
          details: { stderrTail: stderr?.slice(-2000) },
        }),
      );
    });
    command.run();
  });
}

function timemarkSeconds(timemark: string | undefined): number | undefined {
  const match = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timemark ?? '');
  if (!match) return undefined;

  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}
