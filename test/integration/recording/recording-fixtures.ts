/**
 * A RecordingService wired to a real S3 bucket (Object Lock on), an
 * in-memory database and a temporary data directory, closed after the test.
 */
import type { Router } from 'mediasoup/types';
import { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';
import { recordingKeys, type RecordingManifest } from '../../../recording/manifest.ts';
import { configSchema } from '../../../server/config/config.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import {
  isRecordingEveryTrack,
  type ReviewRecorderPort,
} from '../../../server/review/recorder-port.ts';
import type { Review, ReviewEvent } from '../../../server/review/review-types.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { ObjectStore, type ObjectStoreOptions } from '../../../storage/object-store.ts';
import { recordingMetrics } from '../../../recording/recording-metrics.ts';
import { RECORDING_MIGRATIONS } from '../../../recording/recording-migrations.ts';
import { RecordingService } from '../../../recording/recording-service.ts';
import { SqliteRecordingStore } from '../../../recording/sqlite-recording-store.ts';
import { startRtpTestSource, type RtpTestSource } from '../../helpers/rtp-source.ts';
import { testObjectStoreOptions, uniqueBucketName } from '../../helpers/s3-server.ts';
import { temporaryDirectory, waitFor } from './media-fixtures.ts';

/** A bucket with Object Lock on the suite's S3. */
export async function lockedBucket(): Promise<{
  objectStore: ObjectStore;
  options: ObjectStoreOptions;
}> {
  const options = testObjectStoreOptions(uniqueBucketName('rec-it'));
  const objectStore = new ObjectStore(options);
  onTestFinished(() => objectStore.close());
  await objectStore.ensureBucket();

  return { objectStore, options };
}

/** A service, its store and database, on `objectStore`. */
export function recordingService(
  objectStore: ObjectStore,
  overrides: {
    dataDir?: string;
    spoolMaxBytes?: number;
    database?: string;
    ffmpegPath?: string;
    /** Pause after a seal's first failure. Default 1 s (doubling up to 2 s). */
    sealRetryFirstSeconds?: number;
    reviewIsOver?: (reviewId: string) => Promise<boolean>;
    /** Where its metrics go; default a registry of its own. */
    metrics?: Registry;
  } = {},
) {
  const dataDir = overrides.dataDir ?? temporaryDirectory('rec-data');
  const config = configSchema.parse({
    dataDir,
    recording: {
      segmentSeconds: 1,
      spoolMaxBytes: overrides.spoolMaxBytes ?? 1024 ** 3,
      sealRetryFirstSeconds: overrides.sealRetryFirstSeconds ?? 1,
      sealRetryMaxSeconds: Math.max(2, overrides.sealRetryFirstSeconds ?? 1),
      ...(overrides.ffmpegPath ? { ffmpegPath: overrides.ffmpegPath } : {}),
    },
  });
  const db = openDatabase(overrides.database ?? ':memory:', RECORDING_MIGRATIONS);
  const store = new SqliteRecordingStore(db);
  const service = new RecordingService({
    config,
    store,
    objectStore,
    logger: createSilentLogger(),
    retryMinMs: 200,
    retryMaxMs: 1000,
    compositePreset: 'ultrafast',
    metrics: recordingMetrics(overrides.metrics ?? new Registry()),
    ...(overrides.reviewIsOver ? { reviewIsOver: overrides.reviewIsOver } : {}),
  });
  onTestFinished(async () => {
    await service.close('test over');
    if (db.isOpen) db.close();
  });

  return { service, store, db, dataDir };
}

/** The value of an unlabelled gauge in `registry`, as a scrape would read it. */
export async function gaugeValue(registry: Registry, name: string): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();

  return values[0]?.value ?? Number.NaN;
}

/** The value of a counter in `registry` for one set of labels (0 before the first count). */
export async function counterValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const matching = values.find((value) =>
    Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted),
  );

  return matching?.value ?? 0;
}

/** A live review of an attestee and a chair, as the review server would describe it. */
export function sampleReview(reviewId: string): {
  review: Review;
  events: ReviewEvent[];
} {
  const now = new Date().toISOString();
  return {
    review: {
      reviewId,
      subject: 'Mathematics, grade 7',
      claimedCategory: 'teacher-expert',
      format: 'remote',
      scheduledStart: now,
      state: 'live',
      people: [
        { personId: 'p-attestee', displayName: 'Айгерим Сапарова', role: 'attestee' },
        { personId: 'p-chair', displayName: 'Chair Person', role: 'chair' },
      ],
      startedAt: now,
    },
    events: [{ reviewId, seq: 1, at: now, type: 'start' }],
  };
}

/** The attestee of sampleReview, as a recorded track describes them. */
export const attesteeInfo = {
  peerId: 'peer-a',
  personId: 'p-attestee',
  displayName: 'Айгерим Сапарова',
  role: 'attestee' as const,
};

/** Plays the attestee's camera and microphone into `recorder` until both tracks are written. */
export async function recordAttestee(
  recorder: ReviewRecorderPort,
  router: Router,
  peerId = attesteeInfo.peerId,
): Promise<RtpTestSource> {
  const source = await startRtpTestSource(router);
  await recorder.addTrack(source.video, { ...attesteeInfo, peerId, source: 'camera' });
  await recorder.addTrack(source.audio, {
    ...attesteeInfo,
    peerId,
    source: 'microphone',
  });
  await waitFor(
    () => isRecordingEveryTrack(recorder.status()),
    40_000,
    'every track writing',
  );

  return source;
}

/** The sealed manifest of a review, read back from S3. */
export async function readManifest(
  objectStore: ObjectStore,
  reviewId: string,
): Promise<RecordingManifest> {
  const body = await objectStore.getBuffer(recordingKeys.manifest(reviewId));
  return JSON.parse(body.toString('utf8')) as RecordingManifest;
}
