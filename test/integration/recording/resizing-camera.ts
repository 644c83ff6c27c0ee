/**
 * A synthetic camera whose picture changes size mid-stream, as a browser's
 * does when WebRTC adapts its resolution to the bandwidth (640x360 one
 * moment, 1280x720 the next, on the same track). ffmpeg's encoders cannot
 * change size while running, so the picture is encoded beforehand, one VP8
 * file per size, and the files are sent back to back over RTP unchanged.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Router } from 'mediasoup/types';
import { startRtpTestSource, type RtpTestSource } from '../../helpers/rtp-source.ts';

const run = promisify(execFile);

/** One stretch of the camera's picture. */
export interface CameraStretch {
  /** As ffmpeg writes a size: '320x240'. */
  size: string;
  seconds: number;
}

/** What the camera shows and sounds like. */
export interface ResizingCameraOptions {
  /** ffmpeg colour of the whole picture: '0x2040d0'. */
  colour: string;
  stretches: CameraStretch[];
  /** Tone of its microphone. */
  frequency: number;
  /** Scratch space for the encoded picture. */
  directory: string;
}

/** Starts the camera and microphone of one synthetic person on `router`. */
export async function startResizingCamera(
  router: Router,
  options: ResizingCameraOptions,
): Promise<RtpTestSource> {
  const lines = ['ffconcat version 1.0'];
  for (const [index, stretch] of options.stretches.entries()) {
    const file = path.join(options.directory, `camera-${index}.webm`);
    await run('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `color=c=${options.colour}:size=${stretch.size}:rate=25:duration=${stretch.seconds}`,
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      // A key frame every second: a capture that joins late still starts soon.
      '-g',
      '25',
      '-b:v',
      '200k',
      '-y',
      file,
    ]);
    lines.push(`file '${file}'`);
  }
  const list = path.join(options.directory, 'camera.ffconcat');
  fs.writeFileSync(list, `${lines.join('\n')}\n`);

  return startRtpTestSource(router, { encodedVideo: list, frequency: options.frequency });
}
