/**
 * Review media benchmark. Prints figures; asserts nothing.
 *
 *   node scripts/bench-review.ts [--reviews 8] [--seconds 10] [--samples 5]
 *                                [--workers <cores>] [--loss-percent 1] [--min-realtime 90]
 *
 * Runs the real service in this process (startSarapta, warnings logged, temporary
 * data directory, no recording) and drives it as browsers would over socket.io
 * with real join tokens. Media comes from ffmpeg test sources (VP8 test
 * pattern + opus tone, 320x240 at 25 fps, one ffmpeg per participant) over
 * RTP into PlainTransport producers on each review's router; receivers are
 * PlainTransports sending to UDP sockets of this process. The router of a
 * review is reached through the recorder seam, as the recording service does.
 *
 * 1. Join to first frame: the chair connects with its token while the
 *    attestee's video already flows; the time until the first RTP packet of
 *    that video reaches a UDP socket here (socket timestamps, not stats).
 * 2. Capacity: adds three-person reviews one at a time (each participant
 *    sends audio + video and receives the other two's), measures each step
 *    for --seconds, and stops when loss passes --loss-percent, a media worker
 *    or the machine saturates, or the ffmpeg senders fall below --min-realtime
 *    percent of real time (the load generator is full). Media-server CPU
 *    (mediasoup workers) is reported apart from the load generator (ffmpeg
 *    senders) and from this Node process (which holds both the signalling
 *    server and the benchmark's receiving sockets).
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { Consumer, Producer, Router, Worker } from 'mediasoup/types';
import { io, type Socket } from 'socket.io-client';
import { startSarapta, type Sarapta } from '../server/app.ts';
import { configSchema } from '../server/config/config.ts';
import { createLogger } from '../server/log/logger.ts';
import { createAbsentRecorder } from '../server/review/absent-recorder.ts';
import { newReviewInputSchema } from '../server/review/new-review-input.ts';
import type { CreatedReview } from '../server/review/review-service.ts';
import type { Role } from '../server/review/review-types.ts';
import type {
  Ack,
  ClientToServerEvents,
  ServerToClientEvents,
  SessionSnapshot,
} from '../server/signalling/protocol.ts';
import { consumeToUdpPort } from '../test/helpers/rtp-consumers.ts';
import { startRtpTestSource, type RtpTestSource } from '../test/helpers/rtp-source.ts';

const { values: args } = parseArgs({
  options: {
    reviews: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    samples: { type: 'string', default: '5' },
    workers: { type: 'string' },
    'loss-percent': { type: 'string', default: '1' },
    'min-realtime': { type: 'string', default: '90' },
  },
});
const MAX_REVIEWS = Number(args.reviews);
const WINDOW_SECONDS = Number(args.seconds);
const LATENCY_SAMPLES = Number(args.samples);
const LOSS_LIMIT_PERCENT = Number(args['loss-percent']);

/** A mediasoup worker is one thread: this share of one core means it is full. */
const WORKER_SATURATED_PERCENT = 90;
/** Our processes together using this share of all cores means the machine is full. */
const MACHINE_SATURATED_PERCENT = 90;
/** Below this share of real time the ffmpeg senders are starved: the load generator is full. */
const SENDERS_REALTIME_PERCENT = Number(args['min-realtime']);
/** ffmpeg's libopus sends one 20 ms frame per packet. */
const OPUS_PACKETS_PER_SECOND = 50;
/** The ffmpeg test source sends a key frame every 25 frames at 25 fps. */
const KEY_FRAME_INTERVAL_MS = 1000;
/** Time for a new review's ffmpeg senders to get past their start-up burst. */
const SETTLE_MS = 2000;
const MEDIA_START_TIMEOUT_MS = 30_000;
const ACK_TIMEOUT_MS = 15_000;
const CORES = os.availableParallelism();
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString());

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// ---------------------------------------------------------------------------
// The service under test

/** The running service, its workers, and each review's router. */
interface BenchService {
  app: Sarapta;
  workers: Worker[];
  routers: Map<string, Router>;
  close(): Promise<void>;
}

async function startService(): Promise<BenchService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-review-'));
  const workers: Worker[] = [];
  const onWorker = (worker: Worker) => workers.push(worker);
  mediasoup.observer.on('newworker', onWorker);

  const routers = new Map<string, Router>();
  const config = configSchema.parse({
    logLevel: 'warn',
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    media: {
      ...(args.workers ? { workers: args.workers } : {}),
      workerBin: process.env.MEDIASOUP_WORKER_BIN,
    },
  });
  const app = await startSarapta(config, {
    logger: createLogger({ level: 'warn' }),
    // The recorder seam hands over each review's router; nothing is recorded.
    createRecorder: (reviewId, router) => {
      routers.set(reviewId, router);
      return createAbsentRecorder(reviewId, router);
    },
  });

  return {
    app,
    workers,
    routers,
    close: async () => {
      await app.close('benchmark-finished');
      mediasoup.observer.off('newworker', onWorker);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function createThreePersonReview(service: BenchService): Promise<CreatedReview> {
  return service.app.reviews.createReview(
    newReviewInputSchema.parse({
      subject: 'Benchmark, grade 9',
      claimedCategory: 'teacher-expert',
      scheduledStart: new Date(Date.now() + 3600_000).toISOString(),
      attestee: { displayName: 'Attestee' },
      chair: { displayName: 'Chair' },
      experts: [{ displayName: 'Expert' }],
    }),
  );
}

function routerOf(service: BenchService, reviewId: string): Router {
  const router = service.routers.get(reviewId);
  if (!router) throw new Error(`no router was opened for review ${reviewId}`);

  return router;
}

// ---------------------------------------------------------------------------
// A participant's signalling, as the browser does it

/** A connected socket.io client with its first snapshot. */
interface Connection {
  socket: ClientSocket;
  snapshot: SessionSnapshot;
  /** Sends a message and returns its acknowledged data; throws on an error ack. */
  call<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<unknown>;
}

async function connect(service: BenchService, review: CreatedReview, role: Role) {
  const link = review.links.find((l) => l.role === role);
  if (!link) throw new Error(`review has no ${role}`);
  const token = new URL(link.url).hash.replace(/^#token=/, '');

  const socket: ClientSocket = io(service.app.url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const snapshot = await new Promise<SessionSnapshot>((resolve, reject) => {
    socket.once('session:snapshot', resolve);
    socket.once('connect_error', reject);
  });

  const call: Connection['call'] = async (event, payload) => {
    // The contract types each event's reply; here every reply is handled alike.
    const untyped = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
      emitWithAck(event: string, payload: unknown): Promise<Ack<unknown>>;
    };
    const reply = await untyped.emitWithAck(event, payload);
    if (!reply.ok)
      throw new Error(`${event}: ${reply.error.code} ${reply.error.message}`);

    return reply.data;
  };

  return { socket, snapshot, call } satisfies Connection;
}

// ---------------------------------------------------------------------------
// Receiving media: consumers on a PlainTransport, into a UDP socket here

/** Arrival counts of one RTP stream, with RFC 3550 sequence extension. */
interface StreamCount {
  received: number;
  baseSeq: number;
  cycles: number;
  maxSeq: number;
}

/** Received and expected packets, summed over a sink's streams. */
interface DeliveryCount {
  received: number;
  expected: number;
}

/** One receiving participant: a PlainTransport with consumers, and the socket it feeds. */
class RtpSink {
  readonly consumers: Consumer[] = [];
  readonly #socket: dgram.Socket;
  readonly #streams = new Map<number, StreamCount>();
  readonly #firstPacketWaiters = new Map<number, (at: number) => void>();
  #closeTransport: (() => void) | undefined;
  #closed = false;

  private constructor(socket: dgram.Socket) {
    this.#socket = socket;
    socket.on('message', (packet) => this.#onPacket(packet));
  }

  /** Consumes `producers` from `router` into a new local socket. */
  static async open(router: Router, producers: Producer[]): Promise<RtpSink> {
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const sink = new RtpSink(socket);
    try {
      const port = (socket.address() as AddressInfo).port;
      const delivery = await consumeToUdpPort(router, producers, port);
      sink.#closeTransport = delivery.close;
      sink.consumers.push(...delivery.consumers);
    } catch (err) {
      sink.close();
      throw err;
    }

    return sink;
  }

  /** Resolves with the arrival time (performance.now) of the consumer's first packet. */
  firstPacket(consumer: Consumer, timeoutMs: number): Promise<number> {
    const ssrc = ssrcOf(consumer);

    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${consumer.kind} packet in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#firstPacketWaiters.set(ssrc, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  /** Whether every consumer's stream has delivered at least one packet. */
  get flowing(): boolean {
    return this.consumers.every((c) => this.#streams.has(ssrcOf(c)));
  }

  /** Packets received and expected (from sequence numbers) so far. */
  delivery(): DeliveryCount {
    let received = 0;
    let expected = 0;
    for (const consumer of this.consumers) {
      const stream = this.#streams.get(ssrcOf(consumer));
      if (!stream) continue;

      received += stream.received;
      expected += stream.cycles + stream.maxSeq - stream.baseSeq + 1;
    }

    return { received, expected };
  }

  /** Closes the transport (and its consumers) and the socket. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;

    this.#closeTransport?.();
    this.#firstPacketWaiters.clear();
    this.#socket.removeAllListeners('message');
    this.#socket.close();
  }

  #onPacket(packet: Buffer): void {
    const arrivedAt = performance.now();
    // RFC 5761: with RTCP multiplexed, a second byte of 192-223 is RTCP, not media.
    const secondByte = packet[1] ?? 0;
    if (packet.length < 12 || (secondByte >= 192 && secondByte <= 223)) return;

    const ssrc = packet.readUInt32BE(8);
    const seq = packet.readUInt16BE(2);
    const stream = this.#streams.get(ssrc);
    if (!stream) {
      this.#streams.set(ssrc, { received: 1, baseSeq: seq, cycles: 0, maxSeq: seq });
      this.#firstPacketWaiters.get(ssrc)?.(arrivedAt);
      this.#firstPacketWaiters.delete(ssrc);
      return;
    }

    stream.received += 1;
    const ahead = (seq - stream.maxSeq) & 0xffff;
    // Less than half the sequence space ahead is new; more is a late (reordered) packet.
    if (ahead > 0 && ahead < 0x8000) {
      if (seq < stream.maxSeq) stream.cycles += 0x10000;
      stream.maxSeq = seq;
    }
  }
}

function ssrcOf(consumer: Consumer): number {
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  if (ssrc === undefined) throw new Error(`consumer ${consumer.id} has no SSRC`);

  return ssrc;
}

// ---------------------------------------------------------------------------
// Part 1: join to first frame

/** Milliseconds from the start of the join to each step. */
interface JoinTimings {
  snapshot: number;
  signalled: number;
  consuming: number;
  firstVideoPacket: number;
}

async function measureJoinToFirstFrame(
  service: BenchService,
  keyFramePhaseMs: number,
): Promise<JoinTimings> {
  const review = await createThreePersonReview(service);
  const attestee = await connect(service, review, 'attestee');
  const router = routerOf(service, review.review.reviewId);
  const source = await startRtpTestSource(router, { frequency: 440 });
  let sink: RtpSink | undefined;
  let chair: Connection | undefined;
  try {
    await waitUntil(
      async () => (await receivedPackets(source.video)) > 0,
      'attestee video',
    );
    // ffmpeg's key frames are locked to its start; joining at spread phases averages the wait.
    await sleep(KEY_FRAME_INTERVAL_MS + keyFramePhaseMs);

    const startedAt = performance.now();
    chair = await connect(service, review, 'chair');
    const snapshot = performance.now();
    // What a browser asks before it can consume: the router's capabilities and a transport.
    await chair.call('media:capabilities', {});
    await chair.call('media:createTransport', { direction: 'recv' });
    const signalled = performance.now();
    sink = await RtpSink.open(router, [source.video]);
    const consuming = performance.now();
    const [consumer] = sink.consumers;
    if (!consumer) throw new Error('no consumer');
    const firstVideoPacket = await sink.firstPacket(consumer, MEDIA_START_TIMEOUT_MS);

    return {
      snapshot: snapshot - startedAt,
      signalled: signalled - startedAt,
      consuming: consuming - startedAt,
      firstVideoPacket: firstVideoPacket - startedAt,
    };
  } finally {
    sink?.close();
    chair?.socket.disconnect();
    attestee.socket.disconnect();
    await source.close();
  }
}

async function runLatency(service: BenchService): Promise<void> {
  console.log(`\n== Join to first frame (${LATENCY_SAMPLES} samples) ==`);
  console.log(
    'Chair connects with its join token while the attestee sends; first RTP packet of the\n' +
      "attestee's video measured on arrival at a UDP socket (not by polling stats). The\n" +
      'consumer is made in-process on a PlainTransport: media:consume serves browsers only.',
  );
  const samples: JoinTimings[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const phase = ((i + 0.5) * KEY_FRAME_INTERVAL_MS) / LATENCY_SAMPLES;
    samples.push(await measureJoinToFirstFrame(service, phase));
  }

  const columns: (keyof JoinTimings)[] = [
    'snapshot',
    'signalled',
    'consuming',
    'firstVideoPacket',
  ];
  printTable(
    ['sample', 'snapshot ms', '+caps+transport ms', '+consumer ms', 'first video RTP ms'],
    [
      ...samples.map((s, i) => [String(i + 1), ...columns.map((c) => s[c].toFixed(1))]),
      ['median', ...columns.map((c) => median(samples.map((s) => s[c])).toFixed(1))],
    ],
  );
  console.log(
    'A new video consumer forwards nothing until a key frame; ffmpeg ignores the PLI and\n' +
      'sends one every 25 frames (1 s), so the last phase is mostly that wait (joins are\n' +
      'spread over the key-frame interval: expect ~500 ms on average). Browsers answer\n' +
      'the PLI at once, so with them that phase is about one encode plus one round trip.',
  );
}

// ---------------------------------------------------------------------------
// Part 2: concurrent three-person reviews

/** One review of the ramp with everything it holds. */
interface LoadedReview {
  connections: Connection[];
  sources: RtpTestSource[];
  sinks: RtpSink[];
}

async function addThreePersonReview(service: BenchService): Promise<LoadedReview> {
  const loaded: LoadedReview = { connections: [], sources: [], sinks: [] };
  try {
    const review = await createThreePersonReview(service);
    const chair = await connect(service, review, 'chair');
    loaded.connections.push(chair);
    for (const role of ['attestee', 'expert'] as const) {
      const person = await connect(service, review, role);
      loaded.connections.push(person);
      await chair.call('chair:admit', { peerId: person.snapshot.you.peerId });
    }

    const router = routerOf(service, review.review.reviewId);
    for (const frequency of [440, 660, 880])
      loaded.sources.push(await startRtpTestSource(router, { frequency }));
    for (const receiver of loaded.sources) {
      const others = loaded.sources.filter((s) => s !== receiver);
      loaded.sinks.push(
        await RtpSink.open(
          router,
          others.flatMap((s) => [s.audio, s.video]),
        ),
      );
    }
    await waitUntil(
      async () => loaded.sinks.every((s) => s.flowing),
      'media of a new review',
    );

    return loaded;
  } catch (err) {
    await closeReview(loaded);
    throw err;
  }
}

async function closeReview(loaded: LoadedReview): Promise<void> {
  for (const sink of loaded.sinks) sink.close();
  for (const connection of loaded.connections) connection.socket.disconnect();
  await Promise.all(loaded.sources.map((source) => source.close()));
}

/** Counters read at the edges of a measurement window. */
interface Counters {
  at: number;
  workerCpuMs: number[];
  processCpuMs: number;
  ffmpegTicks: Map<number, number>;
  machine: { busy: number; total: number };
  producers: {
    packets: number;
    lost: number;
    maxFractionLost: number;
    audioPackets: number;
    audioProducers: number;
  };
  delivery: DeliveryCount;
}

async function readCounters(
  service: BenchService,
  reviews: LoadedReview[],
): Promise<Counters> {
  const workerCpuMs = await Promise.all(
    service.workers
      .filter((w) => !w.closed)
      .map(async (w) => {
        const usage = await w.getResourceUsage();
        return usage.ru_utime + usage.ru_stime;
      }),
  );
  const cpu = process.cpuUsage();

  const allProducers = reviews.flatMap((r) =>
    r.sources.flatMap((s) => [s.audio, s.video]),
  );
  const producers = {
    packets: 0,
    lost: 0,
    maxFractionLost: 0,
    audioPackets: 0,
    audioProducers: allProducers.filter((p) => p.kind === 'audio').length,
  };
  const allStats = await Promise.all(allProducers.map((p) => p.getStats()));
  allStats.forEach((stats, i) => {
    for (const stream of stats) {
      producers.packets += stream.packetCount;
      producers.lost += stream.packetsLost;
      producers.maxFractionLost = Math.max(
        producers.maxFractionLost,
        stream.fractionLost,
      );
      if (allProducers[i]?.kind === 'audio') producers.audioPackets += stream.packetCount;
    }
  });

  const delivery = { received: 0, expected: 0 };
  for (const sink of reviews.flatMap((r) => r.sinks)) {
    const count = sink.delivery();
    delivery.received += count.received;
    delivery.expected += count.expected;
  }

  return {
    at: performance.now(),
    workerCpuMs,
    processCpuMs: (cpu.user + cpu.system) / 1000,
    ffmpegTicks: childFfmpegTicks(),
    machine: machineTicks(),
    producers,
    delivery,
  };
}

/** One measured step of the ramp. */
interface StepFigures {
  reviews: number;
  workerPercent: number[];
  processPercent: number;
  ffmpegPercent: number;
  machinePercent: number;
  producerLossPercent: number;
  producerFractionLostPercent: number;
  deliveryLossPercent: number;
  deliveredPacketsPerSecond: number;
  /** Audio packets the senders delivered, against real time. */
  sendersRealtimePercent: number;
}

function figuresBetween(reviews: number, a: Counters, b: Counters): StepFigures {
  const wallMs = b.at - a.at;
  const percentOfCore = (cpuMs: number) => (100 * cpuMs) / wallMs;

  let ffmpegTicks = 0;
  for (const [pid, ticks] of b.ffmpegTicks)
    ffmpegTicks += ticks - (a.ffmpegTicks.get(pid) ?? ticks);

  const produced = b.producers.packets - a.producers.packets;
  const producerLost = b.producers.lost - a.producers.lost;
  const expected = b.delivery.expected - a.delivery.expected;
  const received = b.delivery.received - a.delivery.received;
  const machineTotal = b.machine.total - a.machine.total;

  return {
    reviews,
    workerPercent: b.workerCpuMs.map((ms, i) =>
      percentOfCore(ms - (a.workerCpuMs[i] ?? ms)),
    ),
    processPercent: percentOfCore(b.processCpuMs - a.processCpuMs),
    ffmpegPercent: percentOfCore((1000 * ffmpegTicks) / CLOCK_TICKS_PER_SECOND),
    // All cores, everyone's work: this machine is shared, so this is context, not ours.
    machinePercent:
      machineTotal > 0
        ? (100 * CORES * (b.machine.busy - a.machine.busy)) / machineTotal
        : 0,
    producerLossPercent: percent(producerLost, produced + producerLost),
    // mediasoup reports fractionLost on RTCP's 0-255 scale.
    producerFractionLostPercent: (100 * b.producers.maxFractionLost) / 256,
    deliveryLossPercent: percent(Math.max(0, expected - received), expected),
    deliveredPacketsPerSecond: (1000 * received) / wallMs,
    sendersRealtimePercent: percent(
      b.producers.audioPackets - a.producers.audioPackets,
      (OPUS_PACKETS_PER_SECOND * b.producers.audioProducers * wallMs) / 1000,
    ),
  };
}

/** Why the ramp should stop at this step, if it should. */
function saturation(figures: StepFigures): string | undefined {
  const worstLoss = Math.max(figures.producerLossPercent, figures.deliveryLossPercent);
  if (worstLoss > LOSS_LIMIT_PERCENT)
    return `loss ${worstLoss.toFixed(2)} % > ${LOSS_LIMIT_PERCENT} %`;

  const busiestWorker = Math.max(...figures.workerPercent);
  if (busiestWorker >= WORKER_SATURATED_PERCENT)
    return `a media worker at ${busiestWorker.toFixed(0)} % of its core`;

  if (figures.sendersRealtimePercent < SENDERS_REALTIME_PERCENT)
    return `the ffmpeg senders fell to ${figures.sendersRealtimePercent.toFixed(0)} % of real time`;

  const ours =
    sum(figures.workerPercent) + figures.processPercent + figures.ffmpegPercent;
  if (ours >= MACHINE_SATURATED_PERCENT * CORES)
    return `our processes use ${ours.toFixed(0)} % of ${CORES * 100} %`;

  return undefined;
}

const STEP_HEADERS = [
  'reviews',
  'workers %core',
  'node %core',
  'ffmpeg %core',
  'machine %core',
  'senders %realtime',
  'prod loss %',
  'max fracLost %',
  'deliv loss %',
  'deliv pkt/s',
];

function stepRow(f: StepFigures): string[] {
  return [
    String(f.reviews),
    f.workerPercent.map((p) => p.toFixed(1)).join(' + '),
    f.processPercent.toFixed(1),
    f.ffmpegPercent.toFixed(1),
    f.machinePercent.toFixed(0),
    f.sendersRealtimePercent.toFixed(0),
    f.producerLossPercent.toFixed(2),
    f.producerFractionLostPercent.toFixed(1),
    f.deliveryLossPercent.toFixed(2),
    f.deliveredPacketsPerSecond.toFixed(0),
  ];
}

async function runRamp(service: BenchService): Promise<void> {
  console.log(
    `\n== Concurrent three-person reviews (up to ${MAX_REVIEWS}, ${WINDOW_SECONDS} s per step) ==`,
  );
  console.log(
    'workers = mediasoup worker threads (the media server), per worker; node = this process\n' +
      '(signalling server + the benchmark receivers); ffmpeg = the senders (load generator).\n' +
      'prod loss = ffmpeg -> worker (producer stats); deliv loss = worker -> receiving socket\n' +
      '(RTP sequence gaps); machine = all processes on all cores, other users included;\n' +
      `senders %realtime = audio packets sent against 50/s per sender (below ${SENDERS_REALTIME_PERCENT} the\n` +
      'load generator is starved and the ramp stops).',
  );
  const reviews: LoadedReview[] = [];
  const steps: StepFigures[] = [];
  let stopReason = `reached --reviews ${MAX_REVIEWS}`;
  try {
    while (reviews.length < MAX_REVIEWS) {
      try {
        reviews.push(await addThreePersonReview(service));
      } catch (err) {
        stopReason = `review ${reviews.length + 1} could not start: ${(err as Error).message}`;
        break;
      }
      await sleep(SETTLE_MS);

      const before = await readCounters(service, reviews);
      await sleep(WINDOW_SECONDS * 1000);
      const figures = figuresBetween(
        reviews.length,
        before,
        await readCounters(service, reviews),
      );
      steps.push(figures);
      printTable(STEP_HEADERS, [stepRow(figures)]);

      const reason = saturation(figures);
      if (reason) {
        stopReason = reason;
        break;
      }
    }
  } finally {
    await Promise.all(reviews.map(closeReview));
  }

  console.log(`\n== Summary (stopped: ${stopReason}) ==`);
  printTable(STEP_HEADERS, steps.map(stepRow));
  printCapacity(steps.filter((step) => saturation(step) === undefined).at(-1));
}

/** What the last step that stayed within every limit says about capacity. */
function printCapacity(sustained: StepFigures | undefined): void {
  if (!sustained) {
    console.log('No step stayed within the limits: no capacity figure.');
    return;
  }

  const { reviews } = sustained;
  const workerPerReview = sum(sustained.workerPercent) / reviews;
  console.log(
    `Sustained: ${reviews} concurrent three-person review(s), ${12 * reviews} forwarded streams.\n` +
      `Per review: media server ${workerPerReview.toFixed(2)} % of a core; ` +
      `load generator ${(sustained.ffmpegPercent / reviews).toFixed(1)} % (3 ffmpeg senders); ` +
      `node process ${(sustained.processPercent / reviews).toFixed(2)} %.`,
  );
  const workers = sustained.workerPercent.length;
  const workerLimit = Math.floor(
    (workers * WORKER_SATURATED_PERCENT) / Math.max(workerPerReview, 0.01),
  );
  console.log(
    `The ${workers} worker thread(s) alone would reach ${WORKER_SATURATED_PERCENT} % at ` +
      `~${workerLimit} reviews: a linear extrapolation of worker CPU only, without\n` +
      "recording (one ffmpeg per track) and without browsers' larger video.",
  );
}

// ---------------------------------------------------------------------------
// Counters of the operating system

/** CPU ticks used so far by each ffmpeg this process started, by pid. */
function childFfmpegTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;

    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch (err) {
      // A process that exited between readdir and read is simply not counted.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    // The command name may contain spaces; the fields after its closing parenthesis do not.
    const nameEnd = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, nameEnd);
    const fields = stat.slice(nameEnd + 2).split(' ');
    if (name !== 'ffmpeg' || Number(fields[1]) !== process.pid) continue;

    // Fields 14 and 15 of proc(5), utime and stime, are 11 and 12 after the name.
    ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
  }

  return ticks;
}

/** Busy and total ticks of all cores together, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = sum(values);
  // idle and iowait are the 4th and 5th values.
  const idle = (values[3] ?? 0) + (values[4] ?? 0);

  return { busy: total - idle, total };
}

async function receivedPackets(producer: Producer): Promise<number> {
  const stats = await producer.getStats();

  return sum(stats.map((s) => s.packetCount));
}

// ---------------------------------------------------------------------------
// Small helpers

async function waitUntil(condition: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + MEDIA_START_TIMEOUT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function percent(part: number, whole: number): number {
  return whole > 0 ? (100 * part) / whole : 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1
    ? (sorted[middle] ?? NaN)
    : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

// ---------------------------------------------------------------------------

const service = await startService();
try {
  console.log(
    `Sarapta review benchmark: ${CORES} cores, ${service.workers.length} mediasoup worker(s), ` +
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  await runLatency(service);
  await runRamp(service);
} finally {
  await service.close();
}
