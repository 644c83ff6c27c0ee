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

/** A date and time (Almaty) as the reader's locale shows it. */
export function formatInstant(iso: string, language: string): string {
  return new Date(iso).toLocaleString(dateLocale(language)[0], {
    timeZone: 'Asia/Almaty',
  });
}

/**
 * A date and a time to the second on the 24-hour clock, in Almaty: what a
 * timeline and a track's span need, where the order of seconds matters.
 */
export function formatMoment(iso: string, language: string): string {
  const [locale, numeric] = dateLocale(language);
  return new Date(iso).toLocaleString(locale, {
    timeZone: 'Asia/Almaty',
    ...(numeric ? {} : { dateStyle: 'medium', timeStyle: 'medium' }),
    ...(numeric
      ? {
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        }
      : {}),
    hourCycle: 'h23',
  });
}

/**
 * The locale to format dates in. Browsers' Kazakh date data is thin (Chromium
 * writes "2026 M03 2"), and one without any falls back to English month
 * names: Kazakh gets the numeric day.month.year used in Kazakhstan (ru-KZ),
 * which names no month, as does a language the browser cannot format.
 */
function dateLocale(language: string): [string, boolean] {
  if (language !== 'kk' && Intl.DateTimeFormat.supportedLocalesOf(language).length > 0)
    return [language, false];
  return ['ru-KZ', true];
}
