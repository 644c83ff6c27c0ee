/**
 * Creating reviews with their join links, and recognising the person behind
 * a join token. Live sessions are the registry's business (session-registry.ts).
 */
import { randomUUID } from 'node:crypto';
import type { TokenService } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { NewReviewInput } from './new-review-input.ts';
import type { ReviewStore } from './review-store.ts';
import type { Person, Review, Role } from './review-types.ts';

/** One person's way in: the link is sent to that person only. */
export interface JoinLink {
  personId: string;
  displayName: string;
  role: Role;
  /** `<publicUrl>/join#token=…`: a fragment, so the token stays out of server logs. */
  url: string;
}

/** A created review and the links of its people. */
export interface CreatedReview {
  review: Review;
  links: JoinLink[];
}

/** Who a verified join token belongs to. */
export interface JoinIdentity {
  review: Review;
  person: Person;
}

/** How the service is set up. */
export interface ReviewServiceOptions {
  store: ReviewStore;
  tokens: TokenService;
  /** Base URL of join links; read when a link is made (the port may be chosen at start). */
  publicUrl: () => string;
  /** Join links stay valid this long after the scheduled start. */
  joinTokenTtlSeconds: number;
  logger: Logger;
}

/** Creation of reviews and verification of join tokens. */
export class ReviewService {
  readonly #options: ReviewServiceOptions;
  readonly #log: Logger;

  constructor(options: ReviewServiceOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'review-service' });
  }

  /** Stores a new review and signs one join link per person. */
  async createReview(input: NewReviewInput): Promise<CreatedReview> {
    const reviewId = randomUUID();
    const scheduledStart = new Date(input.scheduledStart).toISOString();
    const expiresAt = new Date(
      Date.parse(scheduledStart) + this.#options.joinTokenTtlSeconds * 1000,
    );
    if (expiresAt.getTime() <= Date.now()) {
      throw new AppError(
        'VALIDATION_FAILED',
        'The scheduled start is so far in the past that the join links would already have expired',
      );
    }

    const person = (role: Role, displayName: string): Person => ({
      personId: randomUUID(),
      displayName,
      role,
    });
    const people: Person[] = [
      person('attestee', input.attestee.displayName),
      person('chair', input.chair.displayName),
      ...input.experts.map((expert) => person('expert', expert.displayName)),
      ...(input.roomDevice ? [person('room-device', input.roomDevice.displayName)] : []),
    ];

    const review = await this.#options.store.createReview({
      reviewId,
      subject: input.subject,
      claimedCategory: input.claimedCategory,
      format: input.format,
      scheduledStart,
      people,
    });
    await this.#options.store.appendEvent(reviewId, {
      at: new Date().toISOString(),
      type: 'created',
      data: { people: people.length, format: input.format },
    });

    const links = await Promise.all(
      people.map(async (p) => ({
        personId: p.personId,
        displayName: p.displayName,
        role: p.role,
        url: `${this.#options.publicUrl()}/join#token=${await this.#options.tokens.signJoin(
          { reviewId, personId: p.personId, role: p.role },
          expiresAt,
        )}`,
      })),
    );
    this.#log.info(
      { reviewId, people: people.length, format: input.format },
      'review created',
    );

    return { review, links };
  }

  /** The review and person a join token opens; throws the token's error otherwise. */
  async identify(token: unknown): Promise<JoinIdentity> {
    const claims = await this.#options.tokens.verifyJoin(token);
    const review = await this.#options.store.getReview(claims.reviewId);
    const person = review?.people.find(
      (p) => p.personId === claims.personId && p.role === claims.role,
    );
    if (!review || !person) {
      throw new AppError('TOKEN_INVALID', 'This link does not belong to any review');
    }

    return { review, person };
  }

  /** A review by id, or NOT_FOUND. */
  async getReview(reviewId: string): Promise<Review> {
    const review = await this.#options.store.getReview(reviewId);
    if (!review) throw new AppError('NOT_FOUND', 'No such review');

    return review;
  }
}
