/**
 * The first screen: the invitation link is checked with the server and the
 * person sees which review they are joining and in which role.
 */
import { isRetryable, type JoinProblem } from './join-problem.ts';
import type { SessionSummary } from './session-api.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

/** While the link is being checked. */
export function renderJoinLoading(text: ReviewText): HTMLElement {
  const heading = element('h1');
  text.set(heading, 'join.heading');
  const status = element('p');
  text.set(status, 'join.loading');

  return element('section', { testId: 'join-screen' }, heading, status);
}

/** The review and the person's role, with the way on to the pre-flight. */
export function renderJoinSummary(
  text: ReviewText,
  summary: SessionSummary,
  onContinue: () => void,
): HTMLElement {
  const heading = element('h1');
  text.set(heading, 'join.heading');
  const subject = element('p', { testId: 'review-subject' });
  text.set(subject, 'join.subject', { subject: summary.review.subject });
  const you = element('p');
  text.set(you, 'join.you', {
    name: summary.you.displayName,
    role: { key: `role.${summary.you.role}` },
  });

  const proceed = element('button', { testId: 'continue' });
  text.set(proceed, 'join.continue');
  proceed.addEventListener('click', onContinue, { once: true });

  return element('section', { testId: 'join-screen' }, heading, subject, you, proceed);
}

/**
 * The link cannot open the review: what is wrong in words the person can act
 * on, and, where waiting may help (the server is unreachable), a way to try
 * again. The code stays on the element for support and tests.
 */
export function renderJoinError(
  text: ReviewText,
  problem: JoinProblem,
  options: { code?: string; onRetry?: () => void } = {},
): HTMLElement {
  const heading = element('h1');
  text.set(heading, 'join.heading');
  const explanation = element('p', {
    testId: 'join-error',
    className: 'error',
    data: { problem, ...(options.code ? { code: options.code } : {}) },
  });
  text.set(explanation, `join.problem.${problem}`, { code: options.code ?? '' });

  const section = element('section', { testId: 'join-screen' }, heading, explanation);
  const { onRetry } = options;
  if (onRetry && isRetryable(problem)) {
    const retry = element('button', { testId: 'retry' });
    text.set(retry, 'join.retry');
    retry.addEventListener('click', onRetry, { once: true });
    section.append(retry);
  }

  return section;
}
