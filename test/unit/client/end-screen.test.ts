/**
 * The end screen's words for each way a page can end: only the endings of
 * the whole review say that it ended; a person removed, refused or replaced
 * by their own other window is told what happened to them.
 */
import { describe, expect, it } from 'vitest';
import { reviewMessages } from '../../../client/i18n/review-messages/index.ts';
import { endScreenText, type PageEndReason } from '../../../client/review/end-screen.ts';

/** Every reason the server sends ('review:ended' and 'peer:closed') and the page's own 'ended'. */
const REVIEW_ENDINGS: PageEndReason[] = [
  'time-limit',
  'chair',
  'shutdown',
  'cancelled',
  'ended',
];
const PERSONAL_ENDINGS: PageEndReason[] = ['removed', 'refused', 'replaced'];

describe('endScreenText()', () => {
  it.each(REVIEW_ENDINGS)('says the review ended for %s', (reason) => {
    expect(endScreenText(reason)).toEqual({
      heading: 'end.heading.ended',
      reason: `end.reason.${reason}`,
      close: 'end.closeWindow',
    });
  });

  it('never says the review ended to someone whose own part ended', () => {
    expect(endScreenText('removed').heading).toBe('end.heading.removed');
    expect(endScreenText('refused').heading).toBe('end.heading.refused');
    expect(endScreenText('replaced')).toEqual({
      heading: 'end.heading.replaced',
      reason: 'end.reason.replaced',
      close: 'end.closeReplaced',
    });
  });

  it('reads in English as the new-user trial asked', () => {
    const { en } = reviewMessages;
    expect(en[endScreenText('removed').heading]).toBe('You were removed from the review');
    expect(en[endScreenText('replaced').heading]).toBe(
      'This review is open in another window',
    );
    expect(en[endScreenText('time-limit').heading]).toBe('The review has ended');
  });

  it('has every line in every language', () => {
    for (const reason of [...REVIEW_ENDINGS, ...PERSONAL_ENDINGS]) {
      const { heading, reason: why, close } = endScreenText(reason);
      const lines = [heading, why, close];
      for (const messages of Object.values(reviewMessages)) {
        for (const key of lines) expect(messages[key], `${reason}: ${key}`).toBeTruthy();
      }
    }
  });
});
