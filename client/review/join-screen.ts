/**
 * The first screen: the invitation link is checked with the server and the
 * person sees which review they are joining and in which role.
 */
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

/** The link cannot be used: no token, or the server refused it. */
export function renderJoinError(
  text: ReviewText,
  reason: string | undefined,
): HTMLElement {
  const heading = element('h1');
  text.set(heading, 'join.heading');
  const problem = element('p', { testId: 'join-error', className: 'error' });
  if (reason === undefined) text.set(problem, 'join.noToken');
  else text.set(problem, 'join.failed', { reason });

  return element('section', { testId: 'join-screen' }, heading, problem);
}
