/**
 * Sealing: turns a finished recording's stored segments into the composite
 * MP4 (H.264 + AAC, faststart) and the manifest with its hash chain, both
 * written under Object Lock, then marks the recording sealed.
 *
 * The composite is built from the bytes S3 holds (each verified against the
 * hash recorded at capture), so what is sealed is exactly what is stored, and
 * the same path serves a recording left unsealed by a crash. A recording with
 * no media at all (nobody was admitted) is sealed as its manifest alone: the
 * events and participants, zero segments, no composite.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../server/errors.ts';
import type { Logger } from '../server/log/logger.ts';
import type { Review, ReviewEvent } from '../server/review/review-types.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import type { RecordingLanguage } from './composite-labels.ts';
import { planComposite, type CompositeTrackInput } from './composite-plan.ts';
import { renderComposite } from './composite-render.ts';
import {
  MANIFEST_VERSION,
  CHAIN_GENESIS,
  chainHead,
  chainItems,
  recordingKeys,
  sha256Hex,
  type CompositeEntry,
  type RecordingManifest,
  type TrackEntry,
} from './manifest.ts';
import type {
  RecordingStore,
  SealProgressRecord,
  SegmentRecord,
  TrackRecord,
} from './recording-store.ts';
import { hashFile } from './segment-uploader.ts';

const run = promisify(execFile);

/** Debian's fonts-dejavu-core: Latin and Cyrillic, so Kazakh and Russian names render. */
export const DEFAULT_LABEL_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** Options of the sealer; each field shows its default. */
export interface RecordingSealerOptions {
  store: RecordingStore;
  objectStore: ObjectStore;
  ffmpegPath: string;
  ffprobePath: string;
  /** Scratch space for downloaded segments and the composite. */
  workDirectory: string;
  logger: Logger;
  /** Default DEFAULT_LABEL_FONT. */
  fontFile?: string;
  /** x264 preset of the composite. Default 'veryfast'. */
  preset?: string;
  /** Language of the composite's burned-in words. Default 'ru'. */
  language?: RecordingLanguage;
}

/** What a manifest lists, read once per seal from the recording store. */
interface ManifestContents {
  retainUntil: Date;
  snapshot: { review: Review; events: ReviewEvent[] };
  tracks: readonly TrackRecord[];
  segments: readonly SegmentRecord[];
}

/** Progress of one seal, for status events and the archive. */
export interface SealProgress {
  stage: 'downloading' | 'composing' | 'uploading' | 'sealed';
  /**
   * 0..1 within the stage: segments checked while downloading, timeline
   * rendered while composing; uploading starts at 0, sealed is 1.
   */
  fraction: number;
}

/** A running seal's progress is written at least this long apart... */
export const SEAL_PROGRESS_INTERVAL_MS = 1000;
/** ...unless it moved by at least this much (5 %) since the last write. */
export const SEAL_PROGRESS_STEP = 0.05;
const FRACTION_TOLERANCE = 1e-9;

/**
 * Whether `next` is worth writing after `last` (written at `last.updatedAt`):
 * a new stage always is; the same fraction never is; otherwise a second must
 * have passed or the fraction moved by SEAL_PROGRESS_STEP. ffmpeg reports
 * several times a second, and a 30-minute composite renders for ten minutes.
 */
export function isSealProgressWorthRecording(
  last: SealProgressRecord | undefined,
  next: SealProgress,
  now: Date,
): boolean {
  if (!last || last.stage !== next.stage) return true;
  if (next.fraction === last.fraction) return false;

  return (
    now.getTime() - last.updatedAt.getTime() >= SEAL_PROGRESS_INTERVAL_MS ||
    // The tolerance keeps 0.45 - 0.4 (0.0499999…) a step of 5 %.
    Math.abs(next.fraction - last.fraction) >= SEAL_PROGRESS_STEP - FRACTION_TOLERANCE
  );
}

/** Builds and stores the composite and manifest of a finished recording. */
export class RecordingSealer {
  readonly #options: RecordingSealerOptions;

  constructor(options: RecordingSealerOptions) {
    this.#options = options;
  }

  /** Seals `reviewId`; a recording already sealed is left as it is. */
  async seal(
    reviewId: string,
    onProgress: (progress: SealProgress) => void = () => undefined,
    signal?: AbortSignal,
  ): Promise<RecordingManifest | undefined> {
    // A seal queued behind others when the service closed is left for the next start.
    signal?.throwIfAborted();
    const { store } = this.#options;
    const log = this.#options.logger.child({ reviewId, recordingId: reviewId });
    const recording = store.getRecording(reviewId);
    if (!recording)
      throw new AppError('NOT_FOUND', `No recording for review ${reviewId}`);
    if (recording.state === 'sealed' || recording.state === 'expired') return undefined;
    if (!recording.reviewSnapshot) {
      throw new AppError(
        'RECORDING_FAILED',
        'Recording has no review snapshot to seal with',
      );
    }

    const segments = store.segmentsOf(reviewId);
    const waiting = segments.filter((s) => !s.uploadedAt);
    if (waiting.length > 0) {
      throw new AppError('STORAGE_UNAVAILABLE', 'Segments are still waiting for S3', {
        details: { waiting: waiting.length },
      });
    }

    store.setRecordingState(reviewId, 'finalising');
    const contents: ManifestContents = {
      retainUntil: recording.retainUntil,
      snapshot: recording.reviewSnapshot,
      tracks: store.tracksOf(reviewId),
      segments,
    };
    if (segments.length === 0) {
      // Nobody's media was captured (a review cancelled in its lobby, say):
      // there is no composite to render, but who came and what happened is
      // evidence too, so the manifest is sealed alone, with no tracks' media.
      onProgress({ stage: 'uploading', fraction: 0 });
      const manifest = await this.#storeManifest(reviewId, contents);
      onProgress({ stage: 'sealed', fraction: 1 });
      log.info(
        { tracks: manifest.tracks.length, chainHead: manifest.chain.head },
        'recording sealed with nothing recorded',
      );
      return manifest;
    }

    const work = await fs.promises.mkdtemp(
      path.join(this.#options.workDirectory, `seal-${reviewId}-`),
    );
    try {
      onProgress({ stage: 'downloading', fraction: 0 });
      const { tracks } = contents;
      const inputs: CompositeTrackInput[] = [];
      let downloaded = 0;
      for (const track of tracks) {
        const own = segments.filter((s) => s.trackId === track.trackId);
        const files = [];
        for (const segment of own) {
          const filePath = path.join(
            work,
            `${track.trackId}-${segment.seq}.${track.extension}`,
          );
          await this.#download(segment.key, segment.sha256, filePath);
          downloaded++;
          onProgress({ stage: 'downloading', fraction: downloaded / segments.length });
          files.push({
            filePath,
            startedAt: segment.startedAt,
            endedAt: segment.endedAt,
          });
        }
        inputs.push({ ...track, segments: files });
      }

      onProgress({ stage: 'composing', fraction: 0 });
      const compositePath = path.join(work, 'composite.mp4');
      const plan = planComposite(inputs, {
        fontFile: this.#options.fontFile ?? DEFAULT_LABEL_FONT,
        labelFile: (name) => path.join(work, `${name}.txt`),
        language: this.#options.language,
      });
      await renderComposite(plan, {
        workDirectory: work,
        outputPath: compositePath,
        ffmpegPath: this.#options.ffmpegPath,
        preset: this.#options.preset,
        onProgress: (fraction) => onProgress({ stage: 'composing', fraction }),
        signal,
      });

      onProgress({ stage: 'uploading', fraction: 0 });
      const compositeKey = recordingKeys.composite(reviewId);
      const { sha256, size } = await hashFile(compositePath);
      const durationSeconds = await this.#probeDuration(compositePath);
      await this.#options.objectStore.putLocked({
        key: compositeKey,
        body: fs.createReadStream(compositePath),
        contentType: 'video/mp4',
        retainUntil: recording.retainUntil,
        sha256,
      });

      const manifest = await this.#storeManifest(reviewId, contents, {
        key: compositeKey,
        sha256,
        size,
        durationSeconds,
        startedAt: plan.timelineStart.toISOString(),
      });
      onProgress({ stage: 'sealed', fraction: 1 });
      log.info(
        { durationSeconds, segments: segments.length, chainHead: manifest.chain.head },
        'recording sealed',
      );

      return manifest;
    } finally {
      await fs.promises.rm(work, { recursive: true, force: true });
    }
  }

  /**
   * Writes the manifest (every track with its segments and gaps, the events,
   * the composite when there is one, the hash chain) under Object Lock and
   * marks the recording sealed.
   */
  async #storeManifest(
    reviewId: string,
    recording: ManifestContents,
    composite?: CompositeEntry,
  ): Promise<RecordingManifest> {
    const { store } = this.#options;
    const sealedAt = new Date();
    const gaps = store.gapsOf(reviewId);
    const { review, events } = recording.snapshot;
    const { segments } = recording;
    const trackEntries: TrackEntry[] = recording.tracks.map((track) => {
      const own = segments.filter((s) => s.trackId === track.trackId);
      const lastEnd = own.at(-1)?.endedAt ?? track.startedAt;
      return {
        trackId: track.trackId,
        personId: track.personId,
        displayName: track.displayName,
        role: track.role,
        source: track.source,
        kind: track.kind,
        codec: track.codec,
        startedAt: (own[0]?.startedAt ?? track.startedAt).toISOString(),
        endedAt: (track.endedAt ?? lastEnd).toISOString(),
        segments: own.map((s) => ({
          key: s.key,
          seq: s.seq,
          startedAt: s.startedAt.toISOString(),
          endedAt: s.endedAt.toISOString(),
          size: s.size,
          sha256: s.sha256,
        })),
        gaps: gaps
          .filter((g) => g.trackId === track.trackId)
          .map((g) => ({
            from: g.from.toISOString(),
            to: g.to.toISOString(),
            reason: g.reason,
          })),
      };
    });
    const unchained: Omit<RecordingManifest, 'chain'> = {
      version: MANIFEST_VERSION,
      reviewId,
      review: {
        subject: review.subject,
        claimedCategory: review.claimedCategory,
        format: review.format,
        scheduledStart: review.scheduledStart,
        startedAt: review.startedAt,
        endedAt: review.endedAt,
        endReason: review.endReason,
        consentAt: review.consentAt,
      },
      participants: review.people,
      events,
      retainUntil: recording.retainUntil.toISOString(),
      tracks: trackEntries,
      ...(composite ? { composite } : {}),
      sealedAt: sealedAt.toISOString(),
    };
    const manifest: RecordingManifest = {
      ...unchained,
      chain: {
        algorithm: 'sha256',
        genesis: CHAIN_GENESIS,
        head: chainHead(chainItems(unchained)),
      },
    };
    const manifestBody = Buffer.from(JSON.stringify(manifest, null, 2));
    const manifestKey = recordingKeys.manifest(reviewId);
    await this.#options.objectStore.putLocked({
      key: manifestKey,
      body: manifestBody,
      contentType: 'application/json',
      retainUntil: recording.retainUntil,
      sha256: sha256Hex(manifestBody),
    });

    store.markSealed(reviewId, {
      manifestKey,
      compositeKey: composite?.key,
      compositeSha256: composite?.sha256,
      sealedAt,
    });

    return manifest;
  }

  async #download(key: string, expectedSha256: string, filePath: string): Promise<void> {
    const body = await this.#options.objectStore.getBuffer(key);
    const actual = sha256Hex(body);
    if (actual !== expectedSha256) {
      throw new AppError(
        'INTEGRITY_MISMATCH',
        `Stored segment ${key} does not match its hash`,
        {
          details: { key, expectedSha256, actual },
        },
      );
    }
    await fs.promises.writeFile(filePath, body);
  }

  async #probeDuration(file: string): Promise<number> {
    const { stdout } = await run(this.#options.ffprobePath, [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'default=noprint_wrappers=1:nokey=1',
      file,
    ]);

    return Number(stdout.trim());
  }
}
