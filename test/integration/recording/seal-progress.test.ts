/**
 * A seal's progress, end to end: the recording service writes each stage to
 * the store as the real sealer (S3 reads, the ffmpeg composite, locked puts)
 * reports it, for seals started by a recorder and by recovery at start, and
 * the archive API shows it while the seal runs.
 */
import path from 'node:path';
import type { Router } from 'mediasoup/types';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { SealProgressRecord } from '../../../recording/recording-store.ts';
import type { ReviewRecorder } from '../../../recording/review-recorder.ts';
import type { SqliteRecordingStore } from '../../../recording/sqlite-recording-store.ts';
import type { ArchiveHit } from '../../../server/archive/archive-search.ts';
import type { RecordingDetail } from '../../../server/archive/recording-detail.ts';
import type { RecordingProgress } from '../../../server/archive/recording-progress.ts';
import type { SealingProgress } from '../../../server/archive/recording-status.ts';
import { isRecordingEveryTrack } from '../../../server/review/recorder-port.ts';
import type { DatabaseSync } from '../../../server/store/database.ts';
import { startRtpTestSource } from '../../helpers/rtp-source.ts';
import { openArchiveTestDatabase } from '../archive/archive-fixtures.ts';
import { startArchiveTestApp } from '../archive/archive-test-app.ts';
import { startRouter, temporaryDirectory, waitFor } from './media-fixtures.ts';
import { lockedBucket, recordingService, sampleReview } from './recording-fixtures.ts';

const SEAL_STAGES = ['downloading', 'composing', 'uploading', 'sealed'];
const RUNNING_STAGES = ['waiting', 'downloading', 'composing', 'uploading'];

/** Every progress the service writes to `store`, in order. */
function progressWrites(store: SqliteRecordingStore): SealProgressRecord[] {
  const writes: SealProgressRecord[] = [];
  const write = store.recordSealProgress.bind(store);
  store.recordSealProgress = (reviewId, progress) => {
    writes.push(progress);
    write(reviewId, progress);
  };

  return writes;
}

/** The stages in the order they came, each run of one stage once. */
function stagesOf(progress: { stage: string }[]): string[] {
  return progress.map((p) => p.stage).filter((stage, i, all) => stage !== all[i - 1]);
}

/** Whether the fraction never goes back within a stage. */
function monotonicWithinStages(writes: SealProgressRecord[]): boolean {
  return writes.every((w, i) => {
    const previous = writes[i - 1];
    return !previous || previous.stage !== w.stage || previous.fraction <= w.fraction;
  });
}

/** Captures one person's camera and microphone for a few seconds of media. */
async function recordAttestee(recorder: ReviewRecorder, router: Router): Promise<void> {
  const source = await startRtpTestSource(router, { frequency: 440 });
  onTestFinished(() => source.close());
  const person = {
    peerId: 'peer-attestee',
    personId: 'p-attestee',
    displayName: 'Айгерим Сапарова',
    role: 'attestee' as const,
  };
  await recorder.addTrack(source.video, { ...person, source: 'camera' });
  await recorder.addTrack(source.audio, { ...person, source: 'microphone' });
  await waitFor(
    () => isRecordingEveryTrack(recorder.status()),
    40_000,
    'every track writing',
  );
  await new Promise((resolve) => setTimeout(resolve, 4000));
}

/** The review rows the archive joins a recording with. */
function insertReviewRows(db: DatabaseSync, reviewId: string): void {
  const { review } = sampleReview(reviewId);
  db.prepare(
    `INSERT INTO reviews (review_id, subject, claimed_category, format, scheduled_start,
       state, started_at, created_at) VALUES (?, ?, ?, ?, ?, 'ended', ?, ?)`,
  ).run(
    reviewId,
    review.subject,
    review.claimedCategory,
    review.format,
    review.scheduledStart,
    review.startedAt ?? null,
    review.scheduledStart,
  );
  for (const person of review.people) {
    db.prepare(
      'INSERT INTO review_people (review_id, person_id, display_name, role) VALUES (?, ?, ?, ?)',
    ).run(reviewId, person.personId, person.displayName, person.role);
  }
}

describe('seal progress', () => {
  it('records every stage of a recorder’s seal, ends sealed, and the archive shows it while it runs', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const dataDir = temporaryDirectory('rec-progress');
    const database = path.join(dataDir, 'sarapta.db');
    const archiveDb = openArchiveTestDatabase(database);
    onTestFinished(() => {
      if (archiveDb.isOpen) archiveDb.close();
    });
    const app = await startArchiveTestApp({ db: archiveDb, store: objectStore });
    onTestFinished(() => app.close());
    const token = await app.tokens.signArchivist({ archivistId: 'archivist-seal' }, 600);
    const get = async <T>(route: string): Promise<T> => {
      const reply = await fetch(`${app.baseUrl}/api/archive${route}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(reply.status).toBe(200);
      return (await reply.json()) as T;
    };

    const { service, store } = recordingService(objectStore, { dataDir, database });
    const writes = progressWrites(store);
    await service.start();
    const reviewId = `rev-progress-${Date.now().toString(36)}`;
    insertReviewRows(archiveDb, reviewId);
    const recorder = service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    const events: { stage: string }[] = [];
    recorder.on('seal-progress', (progress) => events.push(progress));
    await recordAttestee(recorder, router);

    await recorder.stop('time-limit');
    const seen: { detail: SealingProgress | null; hit: SealingProgress | null }[] = [];
    const polled: (RecordingProgress | undefined)[] = [];
    let sealed = false;
    const polling = (async () => {
      while (!sealed) {
        const [detail, page, progress] = await Promise.all([
          get<RecordingDetail>(`/recordings/${reviewId}`),
          get<{ items: ArchiveHit[] }>('/recordings'),
          get<{ items: RecordingProgress[] }>(`/progress?reviewId=${reviewId}`),
        ]);
        const hit = page.items.find((item) => item.reviewId === reviewId);
        seen.push({ detail: detail.recording.sealing, hit: hit?.sealing ?? null });
        polled.push(progress.items[0]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await recorder.sealed().finally(() => {
      sealed = true;
    });
    await polling;

    expect(stagesOf(writes)).toEqual(SEAL_STAGES);
    expect(monotonicWithinStages(writes)).toBe(true);
    expect(
      writes.some((w) => w.stage === 'composing' && w.fraction > 0),
      'the render reported how far it got',
    ).toBe(true);
    expect(stagesOf(events), 'the recorder still hears every stage').toEqual(SEAL_STAGES);
    const stored = store.getRecording(reviewId);
    expect(stored?.state).toBe('sealed');
    expect(stored?.sealProgress).toMatchObject({ stage: 'sealed', fraction: 1 });

    const duringSeal = seen.filter((s) => s.detail !== null);
    expect(duringSeal.length, 'polls that saw the seal running').toBeGreaterThan(0);
    for (const { detail } of duringSeal) {
      expect(RUNNING_STAGES).toContain(detail?.stage);
      expect(detail?.percent).toBeGreaterThanOrEqual(0);
      expect(detail?.percent).toBeLessThanOrEqual(100);
    }
    expect(
      duringSeal.some((s) => s.detail?.stage !== 'waiting'),
      'a poll saw a sealer stage',
    ).toBe(true);
    expect(seen.some((s) => s.hit !== null)).toBe(true);
    expect(polled.some((p) => p?.sealing && p.status === 'sealing')).toBe(true);

    const after = await get<RecordingDetail>(`/recordings/${reviewId}`);
    expect(after.recording.status).toBe('sealed');
    expect(after.recording.sealing).toBeNull();
    const afterProgress = await get<{ items: RecordingProgress[] }>(
      `/progress?reviewId=${reviewId}&reviewId=rev-unknown`,
    );
    expect(afterProgress.items).toEqual([{ reviewId, status: 'sealed', sealing: null }]);
  }, 240_000);

  it('records the progress of a seal that recovery starts after a crash', async () => {
    const { router } = await startRouter();
    const { objectStore } = await lockedBucket();
    const dataDir = temporaryDirectory('rec-progress-recovery');
    const database = path.join(dataDir, 'sarapta.db');
    const first = recordingService(objectStore, { dataDir, database });
    await first.service.start();
    const reviewId = `rev-progress-recovery-${Date.now().toString(36)}`;
    const recorder = first.service.createRecorder(reviewId, router, () =>
      sampleReview(reviewId),
    );
    await recordAttestee(recorder, router);

    // Closing the service first closes the seal queue: the recording stays unsealed.
    await first.service.close('simulated crash');
    first.db.close();
    const second = recordingService(objectStore, { dataDir, database });
    const writes = progressWrites(second.store);
    expect(second.store.getRecording(reviewId)?.state).toBe('recording');

    const { seals } = await second.service.start();
    await Promise.all(seals);

    expect(stagesOf(writes)).toEqual(SEAL_STAGES);
    expect(monotonicWithinStages(writes)).toBe(true);
    expect(second.store.getRecording(reviewId)).toMatchObject({
      state: 'sealed',
      sealProgress: { stage: 'sealed', fraction: 1 },
    });
  }, 240_000);
});
