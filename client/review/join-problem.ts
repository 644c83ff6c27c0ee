/**
 * Why an invitation link does not open its review, in the terms the person
 * can act on: a link to open again or to ask for anew, a review that is over,
 * or a server that cannot be reached right now (worth trying again). The
 * server's stable error codes (server/errors.ts) and the review's state are
 * mapped here, in one place, so the join page and the pre-flight agree.
 */
import type { ReviewState } from '../../server/review/review-types.ts';

/** What the person is told; 'other' also shows the code, for support. */
export type JoinProblem =
  'no-token' | 'invalid' | 'expired' | 'ended' | 'cancelled' | 'unreachable' | 'other';

/** The problems that trying again cannot solve: the link itself is the answer. */
const FINAL_PROBLEMS: ReadonlySet<JoinProblem> = new Set([
  'no-token',
  'invalid',
  'expired',
  'ended',
  'cancelled',
]);

const PROBLEM_BY_CODE: Readonly<Record<string, JoinProblem>> = {
  UNAUTHENTICATED: 'invalid',
  TOKEN_INVALID: 'invalid',
  FORBIDDEN: 'invalid',
  NOT_FOUND: 'invalid',
  TOKEN_EXPIRED: 'expired',
  REVIEW_ENDED: 'ended',
  // fetch() rejects with a TypeError when the network fails; a proxy's HTML
  // error page fails JSON parsing; gateways answer 502-504.
  TypeError: 'unreachable',
  SyntaxError: 'unreachable',
  TIMEOUT: 'unreachable',
  HTTP_502: 'unreachable',
  HTTP_503: 'unreachable',
  HTTP_504: 'unreachable',
  STORAGE_UNAVAILABLE: 'unreachable',
  MEDIA_UNAVAILABLE: 'unreachable',
  // The service is restarting: it is back in a moment.
  SERVER_CLOSING: 'unreachable',
};

/** The problem behind a refused or failed request, from its error code. */
export function joinProblemOfCode(code: string): JoinProblem {
  return PROBLEM_BY_CODE[code] ?? 'other';
}

/** The problem of a link whose review is in `state`, if that state stops the join. */
export function joinProblemOfState(state: ReviewState): JoinProblem | undefined {
  if (state === 'ended') return 'ended';
  if (state === 'cancelled') return 'cancelled';

  return undefined;
}

/** Whether the page should offer to try again. */
export function isRetryable(problem: JoinProblem): boolean {
  return !FINAL_PROBLEMS.has(problem);
}
