/**
 * Recording benchmark. Prints figures; asserts nothing.
 *
 *   node scripts/bench-recording.ts [--live-seconds 20] [--minutes 30] [--preset veryfast]
 *
 * --live-seconds 0 skips the live part.
 *
 * 1. Live: one ffmpeg plays two participants from ONE source whose white
 *    flashes and 1 kHz beeps coincide (80 ms each second), over RTP into
 *    PlainTransport producers; the recorder's captures write segments. Prints
 *    the CPU of each capture's ffmpeg per recorded track, then composes the
 *    segments and measures, in the composite, the audio-to-video offset
 *    (beep onset minus flash onset) and the offset between the participants'
 *    flashes.
 * 2. Sealing: synthesises a review of three people (camera + microphone) of
 *    `--minutes` minutes from 4-second segments made by ffmpeg directly, and
 *    times the composite render (the dominant cost of a seal).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import * as mediasoup from 'mediasoup';
import { createLogger } from '../server/log/logger.ts';
import { ROUTER_MEDIA_CODECS } from '../server/sfu/media-codecs.ts';
import { planComposite, type CompositeTrackInput } from '../recording/composite-plan.ts';
import { renderComposite } from '../recording/composite-render.ts';
import { DEFAULT_LABEL_FONT } from '../recording/recording-sealer.ts';
import { TrackCapture, type ClosedSegment } from '../recording/track-capture.ts';
import { UdpPortPool } from '../recording/udp-port-pool.ts';
import {
  createRtpProducerPair,
  startRtpSender,
  type RtpSender,
} from '../test/helpers/rtp-source.ts';

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: {
    'live-seconds': { type: 'string', default: '20' },
    minutes: { type: 'string', default: '30' },
    preset: { type: 'string', default: 'veryfast' },
  },
});
const FLASH_VIDEO =
  "color=c=black:s=320x240:r=25[bg];color=c=white:s=320x240:r=25[fg];[bg][fg]overlay=enable='lt(mod(t,1),0.08)',format=yuv420p";
const BEEP_AUDIO =
  "sine=frequency=1000:sample_rate=48000,volume=volume=0:enable='gte(mod(t,1),0.08)'";
const CLOCK_TICKS = 100;
const logger = createLogger({ level: 'warn' });

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-recording-'));
try {
  const liveSeconds = Number(args['live-seconds']);
  if (liveSeconds > 0) await liveBenchmark(liveSeconds);
  await sealBenchmark(Number(args.minutes), args.preset ?? 'veryfast');
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

async function liveBenchmark(seconds: number): Promise<void> {
  const worker = await mediasoup.createWorker({ logLevel: 'warn' });
  const captures: {
    person: number;
    capture: TrackCapture;
    segments: ClosedSegment[];
  }[] = [];
  let sender: RtpSender | undefined;
  try {
    const router = await worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS });
    const people = ['Attestee', 'Chair'];
    const sources = [];
    for (let i = 0; i < people.length; i++)
      sources.push(await createRtpProducerPair(router));
    const ports = new UdpPortPool();
    for (const [person, source] of sources.entries()) {
      for (const producer of [source.video, source.audio]) {
        const capture = await TrackCapture.start({
          router,
          producer,
          ports,
          directory: path.join(work, `live-${person}-${producer.kind}`),
          firstSeq: 0,
          segmentSeconds: 2,
          ffmpegPath: 'ffmpeg',
          logger,
        });
        const entry = { person, capture, segments: [] as ClosedSegment[] };
        capture.on('segment', (segment) => entry.segments.push(segment));
        captures.push(entry);
      }
    }
    // The sender starts once every capture listens, so none misses its first key frame.
    sender = startRtpSender(sources, {
      videoFilter: FLASH_VIDEO,
      audioFilter: BEEP_AUDIO,
      seconds: seconds + 60,
      videoBitrate: '200k',
    });
    const deadline = Date.now() + 60_000;
    while (!captures.every((c) => c.capture.writing)) {
      if (Date.now() > deadline)
        throw new Error('captures did not start writing within 60 s');
      await sleep(100);
    }

    const before = captures.map((c) => cpuTicks(c.capture.ffmpegPid));
    const startedAt = Date.now();
    await sleep(seconds * 1000);
    const wallSeconds = (Date.now() - startedAt) / 1000;
    const after = captures.map((c) => cpuTicks(c.capture.ffmpegPid));

    console.log(
      `\nCPU per recorded track (ffmpeg -c copy, ${wallSeconds.toFixed(1)} s):`,
    );
    captures.forEach((c, i) => {
      const used = ((after[i] ?? 0) - (before[i] ?? 0)) / CLOCK_TICKS;
      console.log(
        `  ${people[c.person]} ${c.capture.kind}: ${((100 * used) / wallSeconds).toFixed(2)} % of one core`,
      );
    });

    await Promise.all(captures.map((c) => c.capture.stop('benchmark over')));
    for (const source of sources) source.close();

    const tracks: CompositeTrackInput[] = captures.map((c, i) => ({
      trackId: `t${i}`,
      personId: `p${c.person}`,
      displayName: people[c.person] ?? '',
      role: c.person === 0 ? 'attestee' : 'chair',
      source: c.capture.kind === 'video' ? 'camera' : 'microphone',
      kind: c.capture.kind,
      segments: c.segments,
    }));
    const composite = path.join(work, 'live.mp4');
    const plan = planComposite(tracks, {
      fontFile: DEFAULT_LABEL_FONT,
      labelFile: (name) => path.join(work, `live-${name}.txt`),
    });
    await renderComposite(plan, {
      workDirectory: work,
      outputPath: composite,
      ffmpegPath: 'ffmpeg',
      preset: 'ultrafast',
    });
    await printSyncFigures(composite);
  } finally {
    await sender?.close();
    await Promise.all(captures.map((c) => c.capture.close('benchmark over')));
    worker.close();
  }
}

async function printSyncFigures(composite: string): Promise<void> {
  // Two people on a 2x1 grid of a 1280x720 canvas: tiles 640 wide, full height.
  const flashesA = await flashOnsets(composite, 'crop=640:720:0:0');
  const flashesB = await flashOnsets(composite, 'crop=640:720:640:0');
  const beeps = await beepOnsets(composite);

  const avOffsets = nearestOffsets(flashesA, beeps);
  const peerOffsets = nearestOffsets(flashesA, flashesB);
  console.log(
    `\nSync in the composite (${flashesA.length} flashes, ${beeps.length} beeps):`,
  );
  console.log(
    `  audio-to-video offset (beep - flash): ${describe(avOffsets)} (goal |median| <= 40 ms)`,
  );
  console.log(`  offset between participants (B - A flash): ${describe(peerOffsets)}`);
}

async function sealBenchmark(minutes: number, preset: string): Promise<void> {
  const segmentSeconds = 4;
  const count = Math.ceil((minutes * 60) / segmentSeconds);
  const video = path.join(work, 'synth-video.webm');
  const audio = path.join(work, 'synth-audio.webm');
  await synthesise('testsrc=size=640x360:rate=25', segmentSeconds, video, [
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-b:v',
    '600k',
  ]);
  await synthesise('sine=frequency=440:sample_rate=48000', segmentSeconds, audio, [
    '-c:a',
    'libopus',
    '-ac',
    '2',
  ]);

  const start = Date.UTC(2025, 0, 1, 9);
  const segmentsOf = (file: string) =>
    Array.from({ length: count }, (_, i) => ({
      filePath: file,
      startedAt: new Date(start + i * segmentSeconds * 1000),
      endedAt: new Date(start + (i + 1) * segmentSeconds * 1000),
    }));
  const roles = ['attestee', 'chair', 'expert'] as const;
  const tracks: CompositeTrackInput[] = roles.flatMap((role, i) => {
    const person = { personId: `p${i}`, displayName: `Person ${i + 1}`, role };
    return [
      {
        ...person,
        trackId: `v${i}`,
        source: 'camera',
        kind: 'video',
        segments: segmentsOf(video),
      },
      {
        ...person,
        trackId: `a${i}`,
        source: 'microphone',
        kind: 'audio',
        segments: segmentsOf(audio),
      },
    ];
  });
  const plan = planComposite(tracks, {
    fontFile: DEFAULT_LABEL_FONT,
    labelFile: (name) => path.join(work, `seal-${name}.txt`),
  });

  const startedAt = Date.now();
  await renderComposite(plan, {
    workDirectory: work,
    outputPath: path.join(work, 'seal.mp4'),
    ffmpegPath: 'ffmpeg',
    preset,
  });
  const seconds = (Date.now() - startedAt) / 1000;
  console.log(
    `\nSealing a ${minutes}-minute three-person review (6 tracks, ${count} segments each, x264 ${preset}):`,
  );
  console.log(
    `  composite render: ${seconds.toFixed(1)} s (${((minutes * 60) / seconds).toFixed(2)}x real time) on ${os.availableParallelism()} cores, load ${os.loadavg()[0]?.toFixed(1)}`,
  );
}

/** Encodes `seconds` of the lavfi `source` into `output` with `encoderArgs`. */
async function synthesise(
  source: string,
  seconds: number,
  output: string,
  encoderArgs: string[],
): Promise<void> {
  await run('ffmpeg', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    source,
    '-t',
    String(seconds),
    ...encoderArgs,
    '-y',
    output,
  ]);
}

/** Times (s) at which the cropped picture turns bright. */
async function flashOnsets(file: string, crop: string): Promise<number[]> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      `${crop},signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-`,
      '-an',
      '-f',
      'null',
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const onsets: number[] = [];
  let time = 0;
  let bright = false;
  for (const line of stdout.split('\n')) {
    const frame = /pts_time:([\d.]+)/.exec(line);
    if (frame) time = Number(frame[1]);
    const luma = /YAVG=([\d.]+)/.exec(line);
    if (!luma) continue;
    const now = Number(luma[1]) > 128;
    if (now && !bright) onsets.push(time);
    bright = now;
  }
  return onsets;
}

/** Times (s) at which the mixed audio leaves silence. */
async function beepOnsets(file: string): Promise<number[]> {
  const { stderr } = await run(
    'ffmpeg',
    [
      '-v',
      'info',
      '-i',
      file,
      '-vn',
      '-af',
      'silencedetect=noise=-30dB:duration=0.2',
      '-f',
      'null',
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
}

/** For each time in `reference`, the signed distance (ms) to the nearest time in `other`. */
function nearestOffsets(reference: number[], other: number[]): number[] {
  if (other.length === 0) return [];
  return reference
    .map((t) => {
      const nearest = other.reduce((best, o) =>
        Math.abs(o - t) < Math.abs(best - t) ? o : best,
      );
      return Math.round((nearest - t) * 1000);
    })
    .filter((ms) => Math.abs(ms) < 500);
}

function describe(values: number[]): string {
  if (values.length === 0) return 'no matches';
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const worst = sorted.reduce((w, v) => (Math.abs(v) > Math.abs(w) ? v : w));
  return `median ${median} ms, worst ${worst} ms over ${values.length} pairs`;
}

function cpuTicks(pid: number | undefined): number {
  if (!pid) return 0;
  const fields =
    fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the name).
  return Number(fields[11]) + Number(fields[12]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
