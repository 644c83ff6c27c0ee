/**
 * A small element builder for the review page's screens: every element the
 * browser test needs carries a data-testid, and text comes only from the
 * translations (DomText), never from here.
 */

/** Attributes the screens set on the elements they build. */
export interface ElementOptions {
  testId?: string;
  className?: string;
  /** Extra data-* attributes (without the prefix), e.g. { role: 'chair' }. */
  data?: Record<string, string>;
}

/** Creates an element with options and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (options.testId) created.dataset.testid = options.testId;
  if (options.className) created.className = options.className;
  for (const [name, value] of Object.entries(options.data ?? {}))
    created.dataset[name] = value;
  created.append(...children);

  return created;
}
