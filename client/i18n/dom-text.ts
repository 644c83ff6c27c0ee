/**
 * Binds translated text to DOM elements: an element remembers its message key
 * and parameters, so a language switch re-renders every visible text in place
 * without rebuilding the page.
 */
import type { Language, MessageParams, Translator } from './translator.ts';

const KEY_ATTRIBUTE = 'data-i18n';
const PARAMS_ATTRIBUTE = 'data-i18n-params';

/**
 * Placeholder values for an element's text; `{ key }` is itself a message, so
 * it is translated again on a language switch (a role name inside a sentence).
 */
export type TextParams<Key extends string> = Record<
  string,
  string | number | { key: Key }
>;

/** Sets translated text on elements and keeps it current. */
export interface DomText<Key extends string> {
  /** Shows message `key` in `element`, now and after every language change. */
  set(element: HTMLElement, key: Key, params?: TextParams<Key>): void;
  /** The message as a string, for places that are not element text (dialogs, titles). */
  t(key: Key, params?: MessageParams): string;
}

/** Creates the binding for one page; `root` is where texts are looked up on a switch. */
export function createDomText<Key extends string>(
  translator: Translator<Key>,
  root: Document,
): DomText<Key> {
  const render = (key: Key, params: TextParams<Key> | undefined): string => {
    const resolved: MessageParams = {};
    for (const [name, value] of Object.entries(params ?? {})) {
      resolved[name] = typeof value === 'object' ? translator.t(value.key) : value;
    }

    return translator.t(key, resolved);
  };

  const set = (element: HTMLElement, key: Key, params?: TextParams<Key>): void => {
    element.setAttribute(KEY_ATTRIBUTE, key);
    if (params) element.setAttribute(PARAMS_ATTRIBUTE, JSON.stringify(params));
    else element.removeAttribute(PARAMS_ATTRIBUTE);

    element.textContent = render(key, params);
  };

  const markLanguage = (language: Language): void => {
    root.documentElement.lang = language;
  };

  markLanguage(translator.language);
  translator.onChange((language) => {
    markLanguage(language);

    for (const element of root.querySelectorAll<HTMLElement>(`[${KEY_ATTRIBUTE}]`)) {
      const params = element.getAttribute(PARAMS_ATTRIBUTE);
      element.textContent = render(
        element.getAttribute(KEY_ATTRIBUTE) as Key,
        params ? (JSON.parse(params) as TextParams<Key>) : undefined,
      );
    }
  });

  return { set, t: (key, params) => translator.t(key, params) };
}
