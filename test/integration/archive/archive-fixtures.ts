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
  type TrackEntry,
} from '../../../recording/manifest.ts';
import type { Person, ReviewEvent } from '../../../server/review/review-types.ts';
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
 * and recordings. The review starts at `scheduledStart`; its media (and the
 * composite's 0:00) begins `recordingStartSeconds` from then (default 0;
 * negative when the chair was admitted before the start). `lobbyEvents` adds
 * what happened before: creation, the attestee's arrival and consent, the
 * chair's arrival and admission (not for an empty one: nobody was admitted). `empty` writes what a review cancelled with
 * nobody admitted leaves: the manifest alone, no tracks, no composite.
 * `splitMicrophone` adds the attestee's microphone in two capture series
 * (a rejoin between them: 4 s of media, 4 s of nothing, 4 s of media).
 * `legacyManifest` leaves out the composite's start, as manifests sealed
 * before it was stored did.
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
    recordingStartSeconds?: number;
    lobbyEvents?: boolean;
    empty?: boolean;
    legacyManifest?: boolean;
    splitMicrophone?: boolean;
    reviewState?: 'ended' | 'cancelled';
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
  const recordingStart = options.recordingStartSeconds ?? 0;
  const segments = segmentBodies.map((body, seq) => ({
    key: recordingKeys.segment(reviewId, 'p-attestee-camera', seq, 'webm'),
    seq,
    startedAt: at(recordingStart + seq * 4),
    endedAt: at(recordingStart + seq * 4 + 4),
    size: body.length,
    sha256: sha256Hex(body),
  }));
  const microphoneBodies = (options.splitMicrophone ? [0, 1] : []).map((series) => {
    const trackId = `p-attestee-microphone-${series}`;
    const body = Buffer.from(`microphone-${series}-${reviewId}`);
    return {
      key: recordingKeys.segment(reviewId, trackId, 0, 'webm'),
      body,
      contentType: 'audio/webm',
      trackId,
      from: recordingStart + series * 8,
    };
  });
  const microphones: TrackEntry[] = microphoneBodies.map((mic) => ({
    trackId: mic.trackId,
    personId: 'p-attestee',
    displayName: people[0]?.displayName ?? 'attestee',
    role: 'attestee',
    source: 'microphone',
    kind: 'audio',
    codec: 'opus',
    startedAt: at(mic.from),
    endedAt: at(mic.from + 4),
    segments: [
      {
        key: mic.key,
        seq: 0,
        startedAt: at(mic.from),
        endedAt: at(mic.from + 4),
        size: mic.body.length,
        sha256: sha256Hex(mic.body),
      },
    ],
    gaps: [],
  }));
  const compositeBody = options.compositeBody ?? Buffer.from(`composite-${reviewId}`);

  const attestee = people.find((p) => p.role === 'attestee')?.personId;
  const chair = people.find((p) => p.role === 'chair')?.personId;
  const before: Omit<ReviewEvent, 'seq'>[] = options.lobbyEvents
    ? [
        { reviewId, at: at(-600), type: 'created' },
        { reviewId, at: at(-120), type: 'join', personId: attestee },
        { reviewId, at: at(-100), type: 'consent', personId: attestee },
        // The chair is admitted on arrival, and with that the recording begins.
        ...(options.empty
          ? []
          : [
              {
                reviewId,
                at: at(recordingStart - 1),
                type: 'join' as const,
                personId: chair,
              },
              {
                reviewId,
                at: at(recordingStart),
                type: 'admit' as const,
                personId: chair,
              },
            ]),
      ]
    : [];
  const during: Omit<ReviewEvent, 'seq'>[] = options.empty
    ? [{ reviewId, at: at(-30), type: 'end', data: { reason: 'cancelled' } }]
    : [
        { reviewId, at: at(0), type: 'start', personId: chair },
        { reviewId, at: at(5), type: 'warning', data: { secondsLeft: 60 } },
        { reviewId, at: at(8), type: 'end', personId: chair, data: { reason: 'chair' } },
      ];
  const events: ReviewEvent[] = [...before, ...during].map((event, i) => ({
    ...event,
    seq: i + 1,
  }));
  const unchained: Omit<RecordingManifest, 'chain'> = {
    version: 1,
    reviewId,
    review: {
      subject: options.subject ?? 'Mathematics, grade 7',
      claimedCategory: 'teacher-expert',
      format: 'remote',
      scheduledStart: start.toISOString(),
      ...(options.empty
        ? { endedAt: at(-30), endReason: 'cancelled' as const }
        : { startedAt: at(0), endedAt: at(8), endReason: 'chair' as const }),
    },
    participants: people,
    events,
    retainUntil: options.retainUntil.toISOString(),
    tracks: options.empty
      ? []
      : [
          {
            trackId: 'p-attestee-camera',
            personId: 'p-attestee',
            displayName: people[0]?.displayName ?? 'attestee',
            role: 'attestee',
            source: 'camera',
            kind: 'video',
            codec: 'VP8',
            startedAt: at(recordingStart),
            endedAt: at(recordingStart + 8),
            segments,
            gaps: [],
          },
          ...microphones,
        ],
    ...(options.empty
      ? {}
      : {
          composite: {
            key: recordingKeys.composite(reviewId),
            sha256: sha256Hex(compositeBody),
            size: compositeBody.length,
            // From the first segment's start to the last one's end.
            durationSeconds: Math.max(
              8,
              ...microphoneBodies.map((mic) => mic.from + 4 - recordingStart),
            ),
            ...(options.legacyManifest ? {} : { startedAt: at(recordingStart) }),
          },
        }),
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

  const media = options.empty
    ? []
    : [
        ...microphoneBodies.map(({ key, body, contentType }) => ({
          key,
          body,
          contentType,
        })),
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
      ];
  const puts = [
    ...media,
    {
      key: recordingKeys.manifest(reviewId),
      body: Buffer.from(JSON.stringify(manifest)),
      contentType: 'application/json',
    },
  ];
  for (const put of puts)
    await store.putLocked({ ...put, retainUntil: options.retainUntil });

  insertRows(db, manifest, people, options.reviewState ?? 'ended');

  return { reviewId, manifest, keys: puts.map((p) => p.key) };
}

function insertRows(
  db: DatabaseSync,
  manifest: RecordingManifest,
  people: Person[],
  state: 'ended' | 'cancelled',
): void {
  const { reviewId, review } = manifest;
  db.prepare(
    `INSERT INTO reviews (review_id, subject, claimed_category, format, scheduled_start, state,
       started_at, ended_at, end_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    reviewId,
    review.subject,
    review.claimedCategory,
    review.format,
    review.scheduledStart,
    state,
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
