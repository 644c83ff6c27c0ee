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
} from './lib/operator-command.ts';

const USAGE = `Usage: node scripts/create-review.ts --subject TEXT --category CATEGORY --start ISO-TIME
         --attestee NAME --chair NAME [--expert NAME]... [--room-device NAME] [--url URL]
  CATEGORY: teacher | teacher-moderator | teacher-expert | teacher-researcher | teacher-master
  --room-device makes the review in-person, recorded by that device.
  Needs SARAPTA_OPERATOR_KEY.`;

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

  const operatorKey = operatorKeyFromEnvironment(USAGE);
  if (!operatorKey) return 2;
  const config = loadConfig();
  const base = values.url ?? serviceListenUrl(config);
  const roomDevice = values['room-device'];

  const reply = await postToOperatorApi<CreatedReview>(
    base,
    '/api/reviews',
    operatorKey,
    {
      subject: values.subject,
      claimedCategory: values.category,
      scheduledStart: values.start,
      format: roomDevice ? 'in-person' : 'remote',
      attestee:
        values.attestee === undefined ? undefined : { displayName: values.attestee },
      chair: values.chair === undefined ? undefined : { displayName: values.chair },
      experts: values.expert.map((displayName) => ({ displayName })),
      ...(roomDevice ? { roomDevice: { displayName: roomDevice } } : {}),
    },
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
