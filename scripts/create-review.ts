/**
 * Operator command: creates a review through the running service's API and
 * prints one join link per person. The operator key comes from
 * SARAPTA_OPERATOR_KEY, the service address from --url or the configuration.
 *
 *   node scripts/create-review.ts --subject "Physics, grade 9" \
 *     --category teacher-expert --start 2026-03-02T10:00:00+05:00 \
 *     --attestee "Aigerim Sadykova" --chair "Nurlan Abenov" \
 *     --expert "Dana Omarova" --expert "Marat Ibraev"
 */
import { loadConfig } from '../server/config/config.ts';
import type { CreatedReview } from '../server/review/review-service.ts';
import {
  operatorKeyFromEnvironment,
  postToOperatorApi,
  printRefusal,
  readCommandLine,
  runOperatorCommand,
  serviceListenUrl,
  UsageError,
} from './lib/operator-command.ts';
import { reviewInputFromOptions } from './lib/review-options.ts';

const USAGE = `Usage: node scripts/create-review.ts --subject TEXT --category CATEGORY --start ISO-TIME
         --attestee NAME --chair NAME [--expert NAME]... [--room-device NAME] [--url URL]
  CATEGORY: teacher | teacher-moderator | teacher-expert | teacher-researcher | teacher-master
  ISO-TIME: date and time with its offset from UTC, e.g. 2026-12-10T10:00:00+05:00
  --room-device makes the review in-person, recorded by that device.
  --url: the service's address; by default http://SARAPTA_HTTP_HOST:SARAPTA_HTTP_PORT.
  Needs SARAPTA_OPERATOR_KEY (the key the service was started with).`;

async function main(): Promise<number> {
  const values = readCommandLine(USAGE, {
    subject: { type: 'string' },
    category: { type: 'string' },
    start: { type: 'string' },
    attestee: { type: 'string' },
    chair: { type: 'string' },
    expert: { type: 'string', multiple: true, default: [] },
    'room-device': { type: 'string' },
    url: { type: 'string' },
  });
  if (!values) return 0;

  const input = reviewInputFromOptions(values);
  if (!input.ok) throw new UsageError(`${input.problems.join('\n')}\n${USAGE}`);

  const operatorKey = operatorKeyFromEnvironment(USAGE);
  if (!operatorKey) return 2;
  const base = values.url ?? serviceListenUrl(loadConfig());

  const reply = await postToOperatorApi<CreatedReview>(
    base,
    '/api/reviews',
    operatorKey,
    input.input,
  );
  if (!reply.ok) {
    printRefusal(reply.error, USAGE);
    return 1;
  }

  console.log(`Review ${reply.data.review.reviewId}: ${reply.data.review.subject}`);
  for (const link of reply.data.links) {
    console.log(`  ${link.role.padEnd(11)} ${link.displayName}\n    ${link.url}`);
  }
  return 0;
}

runOperatorCommand(main);
