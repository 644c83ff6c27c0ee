/**
 * Test media: one ffmpeg process plays synthetic people (test pattern + tone,
 * VP8 or H.264 + opus) over RTP into PlainTransport producers on a router, the
 * way a browser's camera and microphone arrive at the SFU. Used by integration
 * tests and benchmark scripts alike, so it imports nothing from vitest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type {
  PlainTransport,
  Producer,
  Router,
  RtpCodecParameters,
} from 'mediasoup/types';

/** The video codec a synthetic camera sends. */
export type TestVideoCodec = 'vp8' | 'h264';

/** A video and an audio producer, each on its own PlainTransport waiting for RTP. */
export interface RtpProducerPair {
  /** What the video producer takes, so the sender encodes to match. */
  videoCodec: TestVideoCodec;
  video: Producer;
  audio: Producer;
  /** Where ffmpeg sends the video, and with which SSRC. */
  videoTarget: RtpTarget;
  /** Where ffmpeg sends the audio, and with which SSRC. */
  audioTarget: RtpTarget;
  /** Closes both transports (and so the producers). Idempotent. */
  close(): void;
}

/** One RTP destination of the sender. */
export interface RtpTarget {
  url: string;
  ssrc: number;
}

/** What the sender plays; each field shows its default. */
export interface RtpSenderOptions {
  /** lavfi video source. Default a 320x240 test pattern at 25 fps. */
  videoFilter?: string;
  /** lavfi audio source. Default a sine at 440 Hz. */
  audioFilter?: string;
  /** Seconds to play before ffmpeg stops by itself. Default 600. */
  seconds?: number;
  /** Video bitrate, as ffmpeg writes it. Default '300k'. */
  videoBitrate?: string;
  /**
   * An ffconcat list of video files already encoded in the pair's codec,
   * sent as they are instead of `videoFilter` (a picture that changes size
   * mid-stream, which a running encoder cannot produce). Default none.
   */
  encodedVideo?: string;
}

/** Options of a producer pair; each field shows its default. */
export interface RtpProducerPairOptions {
  /** Video codec of the producer (and so of the sender). Default 'vp8'. */
  videoCodec?: TestVideoCodec;
}

/** A running ffmpeg sender. */
export interface RtpSender {
  /** ffmpeg's process id, to read its CPU use. */
  pid: number | undefined;
  /** Stops ffmpeg and waits until it has exited. Idempotent. */
  close(): Promise<void>;
}

/** A running synthetic participant: its producers and its own sender. */
export interface RtpTestSource {
  video: Producer;
  audio: Producer;
  /** The sender's ffmpeg process id. */
  pid: number | undefined;
  /** Stops ffmpeg and closes the producers' transports. Idempotent. */
  close(): Promise<void>;
}

/** Options of one synthetic participant; each field shows its default. */
export interface RtpTestSourceOptions extends RtpSenderOptions, RtpProducerPairOptions {
  /** Tone frequency, so participants can be told apart. Default 440. */
  frequency?: number;
}

const VIDEO_PAYLOAD_TYPE = 101;
const AUDIO_PAYLOAD_TYPE = 100;

/** The video producer's codec, as a browser would declare it. */
const VIDEO_CODECS: Record<TestVideoCodec, RtpCodecParameters> = {
  vp8: { mimeType: 'video/VP8', payloadType: VIDEO_PAYLOAD_TYPE, clockRate: 90000 },
  // What Chromium and Safari offer first for H.264: constrained baseline,
  // level 3.1, FU-A fragmentation (packetization-mode 1). The feedback lets
  // mediasoup send key frame requests to the sender, as it does to a browser.
  h264: {
    mimeType: 'video/H264',
    payloadType: VIDEO_PAYLOAD_TYPE,
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
    },
    rtcpFeedback: [
      { type: 'nack', parameter: 'pli' },
      { type: 'ccm', parameter: 'fir' },
    ],
  },
};

let nextSsrc = 1000;

/** Starts a synthetic participant producing on `router`, with its own ffmpeg. */
export async function startRtpTestSource(
  router: Router,
  options: RtpTestSourceOptions = {},
): Promise<RtpTestSource> {
  const pair = await createRtpProducerPair(router, options);
  const sender = startRtpSender([pair], {
    ...options,
    audioFilter: options.audioFilter ?? sineFilter(options.frequency ?? 440),
  });

  return {
    video: pair.video,
    audio: pair.audio,
    pid: sender.pid,
    close: async () => {
      await sender.close();
      pair.close();
    },
  };
}

/** Opens a video and an audio producer on `router` that take RTP from ffmpeg. */
export async function createRtpProducerPair(
  router: Router,
  options: RtpProducerPairOptions = {},
): Promise<RtpProducerPair> {
  const videoCodec = options.videoCodec ?? 'vp8';
  const videoTransport = await plainTransport(router);
  const audioTransport = await plainTransport(router);
  const close = () => {
    videoTransport.close();
    audioTransport.close();
  };
  const videoSsrc = nextSsrc++;
  const audioSsrc = nextSsrc++;

  try {
    const video = await videoTransport.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [VIDEO_CODECS[videoCodec]],
        encodings: [{ ssrc: videoSsrc }],
      },
    });
    const audio = await audioTransport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [
          {
            mimeType: 'audio/opus',
            payloadType: AUDIO_PAYLOAD_TYPE,
            clockRate: 48000,
            channels: 2,
          },
        ],
        encodings: [{ ssrc: audioSsrc }],
      },
    });

    return {
      videoCodec,
      video,
      audio,
      videoTarget: { url: rtpUrl(videoTransport), ssrc: videoSsrc },
      audioTarget: { url: rtpUrl(audioTransport), ssrc: audioSsrc },
      close,
    };
  } catch (err) {
    close();
    throw err;
  }
}

/**
 * Starts one ffmpeg that plays the same synthetic media into every pair: one
 * process for many participants keeps their pictures and sounds in step.
 */
export function startRtpSender(
  pairs: RtpProducerPair[],
  options: RtpSenderOptions = {},
): RtpSender {
  const sender: ChildProcess = spawn('ffmpeg', senderArgs(pairs, options), {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const senderExited = new Promise<void>((resolve) =>
    sender.once('exit', () => resolve()),
  );

  let closed = false;
  return {
    pid: sender.pid,
    close: async () => {
      if (closed) return;
      closed = true;
      if (sender.exitCode === null && sender.signalCode === null) sender.kill('SIGKILL');
      await senderExited;
    },
  };
}

function senderArgs(pairs: RtpProducerPair[], options: RtpSenderOptions): string[] {
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-re',
    ...(options.encodedVideo
      ? ['-f', 'concat', '-safe', '0', '-i', options.encodedVideo, '-re']
      : ['-f', 'lavfi', '-i', options.videoFilter ?? 'testsrc=size=320x240:rate=25']),
    '-f',
    'lavfi',
    '-i',
    options.audioFilter ?? sineFilter(440),
    '-t',
    String(options.seconds ?? 600),
  ];
  for (const pair of pairs) {
    const videoArgs = options.encodedVideo
      ? ['-c:v', 'copy']
      : [
          ...videoEncoderArgs(pair.videoCodec),
          '-g',
          '25',
          '-b:v',
          options.videoBitrate ?? '300k',
          // One encoder thread: several senders share few cores, and threads cost more than they gain at 320x240.
          '-threads',
          '1',
        ];
    args.push(
      '-map',
      '0:v',
      ...videoArgs,
      ...rtpOutput(pair.videoTarget, VIDEO_PAYLOAD_TYPE),
      '-map',
      '1:a',
      '-c:a',
      'libopus',
      '-ac',
      '2',
      '-b:a',
      '48k',
      ...rtpOutput(pair.audioTarget, AUDIO_PAYLOAD_TYPE),
    );
  }

  return args;
}

/** Encoder options that produce what the pair's video producer was declared with. */
function videoEncoderArgs(codec: TestVideoCodec): string[] {
  if (codec === 'h264') {
    // Baseline from x264 is constrained baseline (42e0..); zerolatency drops
    // lookahead as a browser's real-time encoder does. x264 repeats SPS/PPS
    // before every key frame, as browsers do, since RTP carries no header.
    return [
      '-c:v',
      'libx264',
      '-profile:v',
      'baseline',
      '-level:v',
      '3.1',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-pix_fmt',
      'yuv420p',
    ];
  }

  return ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8'];
}

function rtpOutput(target: RtpTarget, payloadType: number): string[] {
  return [
    '-ssrc',
    String(target.ssrc),
    '-payload_type',
    String(payloadType),
    '-f',
    'rtp',
    target.url,
  ];
}

function sineFilter(frequency: number): string {
  return `sine=frequency=${frequency}:sample_rate=48000`;
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
