/**
 * The language switch shown on every page: a select listing the languages by
 * their own names, remembering the choice for the next visit.
 */
import { LANGUAGES, isLanguage, type Language, type Translator } from './translator.ts';

const STORAGE_KEY = 'sarapta.language';

/** The language chosen on an earlier visit, if any. */
export function rememberedLanguage(storage: Storage): Language | undefined {
  const stored = storage.getItem(STORAGE_KEY);

  return stored !== null && isLanguage(stored) ? stored : undefined;
}

/**
 * Builds the select. `nameOf` gives each language's own name from the page's
 * messages, so no visible text lives here.
 */
export function createLanguagePicker<Key extends string>(
  translator: Translator<Key>,
  nameOf: (language: Language) => string,
  storage: Storage,
): HTMLSelectElement {
  const select = document.createElement('select');
  select.dataset.testid = 'language';

  for (const language of LANGUAGES) {
    const option = document.createElement('option');
    option.value = language;
    option.textContent = nameOf(language);
    select.append(option);
  }

  select.value = translator.language;
  select.addEventListener('change', () => {
    storage.setItem(STORAGE_KEY, select.value);
    translator.setLanguage(select.value);
  });

  return select;
}
