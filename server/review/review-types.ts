/**
 * The review domain's vocabulary, shared by the server, the recorder, the
 * archive and (as types only) the browser client.
 */

/** Who a person is in a review. The chair runs it; experts watch and ask. */
export type Role = 'attestee' | 'chair' | 'expert' | 'room-device';

/** remote: everyone joins from a browser; in-person: one room device joins to be recorded. */
export type ReviewFormat = 'remote' | 'in-person';

/** scheduled -> lobby (first join) -> live (chair starts) -> ended; or cancelled. */
export type ReviewState = 'scheduled' | 'lobby' | 'live' | 'ended' | 'cancelled';

/** Why a review ended. */
export type EndReason = 'time-limit' | 'chair' | 'shutdown' | 'cancelled';

/** The qualification category the attestee claims. */
export type QualificationCategory =
  | 'teacher'
  | 'teacher-moderator'
  | 'teacher-expert'
  | 'teacher-researcher'
  | 'teacher-master';

/** The council's recommendation for the attestee. */
export type Recommendation = 'matches' | 'does-not-match' | 'matches-one-level-lower';

/** What a producer carries: each is recorded as its own track. */
export type MediaSource = 'microphone' | 'camera' | 'screen';

export interface Person {
  personId: string;
  displayName: string;
  role: Role;
}

export interface Review {
  reviewId: string;
  subject: string;
  claimedCategory: QualificationCategory;
  format: ReviewFormat;
  scheduledStart: string;
  state: ReviewState;
  people: Person[];
  /** When the chair started the clock (ISO), once live. */
  startedAt?: string;
  endedAt?: string;
  endReason?: EndReason;
  /** When the attestee consented to the recording (ISO). */
  consentAt?: string;
}

/** Kinds of timestamped review events; together they are the review's log. */
export type ReviewEventType =
  | 'created'
  | 'join'
  | 'leave'
  | 'drop'
  | 'rejoin'
  | 'consent'
  | 'admit'
  | 'refuse'
  | 'mute'
  | 'remove'
  | 'start'
  | 'warning'
  | 'end'
  | 'recording-degraded'
  | 'recording-restored'
  | 'media-interrupted'
  | 'media-restored'
  /** The session closed under a review that goes on (media worker died, shutdown). */
  | 'session-interrupted'
  /** A new session opened for a live review; its clock runs on from the start. */
  | 'session-resumed';

export interface ReviewEvent {
  reviewId: string;
  seq: number;
  at: string;
  type: ReviewEventType;
  personId?: string;
  data?: Record<string, unknown>;
}
