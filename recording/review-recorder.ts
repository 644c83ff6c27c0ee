/**
 * The recorder of one review: one track recorder per producer, the status the
 * start rule reads ("no recorder, no review": tracksWriting must equal
 * tracksExpected), and the stop that finalises every capture and hands the
 * recording to the seal queue. Recording never stops by itself while the
 * review is live: failed captures are restarted by their track recorders.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Producer, Router } from 'mediasoup/types';
import { AppError } from '../server/errors.ts';
import type { Logger } from '../server/log/logger.ts';
import type {
  RecorderStatus,
  ReviewRecorderPort,
  TrackInfo,
} from '../server/review/recorder-port.ts';
import type { Review, ReviewEvent } from '../server/review/review-types.ts';
import type { RecordingState } from '../server/signalling/protocol.ts';
import type { SealProgress } from './recording-sealer.ts';
import { TrackRecorder, type TrackRecorderOptions } from './track-recorder.ts';

/** The review and its events, as stored in the manifest. */
export interface ReviewInfo {
  review: Review;
  events: ReviewEvent[];
}

/** Reads the review and its events when the recorder needs them (sync or async). */
export type ReviewInfoSource = () => ReviewInfo | Promise<ReviewInfo>;

/** What a recorder needs from the recording service. */
export interface ReviewRecorderContext {
  reviewId: string;
  router: Router;
  reviewInfo: ReviewInfoSource;
  retainUntil: Date;
  /** Settings shared by every track recorder of the service. */
  trackDefaults: Omit<
    TrackRecorderOptions,
    'reviewId' | 'trackId' | 'producer' | 'info' | 'router' | 'retainUntil' | 'logger'
  >;
  /** Whether the spool is over its limit (the recording is then degraded). */
  spoolFull: () => boolean;
  /** Resolves when every segment of the review is in S3. */
  drainUploads: () => Promise<void>;
  /**
   * Queues the seal, tried again after failures; resolves when sealed, and
   * rejects only when the service closes first or the seal cannot be mended.
   */
  seal: (onProgress: (progress: SealProgress) => void) => Promise<void>;
  saveSnapshot: (snapshot: ReviewInfo) => void;
  /** This recorder is done without sealing: the next one continues the recording. */
  release: () => void;
  logger: Logger;
}

/** Events of a review recorder. */
export interface ReviewRecorderEvents {
  status: [RecorderStatus];
  'seal-progress': [SealProgress];
}

/** Records one review. Implements the review server's ReviewRecorderPort. */
export class ReviewRecorder
  extends EventEmitter<ReviewRecorderEvents>
  implements ReviewRecorderPort
{
  readonly reviewId: string;
  readonly #context: ReviewRecorderContext;
  readonly #log: Logger;
  readonly #tracks = new Map<string, TrackRecorder>();
  readonly #ending = new Set<Promise<void>>();
  #finalState: RecordingState | undefined;
  #lastStatus = '';
  #stopped: Promise<void> | undefined;
  #sealed: Promise<void> | undefined;

  constructor(context: ReviewRecorderContext) {
    super();
    this.reviewId = context.reviewId;
    this.#context = context;
    this.#log = context.logger.child({
      reviewId: context.reviewId,
      recordingId: context.reviewId,
    });
  }

  /** Starts capturing `producer` as a new track (a new series for a replaced producer). */
  async addTrack(producer: Producer, info: TrackInfo): Promise<void> {
    if (this.#stopped) {
      throw new AppError(
        'RECORDING_NOT_READY',
        'The recording of this review has stopped',
      );
    }
    if (this.#tracks.has(producer.id)) return;

    const track = new TrackRecorder({
      ...this.#context.trackDefaults,
      reviewId: this.reviewId,
      trackId: `${info.source}-${randomUUID()}`,
      producer,
      info,
      router: this.#context.router,
      retainUntil: this.#context.retainUntil,
      logger: this.#log,
    });
    this.#tracks.set(producer.id, track);
    track.on('change', () => this.#emitStatus());
    producer.observer.once('close', () => this.removeTrack(producer.id));
    this.#emitStatus();

    try {
      await track.start();
    } catch (err) {
      // The track stays expected and never writing: a live producer that
      // cannot be recorded holds the start back, and the council is told.
      this.#emitStatus();
      throw new AppError('RECORDING_FAILED', 'Could not start recording the track', {
        cause: err,
        details: { producerId: producer.id },
      });
    }
    this.#log.info(
      { producerId: producer.id, trackId: track.trackId, source: info.source },
      'track added',
    );
    this.#emitStatus();
    await this.#saveSnapshot();
  }

  /** The producer is gone: its track ends gracefully and stays in the recording. */
  removeTrack(producerId: string): void {
    const track = this.#tracks.get(producerId);
    if (!track) return;

    this.#tracks.delete(producerId);
    const ending = track.stop('producer removed').catch((err: unknown) => {
      this.#log.error({ err, producerId }, 'track did not stop cleanly');
    });
    this.#ending.add(ending);
    ending.finally(() => this.#ending.delete(ending));
    this.#emitStatus();
  }

  /** Current state and counts, for the start rule and the council's display. */
  status(): RecorderStatus {
    const tracks = [...this.#tracks.values()];
    const tracksWriting = tracks.filter((t) => t.writing).length;
    const tracksExpected = tracks.length;

    return { state: this.#state(tracks, tracksWriting), tracksWriting, tracksExpected };
  }

  #state(tracks: TrackRecorder[], writing: number): RecordingState {
    if (this.#finalState) return this.#finalState;
    if (tracks.some((t) => t.restarting) || this.#context.spoolFull()) return 'degraded';
    if (tracks.length === 0) return 'idle';

    return writing === tracks.length ? 'recording' : 'starting';
  }

  /** The ffmpeg process of a producer's current capture (fault tests kill it). */
  ffmpegPidOf(producerId: string): number | undefined {
    return this.#tracks.get(producerId)?.ffmpegPid;
  }

  /** Re-evaluates the status (after a spool alarm, for example). */
  refreshStatus(): void {
    this.#emitStatus();
  }

  #emitStatus(): void {
    const status = this.status();
    const text = JSON.stringify(status);
    if (text === this.#lastStatus) return;

    this.#lastStatus = text;
    if (status.state === 'degraded') this.#log.warn(status, 'recording degraded');
    this.emit('status', status);
  }

  /**
   * Finalises every capture; resolves once every segment is closed and in the
   * spool (safe on disk and listed in the store). Uploading the rest and
   * sealing continue in the background: see sealed(). Idempotent.
   */
  stop(reason: string): Promise<void> {
    this.#stopped ??= (async () => {
      this.#log.info({ reason }, 'recording stopping');
      await this.#finaliseCaptures(reason);

      this.#sealed = this.#context
        .drainUploads()
        .then(() =>
          this.#context.seal((progress) => this.emit('seal-progress', progress)),
        )
        .then(() => {
          this.#finalState = 'sealed';
          this.#emitStatus();
        });
      this.#sealed.catch((err: unknown) => {
        this.#log.error(
          { err },
          'recording left unsealed; the next start of the service tries again',
        );
      });
    })();

    return this.#stopped;
  }

  /**
   * Finalises every capture and leaves the recording open: the review has
   * not ended, and the recorder its session opens next continues the same
   * recording, which is sealed once, when the review ends. Idempotent; a
   * stop() after it does nothing more.
   */
  suspend(reason: string): Promise<void> {
    this.#stopped ??= (async () => {
      this.#log.info({ reason }, 'recording suspended; the review goes on later');
      try {
        await this.#finaliseCaptures(reason);
      } finally {
        // Even if a capture failed to finalise, the review's next session
        // must get a recorder of its own, not this one on a closed router.
        this.#context.release();
      }
    })();

    return this.#stopped;
  }

  /** Every capture closed, its segments in the spool, and the review's snapshot kept. */
  async #finaliseCaptures(reason: string): Promise<void> {
    this.#finalState = 'finalising';
    this.#emitStatus();

    const tracks = [...this.#tracks.values()];
    this.#tracks.clear();
    await Promise.all([...tracks.map((t) => t.stop(reason)), ...this.#ending]);
    await this.#saveSnapshot();
  }

  /** Resolves when the recording is sealed (after stop()). */
  async sealed(): Promise<void> {
    await this.#stopped;
    await this.#sealed;
  }

  /** Keeps the last readable review and events; a failed read keeps the previous copy. */
  async #saveSnapshot(): Promise<void> {
    let snapshot: ReviewInfo;
    try {
      snapshot = await this.#context.reviewInfo();
    } catch (err) {
      this.#log.error({ err }, 'review info unreadable; keeping the previous snapshot');
      return;
    }
    this.#context.saveSnapshot(snapshot);
  }
}
