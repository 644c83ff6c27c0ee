/**
 * The recording pipeline of one process: it owns the uploader and its spool,
 * the port pool, the seal queue, the seal retries and the recorders, and at
 * start recovers what a previous run left behind (segments still in the spool
 * are uploaded, and recordings left unsealed are sealed). A seal that fails
 * is tried again while the service runs, with growing pauses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Router } from 'mediasoup/types';
import type { Config } from '../server/config/config.ts';
import type { Logger } from '../server/log/logger.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { segmentFormatFor } from './capture-format.ts';
import { recordingMetrics, type RecordingMetrics } from './recording-metrics.ts';
import {
  RecordingSealer,
  isSealProgressWorthRecording,
  type SealProgress,
} from './recording-sealer.ts';
import type { RecordingStore, SealProgressRecord } from './recording-store.ts';
import { retentionDateFor } from './retention-date.ts';
import { ReviewRecorder, type ReviewInfoSource } from './review-recorder.ts';
import { SealQueue } from './seal-queue.ts';
import { SealRetrier } from './seal-retrier.ts';
import { SegmentUploader } from './segment-uploader.ts';
import { UdpPortPool } from './udp-port-pool.ts';

/** Options of the service; each field shows its default. */
export interface RecordingServiceOptions {
  config: Pick<Config, 'dataDir' | 'recording' | 'retention'>;
  store: RecordingStore;
  objectStore: ObjectStore;
  logger: Logger;
  /** Default: the process-wide prom-client registry's metrics. */
  metrics?: RecordingMetrics;
  /** Default: config.recording.captureMinPort..captureMaxPort. */
  ports?: UdpPortPool;
  /** Uploader retry delays (tests shorten them). Defaults 500 / 15000 ms. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** x264 preset of composites. Default 'veryfast'. */
  compositePreset?: string;
  /** The clock (tests pin it). Default Date.now. */
  now?: () => Date;
  /**
   * Whether a review is over (ended or cancelled), so that a recording left
   * unsealed at start may be sealed; one whose review goes on stays open for
   * its next recorder. Default: every review is over.
   */
  reviewIsOver?: (reviewId: string) => Promise<boolean>;
}

/** One per process: creates recorders and runs uploads and seals. */
export class RecordingService {
  readonly uploader: SegmentUploader;
  readonly #options: RecordingServiceOptions;
  readonly #log: Logger;
  readonly #metrics: RecordingMetrics;
  readonly #ports: UdpPortPool;
  readonly #sealer: RecordingSealer;
  readonly #sealQueue: SealQueue;
  readonly #sealRetrier: SealRetrier;
  readonly #recorders = new Map<string, ReviewRecorder>();
  readonly #sealAbort = new AbortController();
  readonly #spoolDirectory: string;
  #closed: Promise<void> | undefined;

  constructor(options: RecordingServiceOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'recording' });
    this.#metrics = options.metrics ?? recordingMetrics();
    this.#ports =
      options.ports ??
      new UdpPortPool({
        minPort: options.config.recording.captureMinPort,
        maxPort: options.config.recording.captureMaxPort,
      });
    this.#spoolDirectory = path.join(options.config.dataDir, 'spool');
    this.uploader = new SegmentUploader({
      store: options.store,
      objectStore: options.objectStore,
      spoolMaxBytes: options.config.recording.spoolMaxBytes,
      metrics: this.#metrics,
      logger: this.#log,
      retryMinMs: options.retryMinMs,
      retryMaxMs: options.retryMaxMs,
    });
    this.uploader.on('alarm', () => {
      for (const recorder of this.#recorders.values()) recorder.refreshStatus();
    });
    this.#sealer = new RecordingSealer({
      store: options.store,
      objectStore: options.objectStore,
      ffmpegPath: options.config.recording.ffmpegPath,
      ffprobePath: options.config.recording.ffprobePath,
      workDirectory: os.tmpdir(),
      logger: this.#log,
      preset: options.compositePreset,
      language: options.config.recording.language,
    });
    this.#sealQueue = new SealQueue(options.config.recording.sealConcurrency);
    this.#sealRetrier = new SealRetrier({
      schedule: {
        firstDelayMs: options.config.recording.sealRetryFirstSeconds * 1000,
        maxDelayMs: options.config.recording.sealRetryMaxSeconds * 1000,
      },
      logger: this.#log,
    });
  }

  /**
   * Recovery after a restart: queues every segment still in the spool and
   * seals every recording left unsealed once its segments are in S3. Returns
   * the seals it started (they also run in the background).
   */
  async start(): Promise<{ resumedSegments: number; seals: Promise<void>[] }> {
    await fs.promises.mkdir(this.#spoolDirectory, { recursive: true });
    const { store } = this.#options;
    let resumedSegments = 0;

    for (const segment of store.pendingSegments()) {
      const recording = store.getRecording(segment.reviewId);
      const track = store
        .tracksOf(segment.reviewId)
        .find((t) => t.trackId === segment.trackId);
      if (!recording || !track) continue;

      if (!fs.existsSync(segment.localPath)) {
        this.#log.error(
          { reviewId: segment.reviewId, key: segment.key },
          'spooled segment file is missing; recording it as a gap',
        );
        store.addGap({
          trackId: segment.trackId,
          reviewId: segment.reviewId,
          from: segment.startedAt,
          to: segment.endedAt,
          reason: 'spooled segment lost before upload',
        });
        continue;
      }
      const { contentType } = segmentFormatFor(track.kind, track.codec);
      this.uploader.resume(segment, { contentType, retainUntil: recording.retainUntil });
      resumedSegments++;
    }

    const reviewIsOver = this.#options.reviewIsOver ?? (async () => true);
    const seals: Promise<void>[] = [];
    let leftOpen = 0;
    for (const recording of store.unsealedRecordings()) {
      if (!(await reviewIsOver(recording.reviewId))) {
        this.#log.info(
          { reviewId: recording.reviewId, recordingId: recording.reviewId },
          'recording left open: its review has not ended',
        );
        leftOpen++;
        continue;
      }
      this.#log.warn(
        { reviewId: recording.reviewId, recordingId: recording.reviewId },
        'sealing a recording left unsealed',
      );
      seals.push(this.#sealLeftOver(recording.reviewId));
    }
    this.#log.info(
      { resumedSegments, unsealed: seals.length, leftOpen },
      'recording service started',
    );

    return { resumedSegments, seals };
  }

  /**
   * A review that ended while no recorder of it was open (cancelled after a
   * restart, say): its recording, if media was captured, is sealed now.
   * Returns undefined when there is nothing to seal here.
   */
  sealLeftOpen(reviewId: string): Promise<void> | undefined {
    if (this.#recorders.has(reviewId)) return undefined;
    const recording = this.#options.store.getRecording(reviewId);
    if (
      !recording ||
      (recording.state !== 'recording' && recording.state !== 'finalising')
    )
      return undefined;

    this.#log.info({ reviewId, recordingId: reviewId }, 'sealing a recording left open');
    return this.#sealLeftOver(reviewId);
  }

  /** Ends the tracks a stopped process left open, then drains and seals. */
  #sealLeftOver(reviewId: string): Promise<void> {
    // Already being sealed (or waiting to be tried again): nothing to reset.
    const running = this.#sealRetrier.chainOf(reviewId);
    if (running) return running;

    const { store } = this.#options;
    this.#endLeftOverTracks(reviewId);
    store.setRecordingState(reviewId, 'finalising');
    // Whatever an interrupted attempt recorded no longer describes this one.
    store.clearSealProgress(reviewId);

    const sealing = this.#sealUntilSealed(reviewId);
    sealing.catch((err: unknown) => {
      this.#log.error(
        { err, reviewId, recordingId: reviewId },
        'recovery seal failed; the next start of the service tries again',
      );
    });

    return sealing;
  }

  /**
   * Drains the review's uploads and seals it, again and again after failures
   * (see seal-retrier.ts) until it is sealed, cannot be, or the service closes.
   */
  #sealUntilSealed(
    reviewId: string,
    onProgress?: (progress: SealProgress) => void,
  ): Promise<void> {
    return this.#sealRetrier.run(reviewId, async () => {
      await this.uploader.drain(reviewId);
      await this.seal(reviewId, onProgress);
    });
  }

  /** Seals waiting for their next attempt after a failure. */
  get sealRetriesWaiting(): number {
    return this.#sealRetrier.waiting;
  }

  /**
   * Tracks of a review that no recorder captures any more but that were never
   * ended (their process stopped): each ends where its last segment does.
   */
  #endLeftOverTracks(reviewId: string): void {
    const { store } = this.#options;
    const segments = store.segmentsOf(reviewId);
    for (const track of store.tracksOf(reviewId)) {
      if (track.endedAt) continue;
      const lastEnd = segments.filter((s) => s.trackId === track.trackId).at(-1)?.endedAt;
      store.endTrack(track.trackId, lastEnd ?? track.startedAt);
    }
  }

  /** Tracks being captured right now across every review (one ffmpeg each). */
  get activeCaptures(): number {
    let captures = 0;
    for (const recorder of this.#recorders.values())
      captures += recorder.status().tracksExpected;

    return captures;
  }

  /** Creates the recorder of a review (one per review; a second call returns the first). */
  createRecorder(
    reviewId: string,
    router: Router,
    reviewInfo: ReviewInfoSource,
  ): ReviewRecorder {
    const existing = this.#recorders.get(reviewId);
    if (existing) return existing;

    const { config, store } = this.#options;
    const retainUntil = retentionDateFor(this.#now(), config.retention.years);
    const recording = store.ensureRecording(reviewId, retainUntil, this.#now());
    // No recorder of this review runs here: tracks a stopped process left
    // open are over, and the new recorder adds its own beside them.
    this.#endLeftOverTracks(reviewId);
    const forget = () => {
      if (this.#recorders.get(reviewId) === recorder) this.#recorders.delete(reviewId);
    };
    const recorder: ReviewRecorder = new ReviewRecorder({
      reviewId,
      router,
      reviewInfo,
      retainUntil: recording.retainUntil,
      trackDefaults: {
        ports: this.#ports,
        spoolDirectory: path.join(this.#spoolDirectory, reviewId),
        segmentSeconds: config.recording.segmentSeconds,
        ffmpegPath: config.recording.ffmpegPath,
        ffprobePath: config.recording.ffprobePath,
        store,
        uploader: this.uploader,
        metrics: this.#metrics,
      },
      spoolFull: () => this.uploader.spoolBytes > config.recording.spoolMaxBytes,
      drainUploads: () => this.uploader.drain(reviewId),
      seal: (onProgress) => this.#sealUntilSealed(reviewId, onProgress).finally(forget),
      saveSnapshot: (snapshot) => store.saveReviewSnapshot(reviewId, snapshot),
      release: forget,
      logger: this.#log,
    });
    this.#recorders.set(reviewId, recorder);

    return recorder;
  }

  /**
   * Queues one attempt at the seal of a review; resolves when it is sealed.
   * Its progress is recorded in the store (for the archive) and handed to
   * `onProgress`; each outcome is counted in sarapta_recording_seals_total.
   */
  seal(reviewId: string, onProgress?: (progress: SealProgress) => void): Promise<void> {
    return this.#sealQueue.push(reviewId, async () => {
      const recordProgress = this.#sealProgressRecorder(reviewId);
      try {
        await this.#sealer.seal(
          reviewId,
          (progress) => {
            recordProgress(progress);
            onProgress?.(progress);
          },
          this.#sealAbort.signal,
        );
        this.#metrics.seals.inc({ outcome: 'sealed' });
        await this.#removeSpoolOf(reviewId);
      } catch (err) {
        this.#metrics.seals.inc({ outcome: 'failed' });
        this.#forgetSealProgress(reviewId);
        throw err;
      }
    });
  }

  /**
   * Shuts down: seals waiting to be tried again are cancelled, recorders
   * finalise their captures (their segments stay in the spool while S3 is
   * away), running seals are aborted; whatever is left unsealed or unuploaded
   * is recovered by the next start().
   * Idempotent.
   */
  close(reason: string): Promise<void> {
    this.#closed ??= (async () => {
      this.#sealRetrier.close(reason);
      this.#sealQueue.close();
      const recorders = [...this.#recorders.values()];
      await Promise.allSettled(recorders.map((r) => r.stop(reason)));
      this.#sealAbort.abort();
      // An aborted seal still writes its outcome: let it finish before the
      // database it writes to is closed. The next start seals it again.
      await this.#sealQueue.settled();
      await this.uploader.close(reason);
      this.#recorders.clear();
      this.#log.info({ reason }, 'recording service closed');
    })();

    return this.#closed;
  }

  /**
   * After sealing, every listed segment is confirmed by S3 and already gone
   * from the spool; what is left is ffmpeg's bookkeeping (SDP, lists, the
   * empty file it opened last). A media file with content that S3 never
   * confirmed (an unreadable crash fragment) keeps the directory in place.
   */
  async #removeSpoolOf(reviewId: string): Promise<void> {
    const directory = path.join(this.#spoolDirectory, reviewId);
    const entries = await fs.promises
      .readdir(directory, { recursive: true, withFileTypes: true })
      .catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw err;
      });
    for (const entry of entries) {
      if (!entry.isFile() || !/\.(webm|mkv)$/.test(entry.name)) continue;

      const file = path.join(entry.parentPath, entry.name);
      if ((await fs.promises.stat(file)).size > 0) {
        this.#log.warn({ reviewId, file }, 'unconfirmed media left in the spool; kept');
        return;
      }
    }

    await fs.promises.rm(directory, { recursive: true, force: true });
  }

  /**
   * Writes one seal's progress to the store, throttled by
   * isSealProgressWorthRecording, and logs each new stage. A failed write is
   * logged and the seal goes on: progress is for display only.
   */
  #sealProgressRecorder(reviewId: string): (progress: SealProgress) => void {
    const log = this.#log.child({ reviewId, recordingId: reviewId });
    let last: SealProgressRecord | undefined;

    return (progress) => {
      const now = this.#now();
      if (!isSealProgressWorthRecording(last, progress, now)) return;

      if (progress.stage !== last?.stage)
        log.info({ stage: progress.stage }, 'seal stage');
      last = { ...progress, updatedAt: now };
      try {
        this.#options.store.recordSealProgress(reviewId, last);
      } catch (err) {
        log.error({ err, stage: progress.stage }, 'could not record seal progress');
      }
    };
  }

  /** After a failed seal: a frozen stage would read as a seal still running. */
  #forgetSealProgress(reviewId: string): void {
    try {
      this.#options.store.clearSealProgress(reviewId);
    } catch (err) {
      this.#log.error({ err, reviewId }, 'could not clear the progress of a failed seal');
    }
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}
