import { describe, expect, it } from 'vitest';
import { reviewMessages } from '../../../client/i18n/review-messages/index.ts';
import { LANGUAGES } from '../../../client/i18n/translator.ts';

const placeholdersOf = (message: string): string[] =>
  [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

describe('review page messages', () => {
  const englishKeys = Object.keys(reviewMessages.en).sort();

  it.each(LANGUAGES)('%s has exactly the keys of every other language', (language) => {
    expect(Object.keys(reviewMessages[language]).sort()).toEqual(englishKeys);
  });

  it.each(LANGUAGES)('%s has no empty message', (language) => {
    const empty = Object.entries(reviewMessages[language]).filter(
      ([, message]) => message.trim() === '',
    );

    expect(empty).toEqual([]);
  });

  it.each(LANGUAGES)(
    '%s uses the same placeholders as English in every message',
    (language) => {
      const mismatched = englishKeys.filter((key) => {
        const k = key as keyof typeof reviewMessages.en;
        return (
          JSON.stringify(placeholdersOf(reviewMessages[language][k])) !==
          JSON.stringify(placeholdersOf(reviewMessages.en[k]))
        );
      });

      expect(mismatched).toEqual([]);
    },
  );

  it('translates Kazakh and Russian rather than copying the English text', () => {
    const copied = englishKeys.filter((key) => {
      const k = key as keyof typeof reviewMessages.en;
      const isNameOnly = /^\{\w+\}(, \{\w+\})?$/.test(reviewMessages.en[k]);
      const isLanguageName = k.startsWith('language.') && k !== 'language.label';
      return (
        !isNameOnly &&
        !isLanguageName &&
        (reviewMessages.kk[k] === reviewMessages.en[k] ||
          reviewMessages.ru[k] === reviewMessages.en[k])
      );
    });

    expect(copied).toEqual([]);
  });
});
