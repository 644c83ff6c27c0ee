/** The review page's text binding, as the screens receive it. */
import type { DomText } from '../i18n/dom-text.ts';
import type { ReviewMessageKey } from '../i18n/review-messages/index.ts';

export type ReviewText = DomText<ReviewMessageKey>;
