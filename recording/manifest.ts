/**
 * The recording manifest: the self-describing record of one review's
 * evidence, stored beside the media as `recordings/<reviewId>/manifest.json`.
 * With the manifests alone the archive index can be rebuilt.
 *
 * Integrity: every stored object (segments, composite) is listed with its
 * SHA-256, and a hash chain runs over those entries in a fixed order, so
 * removing, reordering or altering any entry breaks the chain's head.
 */
import { createHash } from 'node:crypto';
import type {
  EndReason,
  MediaSource,
  Person,
  QualificationCategory,
  ReviewEvent,
  ReviewFormat,
} from '../server/review/review-types.ts';

export const MANIFEST_VERSION = 1;
export const CHAIN_GENESIS = 'sarapta-recording-chain-v1';

/** S3 key layout of one recording. */
export const recordingKeys = {
  prefix: (reviewId: string) => `recordings/${reviewId}/`,
  manifest: (reviewId: string) => `recordings/${reviewId}/manifest.json`,
  composite: (reviewId: string) => `recordings/${reviewId}/composite.mp4`,
  segment: (reviewId: string, trackId: string, seq: number, extension: string) =>
    `recordings/${reviewId}/tracks/${trackId}/${String(seq).padStart(6, '0')}.${extension}`,
};

export interface SegmentEntry {
  key: string;
  seq: number;
  /** Wall-clock span of the media in this segment (ISO). */
  startedAt: string;
  endedAt: string;
  size: number;
  sha256: string;
}

/** A span with no media for a track (capture crash, S3 loss, producer gap). */
export interface GapEntry {
  from: string;
  to: string;
  reason: string;
}

/** One captured producer: a "series" of segments for one person and source. */
export interface TrackEntry {
  trackId: string;
  personId: string;
  displayName: string;
  role: Person['role'];
  source: MediaSource;
  kind: 'audio' | 'video';
  codec: string;
  startedAt: string;
  endedAt: string;
  segments: SegmentEntry[];
  gaps: GapEntry[];
}

export interface CompositeEntry {
  key: string;
  sha256: string;
  size: number;
  durationSeconds: number;
  /**
   * The wall-clock instant (ISO) shown at the composite's 0:00: the start of
   * the earliest segment, which is when the first person's media began (the
   * chair's admission), not the review's start. Absent in manifests sealed
   * before it was recorded; the earliest segment's start is the same instant.
   */
  startedAt?: string;
}

export interface RecordingManifest {
  version: typeof MANIFEST_VERSION;
  reviewId: string;
  review: {
    subject: string;
    claimedCategory: QualificationCategory;
    format: ReviewFormat;
    scheduledStart: string;
    startedAt?: string;
    endedAt?: string;
    endReason?: EndReason;
    consentAt?: string;
  };
  participants: Person[];
  events: ReviewEvent[];
  /** Object Lock retention date of every object of this recording (ISO). */
  retainUntil: string;
  /** Empty when no media was captured (nobody admitted): then there is no composite. */
  tracks: TrackEntry[];
  composite?: CompositeEntry;
  sealedAt: string;
  chain: { algorithm: 'sha256'; genesis: typeof CHAIN_GENESIS; head: string };
}

/** One link of the chain: an object's key and SHA-256. */
export interface ChainItem {
  key: string;
  sha256: string;
}

/**
 * The chain's items in their fixed order: each track's segments in sequence
 * (tracks ordered by trackId), then the composite, then a digest of the
 * review events so the timeline is covered too.
 */
export function chainItems(manifest: Omit<RecordingManifest, 'chain'>): ChainItem[] {
  const items: ChainItem[] = [];
  const tracks = [...manifest.tracks].sort((a, b) => a.trackId.localeCompare(b.trackId));
  for (const track of tracks) {
    for (const segment of [...track.segments].sort((a, b) => a.seq - b.seq)) {
      items.push({ key: segment.key, sha256: segment.sha256 });
    }
  }

  if (manifest.composite) {
    items.push({ key: manifest.composite.key, sha256: manifest.composite.sha256 });
  }

  items.push({ key: 'events', sha256: sha256Hex(JSON.stringify(manifest.events)) });

  return items;
}

/** head = sha256(previous + "\n" + key + "\n" + sha256) folded from the genesis. */
export function chainHead(items: readonly ChainItem[]): string {
  let head = sha256Hex(CHAIN_GENESIS);
  for (const item of items) head = sha256Hex(`${head}\n${item.key}\n${item.sha256}`);

  return head;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
