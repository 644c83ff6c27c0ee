/**
 * Fixtures for the archive's integration tests: a bucket of their own on the
 * suite's S3 (Object Lock on), a database with the archive's tables plus
 * the recording and review tables the archive reads, and recordings written
 * the way the recorder writes them (locked objects + a chained manifest).
 */
import { randomUUID } from 'node:crypto';
import { testObjectStoreOptions, uniqueBucketName } from '../../helpers/s3-server.ts';
import { archiveMigrations } from '../../../server/archive/archive-migrations.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import { REVIEW_MIGRATIONS } from '../../../server/review/review-migrations.ts';
import { openDatabase, type DatabaseSync } from '../../../server/store/database.ts';
import { RECORDING_MIGRATIONS } from '../../../recording/recording-migrations.ts';
import {
  chainHead,
  chainItems,
  recordingKeys,
  sha256Hex,
  type RecordingManifest,
} from '../../../recording/manifest.ts';
import type { Person } from '../../../server/review/review-types.ts';
import { ObjectStore } from '../../../storage/object-store.ts';

/** A database with the archive's tables and the tables it reads. */
export function openArchiveTestDatabase(file = ':memory:'): DatabaseSync {
  return openDatabase(file, [
    ...REVIEW_MIGRATIONS,
    ...RECORDING_MIGRATIONS,
    ...archiveMigrations,
  ]);
}

/** An ObjectStore on a fresh bucket (Object Lock on) of the suite's S3. */
export async function archiveTestStore(): Promise<ObjectStore> {
  const store = new ObjectStore(testObjectStoreOptions(uniqueBucketName('arch')));
  await store.ensureBucket();
  return store;
}

/**
 * Removes every version of a test bucket once their retention has passed,
 * lifting holds first. Waits up to `waitMs` for short retention dates.
 */
export async function emptyBucket(store: ObjectStore, waitMs = 15_000): Promise<void> {
  const deadline = Date.now() + waitMs;

  for (;;) {
    let refused = 0;
    for await (const page of store.listVersions('')) {
      await Promise.all(
        page
          .filter((v) => !v.isDeleteMarker)
          .map((v) => store.setLegalHold(v.key, v.versionId, false)),
      );
      refused += (await store.deleteVersions(page)).refused.length;
    }

    if (refused === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** What writeRecording put into S3 and the database. */
export interface WrittenRecording {
  reviewId: string;
  manifest: RecordingManifest;
  keys: string[];
}

const PEOPLE: Person[] = [
  { personId: 'p-attestee', displayName: 'Aigerim Nurlanovna', role: 'attestee' },
  { personId: 'p-chair', displayName: 'Bolat Sadykov', role: 'chair' },
  { personId: 'p-expert', displayName: 'Dana Omarova', role: 'expert' },
];

/**
 * Writes a small sealed recording: two segments of one track, a composite
 * (`compositeBody`, default a few bytes) and the manifest, all locked until
 * `retainUntil`; inserts its rows into reviews, review_people, review_events
 * and recordings.
 */
export async function writeRecording(
  store: ObjectStore,
  db: DatabaseSync,
  options: {
    retainUntil: Date;
    reviewId?: string;
    subject?: string;
    scheduledStart?: Date;
    compositeBody?: Buffer;
    people?: Person[];
  },
): Promise<WrittenRecording> {
  const reviewId = options.reviewId ?? `rv-${randomUUID().slice(0, 8)}`;
  const people = options.people ?? PEOPLE;
  const start = options.scheduledStart ?? new Date('2026-03-02T05:00:00Z');
  const at = (seconds: number) =>
    new Date(start.getTime() + seconds * 1000).toISOString();

  const segmentBodies = [
    Buffer.from(`segment-0-${reviewId}`),
    Buffer.from(`segment-1-${reviewId}`),
  ];
  const segments = segmentBodies.map((body, seq) => ({
    key: recordingKeys.segment(reviewId, 'p-attestee-camera', seq, 'webm'),
    seq,
    startedAt: at(seq * 4),
    endedAt: at(seq * 4 + 4),
    size: body.length,
    sha256: sha256Hex(body),
  }));
  const compositeBody = options.compositeBody ?? Buffer.from(`composite-${reviewId}`);

  const events = [
    { reviewId, seq: 1, at: at(0), type: 'start' as const, personId: 'p-chair' },
    { reviewId, seq: 2, at: at(5), type: 'warning' as const, data: { secondsLeft: 60 } },
    { reviewId, seq: 3, at: at(8), type: 'end' as const, personId: 'p-chair' },
  ];
  const unchained: Omit<RecordingManifest, 'chain'> = {
    version: 1,
    reviewId,
    review: {
      subject: options.subject ?? 'Mathematics, grade 7',
      claimedCategory: 'teacher-expert',
      format: 'remote',
      scheduledStart: start.toISOString(),
      startedAt: at(0),
      endedAt: at(8),
      endReason: 'chair',
    },
    participants: people,
    events,
    retainUntil: options.retainUntil.toISOString(),
    tracks: [
      {
        trackId: 'p-attestee-camera',
        personId: 'p-attestee',
        displayName: people[0]?.displayName ?? 'attestee',
        role: 'attestee',
        source: 'camera',
        kind: 'video',
        codec: 'VP8',
        startedAt: at(0),
        endedAt: at(8),
        segments,
        gaps: [],
      },
    ],
    composite: {
      key: recordingKeys.composite(reviewId),
      sha256: sha256Hex(compositeBody),
      size: compositeBody.length,
      durationSeconds: 8,
    },
    sealedAt: at(10),
  };
  const manifest: RecordingManifest = {
    ...unchained,
    chain: {
      algorithm: 'sha256',
      genesis: 'sarapta-recording-chain-v1',
      head: chainHead(chainItems(unchained)),
    },
  };

  const puts = [
    ...segments.map((s, i) => ({
      key: s.key,
      body: segmentBodies[i] as Buffer,
      contentType: 'video/webm',
    })),
    {
      key: recordingKeys.composite(reviewId),
      body: compositeBody,
      contentType: 'video/mp4',
    },
    {
      key: recordingKeys.manifest(reviewId),
      body: Buffer.from(JSON.stringify(manifest)),
      contentType: 'application/json',
    },
  ];
  for (const put of puts)
    await store.putLocked({ ...put, retainUntil: options.retainUntil });

  insertRows(db, manifest, people);

  return { reviewId, manifest, keys: puts.map((p) => p.key) };
}

function insertRows(
  db: DatabaseSync,
  manifest: RecordingManifest,
  people: Person[],
): void {
  const { reviewId, review } = manifest;
  db.prepare(
    `INSERT INTO reviews (review_id, subject, claimed_category, format, scheduled_start, state,
       started_at, ended_at, end_reason, created_at) VALUES (?, ?, ?, ?, ?, 'ended', ?, ?, ?, ?)`,
  ).run(
    reviewId,
    review.subject,
    review.claimedCategory,
    review.format,
    review.scheduledStart,
    review.startedAt ?? null,
    review.endedAt ?? null,
    review.endReason ?? null,
    review.scheduledStart,
  );
  for (const person of people) {
    db.prepare(
      'INSERT INTO review_people (review_id, person_id, display_name, role) VALUES (?, ?, ?, ?)',
    ).run(reviewId, person.personId, person.displayName, person.role);
  }
  for (const event of manifest.events) {
    db.prepare(
      'INSERT INTO review_events (review_id, seq, at, type, person_id, data_json) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      reviewId,
      event.seq,
      event.at,
      event.type,
      event.personId ?? null,
      event.data ? JSON.stringify(event.data) : null,
    );
  }
  db.prepare(
    `INSERT INTO recordings (review_id, state, retain_until, created_at, manifest_key,
       composite_key, composite_sha256, sealed_at) VALUES (?, 'sealed', ?, ?, ?, ?, ?, ?)`,
  ).run(
    reviewId,
    manifest.retainUntil,
    review.scheduledStart,
    recordingKeys.manifest(reviewId),
    manifest.composite?.key ?? null,
    manifest.composite?.sha256 ?? null,
    manifest.sealedAt,
  );
}

/** A logger for tests that writes nothing. */
export const silentLogger = createSilentLogger();

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sleeps until the wall clock is past `date` (plus a margin for S3's clock). */
export async function sleepUntil(date: Date, marginMs = 1500): Promise<void> {
  const wait = date.getTime() + marginMs - Date.now();
  if (wait > 0) await sleep(wait);
}
