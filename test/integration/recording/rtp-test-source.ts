/**
 * Test media: one ffmpeg process plays a synthetic person (test pattern +
 * tone, VP8 + opus) over RTP into PlainTransport producers on a router, the
 * way a browser's camera and microphone arrive at the SFU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { PlainTransport, Producer, Router } from 'mediasoup/types';

/** A running synthetic participant. */
export interface RtpTestSource {
  video: Producer;
  audio: Producer;
  /** Stops ffmpeg and closes the producers' transports. Idempotent. */
  close(): Promise<void>;
}

/** Options; each field shows its default. */
export interface RtpTestSourceOptions {
  /** Tone frequency, so participants can be told apart. Default 440. */
  frequency?: number;
  /** lavfi video source. Default a 320x240 test pattern at 25 fps. */
  videoFilter?: string;
  /** lavfi audio source. Default a sine at `frequency`. */
  audioFilter?: string;
  /** Seconds to play before ffmpeg stops by itself. Default 600. */
  seconds?: number;
}

let nextSsrc = 1000;

/** Starts a synthetic participant producing on `router`. */
export async function startRtpTestSource(
  router: Router,
  options: RtpTestSourceOptions = {},
): Promise<RtpTestSource> {
  const videoTransport = await plainTransport(router);
  const audioTransport = await plainTransport(router);
  const videoSsrc = nextSsrc++;
  const audioSsrc = nextSsrc++;

  const video = await videoTransport.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
      encodings: [{ ssrc: videoSsrc }],
    },
  });
  const audio = await audioTransport.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [
        { mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 },
      ],
      encodings: [{ ssrc: audioSsrc }],
    },
  });

  const seconds = options.seconds ?? 600;
  const videoFilter = options.videoFilter ?? 'testsrc=size=320x240:rate=25';
  const audioFilter =
    options.audioFilter ?? `sine=frequency=${options.frequency ?? 440}:sample_rate=48000`;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    '-f',
    'lavfi',
    '-i',
    videoFilter,
    '-f',
    'lavfi',
    '-i',
    audioFilter,
    '-t',
    String(seconds),
    '-map',
    '0:v',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-g',
    '25',
    '-b:v',
    '300k',
    '-ssrc',
    String(videoSsrc),
    '-payload_type',
    '101',
    '-f',
    'rtp',
    rtpUrl(videoTransport),
    '-map',
    '1:a',
    '-c:a',
    'libopus',
    '-ac',
    '2',
    '-b:a',
    '48k',
    '-ssrc',
    String(audioSsrc),
    '-payload_type',
    '100',
    '-f',
    'rtp',
    rtpUrl(audioTransport),
  ];
  const sender: ChildProcess = spawn('ffmpeg', args, {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const senderExited = new Promise<void>((resolve) =>
    sender.once('exit', () => resolve()),
  );

  let closed = false;
  return {
    video,
    audio,
    close: async () => {
      if (closed) return;
      closed = true;
      if (sender.exitCode === null && sender.signalCode === null) sender.kill('SIGKILL');
      await senderExited;
      videoTransport.close();
      audioTransport.close();
    },
  };
}

async function plainTransport(router: Router): Promise<PlainTransport> {
  return router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: false,
    comedia: true,
  });
}

function rtpUrl(transport: PlainTransport): string {
  const rtcpPort = transport.rtcpTuple?.localPort;
  return `rtp://127.0.0.1:${transport.tuple.localPort}?rtcpport=${rtcpPort}&pkt_size=1200`;
}
