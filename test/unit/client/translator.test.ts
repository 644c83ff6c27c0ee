import { describe, expect, it, vi } from 'vitest';
import {
  createTranslator,
  fillPlaceholders,
  pickLanguage,
  type MessagesByLanguage,
} from '../../../client/i18n/translator.ts';

const messages: MessagesByLanguage<'greeting' | 'left'> = {
  kk: { greeting: 'Сәлем, {name}!', left: '{minutes} минут қалды' },
  ru: { greeting: 'Здравствуйте, {name}!', left: 'Осталось {minutes} мин' },
  en: { greeting: 'Hello, {name}!', left: '{minutes} minutes left' },
};

describe('pickLanguage', () => {
  it('matches the primary subtag of the first supported preference', () => {
    expect(pickLanguage(['de-DE', 'ru-KZ', 'en-US'], 'kk')).toBe('ru');
  });

  it('falls back when no preference is supported', () => {
    expect(pickLanguage(['de', 'fr-FR'], 'kk')).toBe('kk');
  });
});

describe('fillPlaceholders', () => {
  it('fills named placeholders and leaves unknown ones visible', () => {
    expect(fillPlaceholders('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});

describe('createTranslator', () => {
  it('starts in the preferred language and fills placeholders', () => {
    const translator = createTranslator(messages, { preferred: ['en-GB'] });

    expect(translator.language).toBe('en');
    expect(translator.t('greeting', { name: 'Aigerim' })).toBe('Hello, Aigerim!');
  });

  it('switches language and notifies listeners once per change', () => {
    const translator = createTranslator(messages, { preferred: ['kk'] });
    const listener = vi.fn();
    translator.onChange(listener);

    translator.setLanguage('ru');
    translator.setLanguage('ru');

    expect(translator.t('left', { minutes: 5 })).toBe('Осталось 5 мин');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith('ru');
  });

  it('ignores a language it does not have', () => {
    const translator = createTranslator(messages, { preferred: ['ru'] });

    translator.setLanguage('de');

    expect(translator.language).toBe('ru');
  });

  it('stops notifying a listener after it unsubscribes', () => {
    const translator = createTranslator(messages);
    const listener = vi.fn();
    const unsubscribe = translator.onChange(listener);

    unsubscribe();
    translator.setLanguage('en');

    expect(listener).not.toHaveBeenCalled();
  });
});
