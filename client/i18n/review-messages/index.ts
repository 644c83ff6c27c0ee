/** The review page's messages in every language, for createTranslator. */
import type { MessagesByLanguage } from '../translator.ts';
import { en, type ReviewMessageKey } from './en.ts';
import { kk } from './kk.ts';
import { ru } from './ru.ts';

export type { ReviewMessageKey } from './en.ts';

/** kk, ru and en messages of the review page. */
export const reviewMessages: MessagesByLanguage<ReviewMessageKey> = { kk, ru, en };
