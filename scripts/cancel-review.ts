/**
 * Operator command: cancels a review that has not started, through the
 * running service's API. People waiting in it are shown that it was
 * cancelled, and its links stop opening it. A live review is ended by its
 * chair instead. The operator key comes from SARAPTA_OPERATOR_KEY.
 *
 *   node scripts/cancel-review.ts --review REVIEW_ID [--url URL]
 */
import { loadConfig } from '../server/config/config.ts';
import type { Review } from '../server/review/review-types.ts';
import {
  operatorKeyFromEnvironment,
  postToOperatorApi,
  printRefusal,
  readCommandLine,
  runOperatorCommand,
  serviceListenUrl,
} from './lib/operator-command.ts';

const USAGE = `Usage: node scripts/cancel-review.ts --review REVIEW_ID [--url URL]
  Needs SARAPTA_OPERATOR_KEY.`;

async function main(): Promise<number> {
  const values = readCommandLine(USAGE, {
    review: { type: 'string' },
    url: { type: 'string' },
  });
  if (!values) return 0;

  const reviewId = values.review?.trim();
  if (!reviewId) {
    console.error(USAGE);
    return 2;
  }
  const operatorKey = operatorKeyFromEnvironment(USAGE);
  if (!operatorKey) return 2;
  const base = values.url ?? serviceListenUrl(loadConfig());

  const reply = await postToOperatorApi<{ review: Review }>(
    base,
    `/api/reviews/${encodeURIComponent(reviewId)}/cancel`,
    operatorKey,
    {},
  );
  if (!reply.ok) {
    printRefusal(reply.error, USAGE);
    return 1;
  }

  console.log(`Review ${reply.data.review.reviewId} is ${reply.data.review.state}.`);
  return 0;
}

runOperatorCommand(main);
