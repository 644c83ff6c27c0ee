/**
 * A synthetic camera whose picture changes size mid-stream, as a browser's
 * does when WebRTC adapts its resolution to the bandwidth (640x360 one
 * moment, 1280x720 the next, on the same track). ffmpeg's encoders cannot
 * change size while running, so the picture is encoded beforehand, one VP8
 * file per size, and the files are sent back to back over RTP unchanged.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Router } from 'mediasoup/types';
import { createRtpProducerPair, type RtpTestSource } from '../../helpers/rtp-source.ts';

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

  const pair = await createRtpProducerPair(router);
  const payloadType = (producer: RtpTestSource['video']): string =>
    String(producer.rtpParameters.codecs[0]?.payloadType);
  const sender = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-re',
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${options.frequency}:sample_rate=48000`,
      '-map',
      '0:v',
      '-c:v',
      'copy',
      '-ssrc',
      String(pair.videoTarget.ssrc),
      '-payload_type',
      payloadType(pair.video),
      '-f',
      'rtp',
      pair.videoTarget.url,
      '-map',
      '1:a',
      '-c:a',
      'libopus',
      '-ac',
      '2',
      '-b:a',
      '48k',
      '-ssrc',
      String(pair.audioTarget.ssrc),
      '-payload_type',
      payloadType(pair.audio),
      '-f',
      'rtp',
      pair.audioTarget.url,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => sender.once('exit', () => resolve()));

  let closed = false;
  return {
    video: pair.video,
    audio: pair.audio,
    pid: sender.pid,
    close: async () => {
      if (closed) return;
      closed = true;
      if (sender.exitCode === null && sender.signalCode === null) sender.kill('SIGKILL');
      await exited;
      pair.close();
    },
  };
}
