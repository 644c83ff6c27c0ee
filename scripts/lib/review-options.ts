/**
 * The create-review command's options turned into the API's request body,
 * checked locally with the API's own schema so that a mistake is reported
 * in the command's terms (which --option, and how to write it) instead of
 * as a raw schema path. Pure: no network, no environment.
 */
import {
  newReviewInputSchema,
  type NewReviewInput,
} from '../../server/review/new-review-input.ts';

/** The create-review options as parseArgs gives them. */
export interface ReviewOptions {
  subject?: string | undefined;
  category?: string | undefined;
  start?: string | undefined;
  attestee?: string | undefined;
  chair?: string | undefined;
  expert: string[];
  'room-device'?: string | undefined;
}

/** The request body, or one line per problem naming the option at fault. */
export type ReviewOptionsOutcome =
  { ok: true; input: NewReviewInput } | { ok: false; problems: string[] };

const CATEGORIES = newReviewInputSchema.shape.claimedCategory.options;

/** Which option fills each field of the request body. */
const OPTION_OF_FIELD: Record<string, string> = {
  subject: '--subject',
  claimedCategory: '--category',
  scheduledStart: '--start',
  attestee: '--attestee',
  chair: '--chair',
  experts: '--expert',
  roomDevice: '--room-device',
  format: '--room-device',
};

/** What to write after a missing option. */
const EXAMPLE_OF_OPTION: Record<string, string> = {
  '--subject': '--subject "Physics, grade 9"',
  '--category': `--category ${CATEGORIES.join(' | ')}`,
  '--start': '--start 2026-12-10T10:00:00+05:00',
  '--attestee': '--attestee "Aigerim Sadykova"',
  '--chair': '--chair "Nurlan Abenov"',
};

/** A date and time with no offset from UTC, which would be read in no known zone. */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
/** Minutes precision with an offset: the API wants seconds, which are :00. */
const MINUTES_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})$/;

/** Builds and checks the request body from the command's options. */
export function reviewInputFromOptions(options: ReviewOptions): ReviewOptionsOutcome {
  const roomDevice = options['room-device'];
  const start = options.start?.trim();
  const body = {
    subject: options.subject,
    claimedCategory: options.category,
    scheduledStart: start?.replace(MINUTES_WITH_OFFSET, '$1:00$2'),
    format: roomDevice ? 'in-person' : 'remote',
    attestee:
      options.attestee === undefined ? undefined : { displayName: options.attestee },
    chair: options.chair === undefined ? undefined : { displayName: options.chair },
    experts: options.expert.map((displayName) => ({ displayName })),
    ...(roomDevice ? { roomDevice: { displayName: roomDevice } } : {}),
  };

  const parsed = newReviewInputSchema.safeParse(body);
  if (parsed.success) return { ok: true, input: parsed.data };

  const problems = parsed.error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    const option = OPTION_OF_FIELD[field] ?? field;
    return describeProblem(option, valueOf(options, option), issue.message);
  });
  return { ok: false, problems: [...new Set(problems)] };
}

function valueOf(options: ReviewOptions, option: string): string | undefined {
  if (option === '--expert') return options.expert.join(', ');
  const name = option.replace(/^--/, '') as keyof Omit<ReviewOptions, 'expert'>;
  return options[name];
}

function describeProblem(
  option: string,
  value: string | undefined,
  schemaMessage: string,
): string {
  if (value === undefined) {
    const example = EXAMPLE_OF_OPTION[option];
    return `${option} is missing${example ? `: add ${example}` : ''}`;
  }

  switch (option) {
    case '--category':
      return `--category "${value}" is not a category: use one of ${CATEGORIES.join(', ')}`;
    case '--start':
      return LOCAL_TIME.test(value.trim())
        ? `--start ${value} has no offset from UTC: add Kazakhstan's, e.g. ${withSeconds(value.trim())}+05:00`
        : `--start "${value}" is not a date and time: write it like 2026-12-10T10:00:00+05:00`;
    case '--subject':
    case '--attestee':
    case '--chair':
    case '--room-device':
      return `${option} must not be empty (and at most a few hundred characters)`;
    case '--expert':
      return `--expert: every name must be given, at most 20 experts (${schemaMessage})`;
    default:
      return `${option}: ${schemaMessage}`;
  }
}

function withSeconds(localTime: string): string {
  return /T\d{2}:\d{2}$/.test(localTime) ? `${localTime}:00` : localTime;
}
