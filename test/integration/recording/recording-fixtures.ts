/**
 * A RecordingService wired to a real S3 bucket (Object Lock on), an
 * in-memory database and a temporary data directory, closed after the test.
 */
import { onTestFinished } from 'vitest';
import { configSchema } from '../../../server/config/config.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import type { Review, ReviewEvent } from '../../../server/review/review-types.ts';
import { openDatabase } from '../../../server/store/database.ts';
import { ObjectStore, type ObjectStoreOptions } from '../../../storage/object-store.ts';
import { RECORDING_MIGRATIONS } from '../../../recording/recording-migrations.ts';
import { RecordingService } from '../../../recording/recording-service.ts';
import { SqliteRecordingStore } from '../../../recording/sqlite-recording-store.ts';
import { testObjectStoreOptions, uniqueBucketName } from '../../helpers/s3-server.ts';
import { temporaryDirectory } from './media-fixtures.ts';

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
    reviewIsOver?: (reviewId: string) => Promise<boolean>;
  } = {},
) {
  const dataDir = overrides.dataDir ?? temporaryDirectory('rec-data');
  const config = configSchema.parse({
    dataDir,
    recording: {
      segmentSeconds: 1,
      spoolMaxBytes: overrides.spoolMaxBytes ?? 1024 ** 3,
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
    ...(overrides.reviewIsOver ? { reviewIsOver: overrides.reviewIsOver } : {}),
  });
  onTestFinished(async () => {
    await service.close('test over');
    if (db.isOpen) db.close();
  });

  return { service, store, db, dataDir };
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
