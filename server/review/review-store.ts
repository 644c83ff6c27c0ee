/**
 * Where reviews, their people and their event log are kept. The service talks
 * to this interface only; SQLite implements it today (sqlite-review-store.ts)
 * and a PostgreSQL store could replace it when Sarapta runs on several hosts.
 */
import type {
  EndReason,
  Person,
  QualificationCategory,
  Review,
  ReviewEvent,
  ReviewEventType,
  ReviewFormat,
  ReviewState,
} from './review-types.ts';

/** What is needed to create a review; the store sets state and creation time. */
export interface NewReview {
  reviewId: string;
  subject: string;
  claimedCategory: QualificationCategory;
  format: ReviewFormat;
  scheduledStart: string;
  people: Person[];
}

/** A change of state, with the timestamps that go with it. */
export interface StateChange {
  state: ReviewState;
  startedAt?: string;
  endedAt?: string;
  endReason?: EndReason;
}

/** An event before the store gives it its sequence number. */
export interface NewReviewEvent {
  at: string;
  type: ReviewEventType;
  personId?: string;
  data?: Record<string, unknown>;
}

/** Persistence of reviews and their event logs. */
export interface ReviewStore {
  /** Stores a new review in state 'scheduled' with its people. */
  createReview(review: NewReview): Promise<Review>;
  /** The review with its people, or undefined when there is none. */
  getReview(reviewId: string): Promise<Review | undefined>;
  /** Ids of the reviews in `state`, oldest first. */
  reviewIdsIn(state: ReviewState): Promise<string[]>;
  /** Moves a review to another state. */
  changeState(reviewId: string, change: StateChange): Promise<void>;
  /** Records when the attestee consented to the recording. */
  recordConsent(reviewId: string, at: string): Promise<void>;
  /** Appends to the review's log; the sequence number grows by one per event. */
  appendEvent(reviewId: string, event: NewReviewEvent): Promise<ReviewEvent>;
  /** The review's log in order. */
  listEvents(reviewId: string): Promise<ReviewEvent[]>;
}
