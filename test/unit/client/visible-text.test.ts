/**
 * Guards the rule that no user-visible text is written outside the
 * translations: in the review page's code, text reaches the DOM only through
 * the translator (dom-text.ts) or a value it produced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLIENT_DIR = path.resolve(import.meta.dirname, '../../../client');
const SOURCE_DIRS = ['review', 'media', 'i18n'];
const MESSAGES_DIR = path.join('i18n', 'review-messages');

/** Ways of putting text on screen, each followed by what it is given. */
const TEXT_SINKS = [
  /\.textContent\s*=\s*([^;]+);/g,
  /\.innerText\s*=\s*([^;]+);/g,
  /\.innerHTML\s*=\s*([^;]+);/g,
  /document\.title\s*=\s*([^;]+);/g,
  /\b(?:alert|confirm|prompt)\(([^)]*)\)/g,
  /\.(?:append|prepend|replaceChildren)\(\s*(['"`][^)]*)\)/g,
];

/** A literal string (or template) at the start of what a sink is given. */
const LITERAL = /^\s*['"`]/;

function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    fs
      .readdirSync(path.join(CLIENT_DIR, dir), { recursive: true, encoding: 'utf8' })
      .map((file) => path.join(dir, file))
      .filter((file) => file.endsWith('.ts') && !file.startsWith(MESSAGES_DIR)),
  );
}

describe('review page visible text', () => {
  it('finds the page sources to check', () => {
    expect(sourceFiles()).toContain(path.join('review', 'review-app.ts'));
  });

  it('never writes a string literal to the screen outside the message files', () => {
    const offences: string[] = [];
    for (const file of sourceFiles()) {
      const code = fs.readFileSync(path.join(CLIENT_DIR, file), 'utf8');
      for (const sink of TEXT_SINKS) {
        for (const match of code.matchAll(sink)) {
          if (LITERAL.test(match[1] ?? '')) offences.push(`${file}: ${match[0]}`);
        }
      }
    }

    expect(offences).toEqual([]);
  });

  it('recognises a hard-coded text when there is one', () => {
    const sample = "title.textContent = 'Attestation';";
    const caught = TEXT_SINKS.some((sink) =>
      [...sample.matchAll(sink)].some((match) => LITERAL.test(match[1] ?? '')),
    );

    expect(caught).toBe(true);
  });
});
