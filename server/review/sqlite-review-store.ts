/**
 * ReviewStore on the service's SQLite database (node:sqlite). Statements are
 * prepared once; node:sqlite is synchronous, so each method finishes before
 * it returns and the event sequence cannot interleave within one process.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { inTransaction } from '../store/database.ts';
import type {
  NewReview,
  NewReviewEvent,
  ReviewStore,
  StateChange,
} from './review-store.ts';
import type {
  EndReason,
  Person,
  QualificationCategory,
  Review,
  ReviewEvent,
  ReviewEventType,
  ReviewFormat,
  ReviewState,
  Role,
} from './review-types.ts';

type Row = Record<string, unknown>;

/** The SQLite implementation of ReviewStore. */
export class SqliteReviewStore implements ReviewStore {
  readonly #db: DatabaseSync;
  readonly #insertReview: StatementSync;
  readonly #insertPerson: StatementSync;
  readonly #selectReview: StatementSync;
  readonly #selectPeople: StatementSync;
  readonly #updateState: StatementSync;
  readonly #updateConsent: StatementSync;
  readonly #insertEvent: StatementSync;
  readonly #selectEvents: StatementSync;

  /** `db` must have REVIEW_MIGRATIONS applied. */
  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insertReview = db.prepare(
      `INSERT INTO reviews (review_id, subject, claimed_category, format, scheduled_start,
         state, created_at) VALUES (?, ?, ?, ?, ?, 'scheduled', ?)`,
    );
    this.#insertPerson = db.prepare(
      'INSERT INTO review_people (review_id, person_id, display_name, role) VALUES (?, ?, ?, ?)',
    );
    this.#selectReview = db.prepare('SELECT * FROM reviews WHERE review_id = ?');
    this.#selectPeople = db.prepare(
      'SELECT person_id, display_name, role FROM review_people WHERE review_id = ? ORDER BY rowid',
    );
    this.#updateState = db.prepare(
      `UPDATE reviews SET state = ?,
         started_at = COALESCE(?, started_at),
         ended_at = COALESCE(?, ended_at),
         end_reason = COALESCE(?, end_reason)
       WHERE review_id = ?`,
    );
    this.#updateConsent = db.prepare(
      'UPDATE reviews SET consent_at = COALESCE(consent_at, ?) WHERE review_id = ?',
    );
    // One statement computes and inserts the next number, so two writers cannot take the same.
    this.#insertEvent = db.prepare(
      `INSERT INTO review_events (review_id, seq, at, type, person_id, data_json)
       SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM review_events WHERE review_id = ?
       RETURNING seq`,
    );
    this.#selectEvents = db.prepare(
      'SELECT * FROM review_events WHERE review_id = ? ORDER BY seq',
    );
  }

  async createReview(review: NewReview): Promise<Review> {
    inTransaction(this.#db, () => {
      this.#insertReview.run(
        review.reviewId,
        review.subject,
        review.claimedCategory,
        review.format,
        review.scheduledStart,
        new Date().toISOString(),
      );
      for (const person of review.people) {
        this.#insertPerson.run(
          review.reviewId,
          person.personId,
          person.displayName,
          person.role,
        );
      }
    });

    const stored = await this.getReview(review.reviewId);
    if (!stored) throw new Error(`Review ${review.reviewId} vanished after insert`);

    return stored;
  }

  async getReview(reviewId: string): Promise<Review | undefined> {
    const row = this.#selectReview.get(reviewId) as Row | undefined;
    if (!row) return undefined;

    const people = (this.#selectPeople.all(reviewId) as Row[]).map(toPerson);

    return toReview(row, people);
  }

  async reviewIdsIn(state: ReviewState): Promise<string[]> {
    const rows = this.#db
      .prepare('SELECT review_id FROM reviews WHERE state = ? ORDER BY created_at')
      .all(state) as Row[];

    return rows.map((row) => String(row.review_id));
  }

  async changeState(reviewId: string, change: StateChange): Promise<void> {
    this.#updateState.run(
      change.state,
      change.startedAt ?? null,
      change.endedAt ?? null,
      change.endReason ?? null,
      reviewId,
    );
  }

  async recordConsent(reviewId: string, at: string): Promise<void> {
    this.#updateConsent.run(at, reviewId);
  }

  async appendEvent(reviewId: string, event: NewReviewEvent): Promise<ReviewEvent> {
    const row = this.#insertEvent.get(
      reviewId,
      event.at,
      event.type,
      event.personId ?? null,
      event.data ? JSON.stringify(event.data) : null,
      reviewId,
    ) as Row;

    return { reviewId, seq: Number(row.seq), ...event };
  }

  async listEvents(reviewId: string): Promise<ReviewEvent[]> {
    return (this.#selectEvents.all(reviewId) as Row[]).map(toEvent);
  }
}

function toPerson(row: Row): Person {
  return {
    personId: String(row.person_id),
    displayName: String(row.display_name),
    role: String(row.role) as Role,
  };
}

function toReview(row: Row, people: Person[]): Review {
  const review: Review = {
    reviewId: String(row.review_id),
    subject: String(row.subject),
    claimedCategory: String(row.claimed_category) as QualificationCategory,
    format: String(row.format) as ReviewFormat,
    scheduledStart: String(row.scheduled_start),
    state: String(row.state) as ReviewState,
    people,
  };
  if (typeof row.started_at === 'string') review.startedAt = row.started_at;
  if (typeof row.ended_at === 'string') review.endedAt = row.ended_at;
  if (typeof row.end_reason === 'string') review.endReason = row.end_reason as EndReason;
  if (typeof row.consent_at === 'string') review.consentAt = row.consent_at;

  return review;
}

function toEvent(row: Row): ReviewEvent {
  const event: ReviewEvent = {
    reviewId: String(row.review_id),
    seq: Number(row.seq),
    at: String(row.at),
    type: String(row.type) as ReviewEventType,
  };
  if (typeof row.person_id === 'string') event.personId = row.person_id;
  if (typeof row.data_json === 'string') {
    event.data = JSON.parse(row.data_json) as Record<string, unknown>;
  }

  return event;
}
