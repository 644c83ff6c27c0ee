/** The archive page's text binding and the message for a failed request. */
import type { DomText } from '../i18n/dom-text.ts';
import { errorCode } from '../review/request-error.ts';
import type { ArchiveMessageKey } from './i18n/index.ts';

/** DomText over the archive's messages. */
export type ArchiveText = DomText<ArchiveMessageKey>;

/** Shows why a request failed in `target`. */
export function showFailure(text: ArchiveText, target: HTMLElement, err: unknown): void {
  const code = errorCode(err);
  if (code === 'FORBIDDEN' || code === 'TOKEN_INVALID' || code === 'UNAUTHENTICATED') {
    text.set(target, 'token.denied');
  } else if (code === 'TOKEN_EXPIRED') {
    text.set(target, 'token.expired');
  } else {
    text.set(target, 'error.generic', { code });
  }
  target.dataset.state = 'error';
}

/** A date-time as the reader's locale shows it. */
export function formatInstant(iso: string, language: string): string {
  return new Date(iso).toLocaleString(language, { timeZone: 'Asia/Almaty' });
}
