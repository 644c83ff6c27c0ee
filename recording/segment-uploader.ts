/**
 * The uploader and its spool. Every closed segment is hashed, recorded as
 * pending in the store and uploaded under Object Lock at once; the local file
 * is deleted only after S3 confirms. While S3 is unreachable segments wait in
 * the spool (on disk, listed in the store) and are retried with backoff, so a
 * restart of the service finds and uploads them too.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { AppError } from '../server/errors.ts';
import type { Logger } from '../server/log/logger.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { RecordingMetrics } from './recording-metrics.ts';
import type { RecordingStore, SegmentRecord } from './recording-store.ts';

/** A closed segment handed to the uploader. */
export interface SegmentToUpload {
  reviewId: string;
  trackId: string;
  seq: number;
  key: string;
  filePath: string;
  startedAt: Date;
  endedAt: Date;
}

/** How a segment is written: its content type and retention date. */
export interface UploadTerms {
  contentType: string;
  retainUntil: Date;
}

/** Options; each field shows its default. */
export interface SegmentUploaderOptions {
  store: RecordingStore;
  objectStore: ObjectStore;
  /** Above this many bytes waiting, the DISK_FULL alarm is raised. */
  spoolMaxBytes: number;
  metrics: RecordingMetrics;
  logger: Logger;
  /** First retry delay after a failure. Default 500 ms. */
  retryMinMs?: number;
  /** Longest retry delay. Default 15000 ms. */
  retryMaxMs?: number;
}

/** Events of the uploader. */
export interface SegmentUploaderEvents {
  /** The spool went over its limit (AppError DISK_FULL). */
  alarm: [AppError];
  uploaded: [SegmentRecord];
}

interface QueueEntry {
  record: SegmentRecord;
  terms: UploadTerms;
}

/**
 * How long close() waits for the upload in flight. S3 calls have no timeout
 * of their own here, and an outage must not hold the shutdown.
 */
const CLOSE_GRACE_MS = 10_000;

/** Uploads segments in order, one at a time, retrying until S3 confirms. */
export class SegmentUploader extends EventEmitter<SegmentUploaderEvents> {
  readonly #options: SegmentUploaderOptions;
  readonly #log: Logger;
  readonly #queue: QueueEntry[] = [];
  readonly #idleWaiters: {
    reviewId: string | undefined;
    resolve: () => void;
    reject: (err: Error) => void;
  }[] = [];
  #spoolBytes = 0;
  #running = false;
  /** The upload loop while it runs. */
  #loop: Promise<void> = Promise.resolve();
  #retryDelayMs = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #spoolFull = false;
  #closed = false;

  constructor(options: SegmentUploaderOptions) {
    super();
    this.#options = options;
    this.#log = options.logger.child({ component: 'segment-uploader' });
  }

  /** Bytes of segments waiting for S3. */
  get spoolBytes(): number {
    return this.#spoolBytes;
  }

  /** Number of segments waiting for S3. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Hashes a closed segment, records it as pending and queues its upload. */
  async enqueue(segment: SegmentToUpload, terms: UploadTerms): Promise<void> {
    const { sha256, size } = await hashFile(segment.filePath);
    const record: SegmentRecord = {
      trackId: segment.trackId,
      reviewId: segment.reviewId,
      seq: segment.seq,
      key: segment.key,
      localPath: segment.filePath,
      sha256,
      size,
      startedAt: segment.startedAt,
      endedAt: segment.endedAt,
      uploadedAt: undefined,
      versionId: undefined,
    };
    this.#options.store.addSegment(record);
    this.#add({ record, terms });
  }

  /** Queues a segment recorded as pending by an earlier run of the service. */
  resume(record: SegmentRecord, terms: UploadTerms): void {
    this.#add({ record, terms });
  }

  /**
   * Resolves when no segment of `reviewId` (or none at all) is waiting;
   * rejects if the uploader closes first (the spool is then left for recovery).
   */
  drain(reviewId?: string): Promise<void> {
    if (!this.#hasPending(reviewId)) return Promise.resolve();
    if (this.#closed) return Promise.reject(uploaderClosed());

    return new Promise((resolve, reject) =>
      this.#idleWaiters.push({ reviewId, resolve, reject }),
    );
  }

  /**
   * Stops uploading; pending segments stay in the spool for the next start.
   * Waits (a bounded time) for the upload in flight, so S3's answer is stored
   * before the database closes. Idempotent.
   */
  async close(reason: string): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      clearTimeout(this.#retryTimer);
      for (const waiter of this.#idleWaiters.splice(0)) waiter.reject(uploaderClosed());
      this.#log.info({ reason, pending: this.#queue.length }, 'uploader closed');
    }

    const grace = new Promise<void>((resolve) =>
      setTimeout(resolve, CLOSE_GRACE_MS).unref(),
    );
    await Promise.race([this.#loop, grace]);
  }

  #add(entry: QueueEntry): void {
    this.#queue.push(entry);
    this.#spoolBytes += entry.record.size;
    this.#options.metrics.spoolBytes.set(this.#spoolBytes);
    this.#checkSpoolLimit();
    this.#kick();
  }

  #checkSpoolLimit(): void {
    const over = this.#spoolBytes > this.#options.spoolMaxBytes;
    if (over === this.#spoolFull) return;

    this.#spoolFull = over;
    this.#options.metrics.spoolFull.set(over ? 1 : 0);
    if (!over) {
      this.#log.info({ spoolBytes: this.#spoolBytes }, 'spool back under its limit');
      return;
    }

    const alarm = new AppError('DISK_FULL', 'Recording spool is over its limit', {
      details: {
        spoolBytes: this.#spoolBytes,
        spoolMaxBytes: this.#options.spoolMaxBytes,
      },
    });
    this.#options.metrics.spoolFullEvents.inc();
    this.#log.error(
      { err: alarm, spoolBytes: this.#spoolBytes, pending: this.#queue.length },
      'ALARM: recording spool full, S3 is not taking segments',
    );
    this.emit('alarm', alarm);
  }

  #kick(): void {
    if (this.#running || this.#closed || this.#retryTimer) return;

    this.#running = true;
    this.#loop = this.#uploadQueue()
      .catch((err: unknown) => {
        this.#log.error({ err }, 'uploader loop failed');
      })
      .finally(() => {
        this.#running = false;
      });
  }

  async #uploadQueue(): Promise<void> {
    while (!this.#closed) {
      const entry = this.#queue[0];
      if (!entry) return;

      try {
        await this.#upload(entry);
      } catch (err) {
        if (this.#closed) {
          // Shutdown outran the upload: the segment is still in the spool
          // and listed as not uploaded, so the next start sends it again.
          this.#log.info(
            { err, key: entry.record.key, reviewId: entry.record.reviewId },
            'upload cut short by shutdown; left for the next start',
          );
          return;
        }
        this.#scheduleRetry(entry, err);
        return;
      }

      this.#queue.shift();
      this.#spoolBytes -= entry.record.size;
      this.#options.metrics.spoolBytes.set(this.#spoolBytes);
      this.#checkSpoolLimit();
      if (this.#retryDelayMs > 0) this.#log.info('S3 is taking segments again');
      this.#retryDelayMs = 0;
      this.#wakeIdleWaiters();
    }
  }

  async #upload(entry: QueueEntry): Promise<void> {
    const { record, terms } = entry;
    const body = await fs.promises.readFile(record.localPath);
    const result = await this.#options.objectStore.putLocked({
      key: record.key,
      body,
      contentType: terms.contentType,
      retainUntil: terms.retainUntil,
      sha256: record.sha256,
      metadata: {
        'started-at': record.startedAt.toISOString(),
        'ended-at': record.endedAt.toISOString(),
      },
    });

    // Only now does S3 hold the bytes: the store first, then the local copy.
    this.#options.store.markSegmentUploaded(
      record.trackId,
      record.seq,
      new Date(),
      result.versionId,
    );
    await fs.promises.rm(record.localPath, { force: true });
    this.#options.metrics.segmentsUploaded.inc();
    this.emit('uploaded', {
      ...record,
      uploadedAt: new Date(),
      versionId: result.versionId,
    });
  }

  #scheduleRetry(entry: QueueEntry, err: unknown): void {
    const min = this.#options.retryMinMs ?? 500;
    const max = this.#options.retryMaxMs ?? 15_000;
    const firstFailure = this.#retryDelayMs === 0;
    this.#retryDelayMs = firstFailure ? min : Math.min(max, this.#retryDelayMs * 2);
    this.#options.metrics.uploadFailures.inc();

    const fields = {
      err,
      key: entry.record.key,
      reviewId: entry.record.reviewId,
      retryInMs: this.#retryDelayMs,
      pending: this.#queue.length,
    };
    if (firstFailure)
      this.#log.error(fields, 'segment upload failed; spooling and retrying');
    else this.#log.debug(fields, 'segment upload retry failed');

    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#kick();
    }, this.#retryDelayMs);
  }

  #hasPending(reviewId: string | undefined): boolean {
    return this.#queue.some(
      (e) => reviewId === undefined || e.record.reviewId === reviewId,
    );
  }

  #wakeIdleWaiters(): void {
    for (const waiter of [...this.#idleWaiters]) {
      if (this.#hasPending(waiter.reviewId)) continue;

      this.#idleWaiters.splice(this.#idleWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

function uploaderClosed(): AppError {
  return new AppError(
    'STORAGE_UNAVAILABLE',
    'Uploader closed with segments still in the spool',
  );
}

/** SHA-256 and size of a file, streamed. */
export async function hashFile(
  filePath: string,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(filePath)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }

  return { sha256: hash.digest('hex'), size };
}
