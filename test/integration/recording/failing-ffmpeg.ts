/**
 * A stand-in for ffmpeg that fails the way a crashing one does (exits at once
 * with an error) for the first runs of one kind, then runs the real ffmpeg;
 * every other use (version checks, the other kind of run) is passed through.
 * The recording service is pointed at it through recording.ffmpegPath.
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporaryDirectory } from './media-fixtures.ts';

/** Which ffmpeg runs fail: a track's capture (reads an SDP file) or the seal's composite. */
export type FfmpegRunKind = 'capture' | 'composite';

/** How each kind of run shows in ffmpeg's arguments (a shell `case` pattern). */
const RUN_PATTERNS: Record<FfmpegRunKind, string> = {
  capture: '*.sdp*',
  composite: '*-filter_complex_script*',
};

/** The wrapper's path, and how many runs of its kind it has seen (failed or not). */
export interface FailingFfmpeg {
  path: string;
  runs: () => number;
}

/** An ffmpeg whose first `failures` runs of `kind` fail; removed when the test finishes. */
export function ffmpegFailingFirst(kind: FfmpegRunKind, failures: number): FailingFfmpeg {
  const directory = temporaryDirectory('ffmpeg-wrapper');
  const counter = path.join(directory, `${kind}-runs`);
  const wrapper = path.join(directory, 'ffmpeg');
  fs.writeFileSync(counter, '0');
  fs.writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      'case "$*" in',
      `  ${RUN_PATTERNS[kind]})`,
      `    runs=$(( $(cat '${counter}') + 1 ))`,
      `    echo "$runs" > '${counter}'`,
      `    if [ "$runs" -le ${failures} ]; then echo 'simulated ${kind} crash' >&2; exit 1; fi`,
      '    ;;',
      'esac',
      'exec ffmpeg "$@"',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );

  return {
    path: wrapper,
    runs: () => Number(fs.readFileSync(counter, 'utf8').trim()),
  };
}
