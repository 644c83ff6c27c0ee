/**
 * What a review needs from its recorder. The recording service (recording/)
 * implements it; the review server depends on this interface only, so rooms
 * and their rules run and are tested without ffmpeg or S3.
 */
import type { Producer, Router } from 'mediasoup/types';
import type { RecordingState } from '../signalling/protocol.ts';
import type { MediaSource, Role } from './review-types.ts';

/** Who and what a recorded track is. */
export interface TrackInfo {
  peerId: string;
  personId: string;
  displayName: string;
  role: Role;
  source: MediaSource;
}

/** The recorder's progress, as shown to the council and used by the start rule. */
export interface RecorderStatus {
  state: RecordingState;
  /** Tracks whose capture has written media. */
  tracksWriting: number;
  /** Tracks the recorder was asked to capture and still has. */
  tracksExpected: number;
}

/** The recorder of one review. */
export interface ReviewRecorderPort {
  /** Starts capturing a producer as its own track. */
  addTrack(producer: Producer, info: TrackInfo): Promise<void>;
  /** The producer is gone: its track ends (it stays in the recording). */
  removeTrack(producerId: string): void;
  /** The current status, read synchronously by the start rule. */
  status(): RecorderStatus;
  /** Called whenever status() would return something new. */
  on(event: 'status', listener: (status: RecorderStatus) => void): void;
  /** The review ended: finalises every capture (then seals). Resolves when the media is safe. Idempotent. */
  stop(reason: string): Promise<void>;
  /**
   * The review goes on later (its session closed for a shutdown or a media
   * worker's death): finalises every capture and leaves the recording open
   * for the next recorder of the review. Idempotent.
   */
  suspend(reason: string): Promise<void>;
}

/** Creates the recorder of one review on that review's router. */
export type RecorderFactory = (reviewId: string, router: Router) => ReviewRecorderPort;

/** Whether the recorder has media from every track it expects (the start rule). */
export function isRecordingEveryTrack(status: RecorderStatus): boolean {
  return status.tracksExpected > 0 && status.tracksWriting === status.tracksExpected;
}
