/**
 * The last screen: the review ended (time limit, chair, shutdown, cancelled)
 * or only this person's part in it did (removed, refused, replaced by another
 * window). Each says which, so nobody removed from a review that goes on is
 * told that it is over.
 */
import type { EndReason } from '../../server/review/review-types.ts';
import type { ReviewMessageKey } from '../i18n/review-messages/index.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

/** Every way the page can end; 'ended' when the review was over before this page joined. */
export type PageEndReason = EndReason | 'ended' | 'removed' | 'refused' | 'replaced';

/** The three lines of an end screen. */
export interface EndScreenText {
  heading: ReviewMessageKey;
  reason: ReviewMessageKey;
  close: ReviewMessageKey;
}

/** Endings of this person's part only: the review itself may go on. */
const PERSONAL_HEADINGS = {
  removed: 'end.heading.removed',
  refused: 'end.heading.refused',
  replaced: 'end.heading.replaced',
} as const satisfies Partial<Record<PageEndReason, ReviewMessageKey>>;

/** What the end screen says for `reason`. */
export function endScreenText(reason: PageEndReason): EndScreenText {
  const heading =
    reason in PERSONAL_HEADINGS
      ? PERSONAL_HEADINGS[reason as keyof typeof PERSONAL_HEADINGS]
      : 'end.heading.ended';

  return {
    heading,
    reason: `end.reason.${reason}`,
    close: reason === 'replaced' ? 'end.closeReplaced' : 'end.closeWindow',
  };
}

/** The end message for `reason`. */
export function renderEndScreen(text: ReviewText, reason: PageEndReason): HTMLElement {
  const lines = endScreenText(reason);
  const heading = element('h1', { testId: 'end-heading' });
  text.set(heading, lines.heading);
  const why = element('p', { testId: 'end-reason' });
  text.set(why, lines.reason);
  const close = element('p');
  text.set(close, lines.close);

  return element(
    'section',
    { testId: 'end-screen', data: { reason } },
    heading,
    why,
    close,
  );
}
