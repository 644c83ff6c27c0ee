/** The archive page's messages in every language, for createTranslator. */
import type { MessagesByLanguage } from '../../i18n/translator.ts';
import { en, type ArchiveMessageKey } from './en.ts';
import { kk } from './kk.ts';
import { ru } from './ru.ts';

export type { ArchiveMessageKey } from './en.ts';

/** kk, ru and en messages of the archive page. */
export const archiveMessages: MessagesByLanguage<ArchiveMessageKey> = { kk, ru, en };
