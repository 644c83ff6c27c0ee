/**
 * A small translator shared by the review page and the archive page: each page
 * brings its own messages per language, and this picks a language, fills
 * `{name}` placeholders and tells listeners when the language changes.
 */

/** The languages the service speaks. Kazakh first: the state language. */
export const LANGUAGES = ['kk', 'ru', 'en'] as const;

export type Language = (typeof LANGUAGES)[number];

/** Values for `{name}` placeholders in a message. */
export type MessageParams = Record<string, string | number>;

/** One page's messages: the same keys in every language. */
export type MessagesByLanguage<Key extends string> = Record<
  Language,
  Record<Key, string>
>;

/** Translates keys into the current language. */
export interface Translator<Key extends string> {
  /** The language messages are currently shown in. */
  readonly language: Language;
  /** The message for `key` in the current language, placeholders filled. */
  t(key: Key, params?: MessageParams): string;
  /** Switches language and notifies listeners; unknown languages are ignored. */
  setLanguage(language: string): void;
  /** Calls `listener` after every language change; returns the unsubscribe. */
  onChange(listener: (language: Language) => void): () => void;
}

/** Options for createTranslator. */
export interface TranslatorOptions {
  /** The reader's preferred languages, best first (navigator.languages). Default: none. */
  preferred?: readonly string[];
  /** Used when none of the preferred languages is available. Default: 'kk'. */
  fallback?: Language;
}

/** Whether a string names one of the service's languages. */
export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The first preferred language the service speaks, matching on the primary
 * subtag so that 'ru-KZ' picks Russian and 'kk-KZ' picks Kazakh.
 */
export function pickLanguage(preferred: readonly string[], fallback: Language): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0] ?? '';
    if (isLanguage(primary)) return primary;
  }

  return fallback;
}

/** Fills `{name}` placeholders; a placeholder without a value stays visible. */
export function fillPlaceholders(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Creates a translator over one page's messages. */
export function createTranslator<Key extends string>(
  messagesByLanguage: MessagesByLanguage<Key>,
  options: TranslatorOptions = {},
): Translator<Key> {
  let language = pickLanguage(options.preferred ?? [], options.fallback ?? 'kk');
  const listeners = new Set<(language: Language) => void>();

  return {
    get language() {
      return language;
    },

    t(key, params) {
      return fillPlaceholders(messagesByLanguage[language][key], params);
    },

    setLanguage(next) {
      if (!isLanguage(next) || next === language) return;

      language = next;
      for (const listener of listeners) listener(language);
    },

    onChange(listener) {
      listeners.add(listener);

      return () => listeners.delete(listener);
    },
  };
}
