/**
 * The reviews API: operators create reviews, cancel them before they start
 * and read their log; a join page checks its token and learns what it opens.
 */
import { Router } from 'express';
import { AppError } from '../errors.ts';
import { newReviewInputSchema } from '../review/new-review-input.ts';
import type { ReviewService } from '../review/review-service.ts';
import type { ReviewStore } from '../review/review-store.ts';
import type { SessionRegistry } from '../review/session-registry.ts';
import { bearerToken, requireOperatorKey } from './bearer.ts';

/** How the router is wired. */
export interface ReviewsRouterOptions {
  reviews: ReviewService;
  store: ReviewStore;
  /** Cancelling reaches people already waiting in the review's session. */
  sessions: SessionRegistry;
  operatorKey: string | undefined;
}

/** Routes under /api. */
export function reviewsRouter(options: ReviewsRouterOptions): Router {
  const router = Router();
  const operatorOnly = requireOperatorKey(options.operatorKey);

  router.post('/reviews', operatorOnly, async (req, res) => {
    if (req.body === undefined) {
      throw new AppError('BAD_REQUEST', 'The request body must be a JSON object');
    }
    const parsed = newReviewInputSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'The review is not valid', {
        details: {
          issues: parsed.error.issues.map((i) => ({
            path: i.path.join('.'),
            message: i.message,
          })),
        },
      });
    }

    const created = await options.reviews.createReview(parsed.data);
    res.status(201).json({ ok: true, data: created });
  });

  router.get('/reviews/:reviewId', operatorOnly, async (req, res) => {
    const review = await options.reviews.getReview(String(req.params.reviewId));
    const events = await options.store.listEvents(review.reviewId);
    res.json({ ok: true, data: { review, events } });
  });

  // Calls off a review that has not started; repeating it answers the same.
  router.post('/reviews/:reviewId/cancel', operatorOnly, async (req, res) => {
    const reviewId = String(req.params.reviewId);
    await options.sessions.cancel(reviewId);
    const review = await options.reviews.getReview(reviewId);
    res.json({ ok: true, data: { review } });
  });

  router.get('/session', async (req, res) => {
    const { review, person } = await options.reviews.identify(bearerToken(req));
    res.json({
      ok: true,
      data: {
        review: {
          reviewId: review.reviewId,
          subject: review.subject,
          claimedCategory: review.claimedCategory,
          format: review.format,
          scheduledStart: review.scheduledStart,
          state: review.state,
          people: review.people.map((p) => ({
            displayName: p.displayName,
            role: p.role,
          })),
        },
        you: {
          personId: person.personId,
          displayName: person.displayName,
          role: person.role,
        },
      },
    });
  });

  return router;
}
