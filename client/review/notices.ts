/**
 * Messages the person should see without leaving the screen: time warnings,
 * being muted, reconnecting, recording problems. A notice of an event fades
 * after a while; a notice of a condition that lasts (reconnecting, recording
 * degraded) stays until the page dismisses it when the condition ends, so a
 * person never reads silence as "all is well". A newer notice with the same
 * code takes the place of the older one, so a repeated event never stacks
 * copies.
 */
import type { ReviewMessageKey } from '../i18n/review-messages/index.ts';
import type { TextParams } from '../i18n/dom-text.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

/** How long a notice of an event stays on screen. */
const NOTICE_VISIBLE_MS = 10_000;

export type NoticeLevel = 'info' | 'warning' | 'error';

export class NoticeArea {
  /** The area's root element, placed once in the page. */
  readonly element = element('div', { testId: 'notices', className: 'notices' });
  readonly #text: ReviewText;

  constructor(text: ReviewText) {
    this.#text = text;
    this.element.setAttribute('role', 'status');
  }

  /**
   * Shows one notice; `code` lets the page dismiss it and the browser test
   * tell notices apart. A `lasting` notice stays until dismissed.
   */
  show(
    code: string,
    level: NoticeLevel,
    key: ReviewMessageKey,
    params?: TextParams<ReviewMessageKey>,
    options: { lasting?: boolean } = {},
  ): void {
    this.dismiss(code);

    const notice = element('p', {
      testId: 'notice',
      className: `notice ${level}`,
      data: { code, level, lasting: String(options.lasting ?? false) },
    });
    this.#text.set(notice, key, params);
    this.element.append(notice);

    if (!options.lasting) setTimeout(() => notice.remove(), NOTICE_VISIBLE_MS);
  }

  /** Removes the notice with this code, if it is still on screen. */
  dismiss(code: string): void {
    for (const notice of this.element.querySelectorAll<HTMLElement>('[data-code]')) {
      if (notice.dataset.code === code) notice.remove();
    }
  }
}
