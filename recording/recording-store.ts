/**
 * What the recording pipeline remembers about its recordings, tracks,
 * segments and gaps. The SQLite implementation is sqlite-recording-store.ts;
 * the archive reads the `recordings` table (state, retain_until, keys).
 */
import type {
  MediaSource,
  Review,
  ReviewEvent,
  Role,
} from '../server/review/review-types.ts';
import type { SealProgress } from './recording-sealer.ts';

/** Lifecycle of a stored recording. `expired` is set by the retention job. */
export type StoredRecordingState =
  'recording' | 'finalising' | 'sealed' | 'failed' | 'expired';

/** One review's recording. */
export interface RecordingRecord {
  reviewId: string;
  state: StoredRecordingState;
  retainUntil: Date;
  createdAt: Date;
  /** The last known review and its events, so a recording can be sealed after a restart. */
  reviewSnapshot: { review: Review; events: ReviewEvent[] } | undefined;
  manifestKey: string | undefined;
  compositeKey: string | undefined;
  compositeSha256: string | undefined;
  sealedAt: Date | undefined;
  failure: string | undefined;
  /** How far the current (or last) seal got; undefined before a seal starts. */
  sealProgress: SealProgressRecord | undefined;
}

/** A seal's progress as recorded, with when it was recorded. */
export interface SealProgressRecord extends SealProgress {
  updatedAt: Date;
}

/** One capture series: one producer of one person. */
export interface TrackRecord {
  trackId: string;
  reviewId: string;
  producerId: string;
  personId: string;
  displayName: string;
  role: Role;
  source: MediaSource;
  kind: 'audio' | 'video';
  codec: string;
  /** File extension of its segments (webm, mkv). */
  extension: string;
  startedAt: Date;
  endedAt: Date | undefined;
}

/** One closed segment file of a track. */
export interface SegmentRecord {
  trackId: string;
  reviewId: string;
  seq: number;
  key: string;
  /** Where the file waits in the spool until S3 confirms it. */
  localPath: string;
  sha256: string;
  size: number;
  startedAt: Date;
  endedAt: Date;
  uploadedAt: Date | undefined;
  versionId: string | undefined;
}

/** A span without media on a track. */
export interface GapRecord {
  trackId: string;
  reviewId: string;
  from: Date;
  to: Date;
  reason: string;
}

/** What sealing stores about the finished recording. */
export interface SealRecord {
  manifestKey: string;
  /** Undefined when nothing was recorded: the manifest alone is sealed. */
  compositeKey: string | undefined;
  compositeSha256: string | undefined;
  sealedAt: Date;
}

/** Persistence of the recording pipeline's metadata. */
export interface RecordingStore {
  /** Creates the recording row if missing; returns the row either way. */
  ensureRecording(reviewId: string, retainUntil: Date, now: Date): RecordingRecord;
  getRecording(reviewId: string): RecordingRecord | undefined;
  /** Recordings a crash may have left unsealed (recording or finalising). */
  unsealedRecordings(): RecordingRecord[];
  setRecordingState(
    reviewId: string,
    state: StoredRecordingState,
    failure?: string,
  ): void;
  saveReviewSnapshot(
    reviewId: string,
    snapshot: { review: Review; events: ReviewEvent[] },
  ): void;
  markSealed(reviewId: string, seal: SealRecord): void;
  /** Records how far the seal of `reviewId` got (the latest write wins). */
  recordSealProgress(reviewId: string, progress: SealProgressRecord): void;
  /** Forgets a seal's progress (a new attempt starts from nothing). */
  clearSealProgress(reviewId: string): void;

  addTrack(track: TrackRecord): void;
  endTrack(trackId: string, endedAt: Date): void;
  tracksOf(reviewId: string): TrackRecord[];

  /** Records a closed segment waiting in the spool (idempotent per track and seq). */
  addSegment(segment: SegmentRecord): void;
  markSegmentUploaded(
    trackId: string,
    seq: number,
    uploadedAt: Date,
    versionId: string | undefined,
  ): void;
  segmentsOf(reviewId: string): SegmentRecord[];
  /** Segments S3 has not confirmed yet, oldest first. */
  pendingSegments(): SegmentRecord[];

  addGap(gap: GapRecord): void;
  gapsOf(reviewId: string): GapRecord[];
}
