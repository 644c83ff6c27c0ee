/**
 * One run of ffmpeg capturing one producer: a PlainTransport (RTCP on its own
 * port, no comedia: we tell mediasoup where ffmpeg listens) and a paused
 * consumer feed ffmpeg, which copies the RTP payload into short segments.
 *
 * Timing: ffmpeg stamps packets with the wall clock on arrival, so its input
 * "start" is the wall-clock time of the first packet and the segment list's
 * times are offsets from it; every track of a review is thereby placed on the
 * same clock without trusting browsers' clocks.
 *
 * The capture owns its ports, transport, consumer and ffmpeg; close(reason)
 * releases all of them once. A capture is not restarted: its owner (the
 * track recorder) starts a new one.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import type {
  Consumer,
  PlainTransport,
  Producer,
  Router,
  RtpCapabilities,
} from 'mediasoup/types';
import { AppError } from '../server/errors.ts';
import type { Logger } from '../server/log/logger.ts';
import { holdsNoMedia } from './segment-content.ts';
import { completeUnfinishedSegment } from './unfinished-segment.ts';
import {
  captureSdp,
  codecNameOf,
  segmentFormatFor,
  type SegmentFormat,
} from './capture-format.ts';
import { parseInputStart, parseSegmentList } from './segment-list.ts';
import { readBoundUdpPorts, type PortPair, type UdpPortPool } from './udp-port-pool.ts';

/** A segment ffmpeg has closed (complete on disk). */
export interface ClosedSegment {
  seq: number;
  filePath: string;
  startedAt: Date;
  endedAt: Date;
  /** True for the file ffmpeg was writing when it died (listed by us, not by ffmpeg). */
  partial: boolean;
}

/** Options of one capture run. */
export interface TrackCaptureOptions {
  router: Router;
  producer: Producer;
  ports: UdpPortPool;
  /** Directory of this track's segments in the spool. */
  directory: string;
  /** Sequence number of the first segment this run writes. */
  firstSeq: number;
  segmentSeconds: number;
  ffmpegPath: string;
  /** Reads the file left unfinished by a crash. Default 'ffprobe'. */
  ffprobePath?: string;
  logger: Logger;
  /** How long ffmpeg may take to bind its ports (it is slow on a loaded host). Default 10000 ms. */
  bindTimeoutMs?: number;
}

/** Events of a capture. */
export interface TrackCaptureEvents {
  /** ffmpeg has written media. */
  writing: [];
  segment: [ClosedSegment];
  /** ffmpeg exited without being asked to: the capture is over. */
  failed: [Error];
}

/**
 * Where mediasoup's PlainTransport and ffmpeg meet, whatever the media listen
 * address is: ffmpeg is always local, and RTP reaching its ports from another
 * host would be written into the recording.
 */
export const CAPTURE_LISTEN_IP = '127.0.0.1';

const LIST_POLL_MS = 250;
const BIND_POLL_MS = 25;
/** How long ffmpeg gets to finish its segment after SIGINT. */
const GRACEFUL_EXIT_MS = 1000;

/** One producer captured by one ffmpeg run. */
export class TrackCapture extends EventEmitter<TrackCaptureEvents> {
  readonly kind: 'audio' | 'video';
  readonly codec: string;
  readonly format: SegmentFormat;
  readonly #options: TrackCaptureOptions;
  readonly #log: Logger;
  readonly #runId = `${Date.now().toString(36)}`;
  #portPair: PortPair | undefined;
  #transport: PlainTransport | undefined;
  #consumer: Consumer | undefined;
  #command: ffmpeg.FfmpegCommand | undefined;
  #exited: Promise<void> | undefined;
  #listTimer: NodeJS.Timeout | undefined;
  #keyFrameTimer: NodeJS.Timeout | undefined;
  #listConsumed = 0;
  #inputStart: Date | undefined;
  #writing = false;
  #ffmpegRunning = false;
  #stopping = false;
  #closed = false;
  #lastSegment: ClosedSegment | undefined;

  private constructor(options: TrackCaptureOptions) {
    super();
    this.#options = options;
    this.kind = options.producer.kind;
    this.codec = codecNameOf(options.producer.rtpParameters);
    this.format = segmentFormatFor(this.kind, this.codec);
    this.#log = options.logger;
  }

  /** Starts a capture; resolves once ffmpeg listens and the consumer is resumed. */
  static async start(options: TrackCaptureOptions): Promise<TrackCapture> {
    const capture = new TrackCapture(options);
    try {
      await capture.#start();
    } catch (err) {
      await capture.close('start failed');
      throw err;
    }

    return capture;
  }

  /** Whether ffmpeg has written media. */
  get writing(): boolean {
    return this.#writing;
  }

  /** The last segment this run closed, if any. */
  get lastSegment(): ClosedSegment | undefined {
    return this.#lastSegment;
  }

  /** Wall-clock time of this run's first packet, once known. */
  get inputStart(): Date | undefined {
    return this.#inputStart;
  }

  /** The process id of this run's ffmpeg (fault tests kill it). */
  get ffmpegPid(): number | undefined {
    return processOf(this.#command)?.pid;
  }

  async #start(): Promise<void> {
    const { router, producer } = this.#options;
    await fs.promises.mkdir(this.#options.directory, { recursive: true });

    this.#portPair = this.#options.ports.acquire();
    const { rtpPort, rtcpPort } = this.#portPair;

    this.#transport = await router.createPlainTransport({
      listenInfo: { protocol: 'udp', ip: CAPTURE_LISTEN_IP },
      rtcpMux: false,
      comedia: false,
    });
    await this.#transport.connect({ ip: CAPTURE_LISTEN_IP, port: rtpPort, rtcpPort });

    this.#consumer = await this.#transport.consume({
      producerId: producer.id,
      rtpCapabilities: withoutRetransmission(router.rtpCapabilities),
      paused: true,
    });
    this.#consumer.on('producerclose', () => {
      this.#log.info('producer closed under the capture');
    });

    const sdpPath = path.join(this.#options.directory, `run-${this.#runId}.sdp`);
    await fs.promises.writeFile(
      sdpPath,
      captureSdp(this.kind, this.#consumer.rtpParameters, CAPTURE_LISTEN_IP, {
        rtpPort,
        rtcpPort,
      }),
    );

    this.#spawnFfmpeg(sdpPath);
    await this.#waitUntilListening(rtpPort, rtcpPort);

    await this.#consumer.resume();
    this.#requestKeyFrame();
    if (this.kind === 'video') {
      // The segment muxer cuts video only at key frames: ask for one each segment.
      this.#keyFrameTimer = setInterval(
        () => this.#requestKeyFrame(),
        this.#options.segmentSeconds * 1000,
      );
      this.#consumer.on('score', (score) => {
        if (score.score < 10) this.#requestKeyFrame();
      });
    }
    this.#listTimer = setInterval(() => {
      try {
        this.#readList();
      } catch (err) {
        // The next poll reads the list again from the same place; nothing is skipped.
        this.#log.error({ err }, 'segment list unreadable');
      }
    }, LIST_POLL_MS);
    this.#log.info({ rtpPort, rtcpPort, codec: this.codec }, 'capture started');
  }

  #spawnFfmpeg(sdpPath: string): void {
    const { directory, firstSeq, segmentSeconds, ffmpegPath } = this.#options;
    const listPath = this.#listPath();
    const command = ffmpeg(sdpPath)
      .setFfmpegPath(ffmpegPath)
      .inputOptions([
        '-hide_banner',
        '-protocol_whitelist',
        'file,udp,rtp',
        // The SDP's address only says where packets go: without this ffmpeg
        // binds its RTP and RTCP sockets on every interface.
        '-localaddr',
        CAPTURE_LISTEN_IP,
        // A paused producer (muted microphone) sends nothing: wait for it, never time out.
        '-listen_timeout',
        '-1',
        // Wall-clock stamps place every track on one clock (see the file comment).
        '-use_wallclock_as_timestamps',
        '1',
        '-analyzeduration',
        '1000000',
      ])
      .outputOptions([
        '-map',
        '0',
        '-c',
        'copy',
        '-f',
        'segment',
        '-segment_time',
        String(segmentSeconds),
        '-segment_format',
        this.format.muxer,
        // Each packet goes to disk as it comes, in clusters of at most a second:
        // if ffmpeg cannot close the file (a crash, a stop after the producer
        // left), at most the last second is lost, not the muxer's buffers.
        '-segment_format_options',
        'flush_packets=1:cluster_time_limit=1000',
        '-segment_start_number',
        String(firstSeq),
        '-reset_timestamps',
        '1',
        '-segment_list',
        listPath,
        '-segment_list_type',
        'csv',
      ])
      .output(path.join(directory, `%06d.${this.format.extension}`));

    this.#exited = new Promise<void>((resolve) => {
      const exit = (err: Error | undefined): void => {
        this.#onExit(err)
          .catch((failure: unknown) => {
            this.#log.error({ err: failure }, 'capture exit handling failed');
          })
          .finally(resolve);
      };
      command.on('stderr', (line: string) => this.#onStderr(line));
      command.on('end', () => exit(undefined));
      command.on('error', (err: Error) => exit(err));
    });
    this.#command = command;
    command.run();
    this.#ffmpegRunning = true;
  }

  #onStderr(line: string): void {
    if (!this.#inputStart) {
      this.#inputStart = parseInputStart(line);
      return;
    }
    if (!this.#writing && /time=\d+:\d+:\d+/.test(line)) {
      this.#writing = true;
      this.#log.info({ inputStart: this.#inputStart.toISOString() }, 'capture writing');
      this.emit('writing');
    }
  }

  async #onExit(err: Error | undefined): Promise<void> {
    this.#ffmpegRunning = false;
    this.#stopTimers();
    this.#readList();
    await this.#emitPartialSegment();
    if (this.#stopping || this.#closed) return;

    const failure = err ?? new Error('ffmpeg exited on its own');
    this.#log.error({ err: failure }, 'capture ffmpeg exited unexpectedly');
    this.emit(
      'failed',
      new AppError('RECORDING_FAILED', 'Capture stopped unexpectedly', {
        cause: failure,
      }),
    );
  }

  async #waitUntilListening(rtpPort: number, rtcpPort: number): Promise<void> {
    const deadline = Date.now() + (this.#options.bindTimeoutMs ?? 10_000);
    let exited = false;
    this.#exited?.then(() => {
      exited = true;
    });

    while (Date.now() < deadline && !exited) {
      const bound = readBoundUdpPorts();
      if (bound.has(rtpPort) && bound.has(rtcpPort)) return;
      await new Promise((resolve) => setTimeout(resolve, BIND_POLL_MS));
    }

    throw new AppError(
      'RECORDING_FAILED',
      'ffmpeg did not start listening for the capture',
      {
        details: { rtpPort, rtcpPort, exited },
      },
    );
  }

  #requestKeyFrame(): void {
    const consumer = this.#consumer;
    if (!consumer || consumer.closed || this.kind !== 'video') return;

    consumer.requestKeyFrame().catch((err: unknown) => {
      this.#log.warn({ err }, 'key frame request failed');
    });
  }

  #listPath(): string {
    return path.join(this.#options.directory, `run-${this.#runId}.csv`);
  }

  /** Emits every segment ffmpeg has listed since the last read. */
  #readList(): void {
    const start = this.#inputStart;
    if (!start) return;

    let text: string;
    try {
      text = fs.readFileSync(this.#listPath(), 'utf8');
    } catch (err) {
      // ffmpeg creates the list when it opens its output; until then there is nothing to read.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }

    const { entries, consumed } = parseSegmentList(text.slice(this.#listConsumed));
    this.#listConsumed += consumed;
    for (const entry of entries) {
      const segment: ClosedSegment = {
        seq: Number.parseInt(path.basename(entry.fileName), 10),
        filePath: path.join(this.#options.directory, path.basename(entry.fileName)),
        startedAt: new Date(start.getTime() + Math.round(entry.startSeconds * 1000)),
        endedAt: new Date(start.getTime() + Math.round(entry.endSeconds * 1000)),
        partial: false,
      };
      this.#lastSegment = segment;
      if (holdsNoMedia(segment.filePath)) {
        this.#dropEmptySegment(segment.filePath, 'listed');
        continue;
      }
      this.emit('segment', segment);
    }
  }

  /**
   * After a crash or an interrupted stop, the file ffmpeg was writing holds
   * the packets that reached disk (see unfinished-segment.ts); it is made
   * whole and kept as evidence, its end taken from its last packet. A file
   * that cannot be read at all is left in the spool (never uploaded, never
   * deleted) and reported.
   */
  async #emitPartialSegment(): Promise<void> {
    const start = this.#inputStart;
    if (!start) return;

    const seq = this.#lastSegment ? this.#lastSegment.seq + 1 : this.#options.firstSeq;
    const filePath = path.join(
      this.#options.directory,
      `${String(seq).padStart(6, '0')}.${this.format.extension}`,
    );
    let size: number;
    try {
      size = (await fs.promises.stat(filePath)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (size === 0) return;

    const unfinished = await completeUnfinishedSegment(filePath, {
      ffmpegPath: this.#options.ffmpegPath,
      ffprobePath: this.#options.ffprobePath ?? 'ffprobe',
      muxer: this.format.muxer,
    });
    if (unfinished.kind === 'empty') {
      this.#dropEmptySegment(filePath, 'unfinished');
      return;
    }
    if (unfinished.kind === 'unreadable') {
      this.#log.error(
        { filePath, size },
        'unfinished segment is unreadable; kept in the spool',
      );
      return;
    }

    const startedAt = this.#lastSegment?.endedAt ?? start;
    const endedAt = new Date(startedAt.getTime() + Math.round(unfinished.seconds * 1000));
    const segment: ClosedSegment = { seq, filePath, startedAt, endedAt, partial: true };
    this.#lastSegment = segment;
    this.emit('segment', segment);
  }

  /**
   * Removes a segment file without a frame (see segment-content.ts): left in
   * the spool it would keep the review's spool folder from being cleaned;
   * uploaded it would make the composite fail.
   */
  #dropEmptySegment(filePath: string, how: 'listed' | 'unfinished'): void {
    this.#log.info({ filePath, how }, 'segment holds no media; removed');
    fs.rmSync(filePath, { force: true });
  }

  #stopTimers(): void {
    clearInterval(this.#listTimer);
    clearInterval(this.#keyFrameTimer);
  }

  /**
   * Stops gracefully: ffmpeg gets SIGINT while packets still flow (it checks
   * the signal between packets), so it closes and lists the segment in
   * progress. Without packets (producer gone) a second SIGINT interrupts the
   * blocked read; the unfinished file is then kept as a partial segment.
   */
  async stop(reason: string): Promise<void> {
    if (this.#stopping || this.#closed) return this.close(reason);

    this.#stopping = true;
    const exited = this.#exited;
    if (exited && this.#ffmpegRunning) {
      this.#command?.kill('SIGINT');
      const gracefully = await settlesWithin(exited, GRACEFUL_EXIT_MS);
      if (!gracefully && this.#ffmpegRunning) {
        this.#command?.kill('SIGINT');
        const interrupted = await settlesWithin(exited, GRACEFUL_EXIT_MS * 3);
        if (!interrupted) this.#command?.kill('SIGKILL');
        await exited;
      }
    }

    await this.close(reason);
  }

  /** Releases everything now (ffmpeg is killed if still running). Idempotent. */
  async close(reason: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;

    this.#stopTimers();
    this.#consumer?.close();
    this.#transport?.close();
    if (this.#ffmpegRunning) {
      this.#command?.kill('SIGKILL');
      await this.#exited;
    }
    this.#portPair?.release();
    this.#log.info({ reason }, 'capture closed');
  }
}

/** fluent-ffmpeg keeps the child process on an untyped field. */
function processOf(command: ffmpeg.FfmpegCommand | undefined): ChildProcess | undefined {
  return (command as { ffmpegProc?: ChildProcess } | undefined)?.ffmpegProc;
}

/** Router capabilities without RTX: ffmpeg neither asks for nor understands retransmissions. */
function withoutRetransmission(capabilities: RtpCapabilities): RtpCapabilities {
  return {
    ...capabilities,
    codecs: (capabilities.codecs ?? []).filter(
      (codec) => !codec.mimeType.endsWith('/rtx'),
    ),
  };
}

/** Whether `work` settles within `ms`. */
async function settlesWithin(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([work.then(() => true), timeout]);
  clearTimeout(timer);

  return settled;
}
