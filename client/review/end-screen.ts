/**
 * The last screen: the review ended (time limit, chair, shutdown) or this
 * person's part in it did (removed, refused, replaced by another window).
 */
import type { EndReason } from '../../server/review/review-types.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

/** Every way the page can end; 'ended' when the review was over before this page joined. */
export type PageEndReason = EndReason | 'ended' | 'removed' | 'refused' | 'replaced';

/** The end message for `reason`. */
export function renderEndScreen(text: ReviewText, reason: PageEndReason): HTMLElement {
  const heading = element('h1');
  text.set(heading, 'end.heading');
  const why = element('p', { testId: 'end-reason' });
  text.set(why, `end.reason.${reason}`);
  const close = element('p');
  text.set(close, 'end.closeWindow');

  return element(
    'section',
    { testId: 'end-screen', data: { reason } },
    heading,
    why,
    close,
  );
}
