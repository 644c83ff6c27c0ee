/**
 * The recording of one producer (a "series"): it keeps a capture running for
 * as long as the producer lives, restarting it when ffmpeg fails and
 * recording the gap, and hands every closed segment to the uploader.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Producer, Router } from 'mediasoup/types';
import type { Logger } from '../server/log/logger.ts';
import type { TrackInfo } from '../server/review/recorder-port.ts';
import { codecNameOf, segmentFormatFor } from './capture-format.ts';
import { recordingKeys } from './manifest.ts';
import type { RecordingMetrics } from './recording-metrics.ts';
import type { RecordingStore } from './recording-store.ts';
import type { SegmentUploader } from './segment-uploader.ts';
import { TrackCapture, type ClosedSegment } from './track-capture.ts';
import type { UdpPortPool } from './udp-port-pool.ts';

/** Where and how a track records. */
export interface TrackRecorderOptions {
  reviewId: string;
  trackId: string;
  producer: Producer;
  info: TrackInfo;
  router: Router;
  ports: UdpPortPool;
  /** The review's spool directory; the track writes into <spool>/<trackId>. */
  spoolDirectory: string;
  segmentSeconds: number;
  ffmpegPath: string;
  ffprobePath: string;
  retainUntil: Date;
  store: RecordingStore;
  uploader: SegmentUploader;
  metrics: RecordingMetrics;
  logger: Logger;
  /** Pause before the first restart of a failed capture. Default 250 ms. */
  restartDelayMs?: number;
}

/** The first pause before a new capture; it doubles after each failed start. */
const DEFAULT_RESTART_DELAY_MS = 250;

/** The longest pause between two failed starts of a capture. */
const MAX_RESTART_DELAY_MS = 5_000;

/** Events of a track recorder. */
export interface TrackRecorderEvents {
  /** writing or restarting changed. */
  change: [];
}

/** Keeps one producer recorded, across ffmpeg failures. */
export class TrackRecorder extends EventEmitter<TrackRecorderEvents> {
  readonly trackId: string;
  readonly producerId: string;
  readonly #options: TrackRecorderOptions;
  readonly #log: Logger;
  readonly #contentType: string;
  readonly #extension: string;
  readonly #uploads = new Set<Promise<void>>();
  #capture: TrackCapture | undefined;
  #restarting = false;
  #nextSeq = 0;
  #lastMediaEnd: Date | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: TrackRecorderOptions) {
    super();
    this.#options = options;
    this.trackId = options.trackId;
    this.producerId = options.producer.id;
    this.#log = options.logger.child({
      trackId: options.trackId,
      producerId: options.producer.id,
      peerId: options.info.peerId,
    });
    const codec = codecNameOf(options.producer.rtpParameters);
    const format = segmentFormatFor(options.producer.kind, codec);
    this.#contentType = format.contentType;
    this.#extension = format.extension;
  }

  /** Whether the current capture has written media. */
  get writing(): boolean {
    return !this.#restarting && (this.#capture?.writing ?? false);
  }

  /** Whether a failed capture is being replaced. */
  get restarting(): boolean {
    return this.#restarting;
  }

  /** The ffmpeg process of the current capture (fault tests kill it). */
  get ffmpegPid(): number | undefined {
    return this.#capture?.ffmpegPid;
  }

  /**
   * Records the track and starts its first capture. A first capture that does
   * not start is retried like one that fails later: the track stays expected
   * and not writing, so the start rule waits for it instead of letting a live
   * producer go unrecorded.
   */
  async start(): Promise<void> {
    const { producer, info, reviewId } = this.#options;
    const startedAt = new Date();
    this.#options.store.addTrack({
      trackId: this.trackId,
      reviewId,
      producerId: producer.id,
      personId: info.personId,
      displayName: info.displayName,
      role: info.role,
      source: info.source,
      kind: producer.kind,
      codec: codecNameOf(producer.rtpParameters),
      extension: this.#extension,
      startedAt,
      endedAt: undefined,
    });

    try {
      this.#capture = await this.#startCapture();
    } catch (err) {
      this.#log.error({ err }, 'first capture did not start; retrying');
      this.#recover(startedAt, 'capture did not start', undefined);
    }
  }

  async #startCapture(): Promise<TrackCapture> {
    const o = this.#options;
    const capture = await TrackCapture.start({
      router: o.router,
      producer: o.producer,
      ports: o.ports,
      directory: path.join(o.spoolDirectory, this.trackId),
      firstSeq: this.#nextSeq,
      segmentSeconds: o.segmentSeconds,
      ffmpegPath: o.ffmpegPath,
      ffprobePath: o.ffprobePath,
      logger: this.#log,
    });
    capture.on('writing', () => this.emit('change'));
    capture.on('segment', (segment) => this.#onSegment(segment));
    capture.on('failed', () => this.#onCaptureFailed(capture));

    return capture;
  }

  #onSegment(segment: ClosedSegment): void {
    const { reviewId, uploader, retainUntil } = this.#options;
    this.#nextSeq = segment.seq + 1;
    this.#lastMediaEnd = segment.endedAt;

    const upload = uploader
      .enqueue(
        {
          reviewId,
          trackId: this.trackId,
          seq: segment.seq,
          key: recordingKeys.segment(
            reviewId,
            this.trackId,
            segment.seq,
            this.#extension,
          ),
          filePath: segment.filePath,
          startedAt: segment.startedAt,
          endedAt: segment.endedAt,
        },
        { contentType: this.#contentType, retainUntil },
      )
      .catch((err: unknown) => {
        this.#log.error({ err, seq: segment.seq }, 'segment could not be spooled');
      });
    this.#uploads.add(upload);
    upload.finally(() => this.#uploads.delete(upload));
  }

  #onCaptureFailed(failed: TrackCapture): void {
    if (this.#stopped || failed !== this.#capture) return;

    const gapFrom = this.#lastMediaEnd ?? failed.inputStart ?? new Date();
    this.#recover(gapFrom, 'capture restarted after ffmpeg exited', failed);
  }

  /**
   * Starts new captures until one writes media or the track stops, waiting
   * longer after each failed start (a broken ffmpeg must not be respawned in
   * a tight loop); the time without media is stored as a gap.
   */
  #recover(gapFrom: Date, reason: string, failed: TrackCapture | undefined): void {
    this.#restarting = true;
    this.#options.metrics.captureRestarts.inc();
    this.emit('change');

    const firstDelayMs = this.#options.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
    const attempt = async (delayMs: number): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (this.#stopped) return;

      let capture: TrackCapture;
      try {
        capture = await this.#startCapture();
      } catch (err) {
        const nextDelayMs = Math.min(delayMs * 2, MAX_RESTART_DELAY_MS);
        this.#log.error({ err, nextDelayMs }, 'capture restart failed; retrying');
        return attempt(nextDelayMs);
      }
      if (this.#stopped) {
        await capture.close('track stopped during restart');
        return;
      }

      this.#capture = capture;
      capture.once('writing', () => {
        const gapTo = capture.inputStart ?? new Date();
        this.#options.store.addGap({
          trackId: this.trackId,
          reviewId: this.#options.reviewId,
          from: gapFrom,
          to: gapTo,
          reason,
        });
        this.#restarting = false;
        this.#log.warn(
          { gapMs: gapTo.getTime() - gapFrom.getTime(), reason },
          'capture restored',
        );
        this.emit('change');
      });
    };

    (failed ? failed.close('ffmpeg failed') : Promise.resolve())
      .then(() => attempt(firstDelayMs))
      .catch((err: unknown) => {
        this.#log.error({ err }, 'capture restart loop failed');
      });
  }

  /**
   * Stops gracefully: the capture closes its last segment, every segment is
   * handed to the uploader, and the track's end is recorded. Idempotent.
   */
  stop(reason: string): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#capture?.stop(reason);
      await Promise.all([...this.#uploads]);
      this.#options.store.endTrack(this.trackId, this.#lastMediaEnd ?? new Date());
      this.#restarting = false;
      this.emit('change');
    })();

    return this.#stopped;
  }
}
