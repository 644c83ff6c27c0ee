/**
 * The audit log as archivists see it: the newest entries (all, or the open
 * recording's), a check of the hash chain, and an export as JSON lines.
 */
import { element } from '../review/dom.ts';
import type { ArchiveApi } from './archive-api.ts';
import { formatInstant, showFailure, type ArchiveText } from './page-text.ts';

export class AuditPanel {
  readonly element: HTMLElement;
  readonly #api: ArchiveApi;
  readonly #text: ArchiveText;
  readonly #language: () => string;
  readonly #entries = element('ol', { testId: 'audit-entries', className: 'audit' });
  readonly #result = element('p', { testId: 'audit-result', className: 'message' });

  constructor(api: ArchiveApi, text: ArchiveText, language: () => string) {
    this.#api = api;
    this.#text = text;
    this.#language = language;

    const heading = element('h2');
    text.set(heading, 'audit.heading');
    const show = this.#button('audit-show', 'audit.show', () => this.refresh());
    const verify = this.#button('audit-verify', 'audit.verify', () => this.#verify());
    const exportLog = this.#button('audit-export', 'audit.export', () => this.#export());

    this.element = element(
      'section',
      { className: 'panel audit-panel' },
      heading,
      element('div', { className: 'row' }, show, verify, exportLog),
      this.#result,
      this.#entries,
    );
  }

  /** Shows the newest entries. */
  async refresh(): Promise<void> {
    try {
      const { entries } = await this.#api.auditLog();
      this.#entries.replaceChildren(
        ...entries.map((entry) => {
          const line = element('li', {
            testId: 'audit-entry',
            data: { action: entry.action, seq: String(entry.seq) },
          });
          this.#text.set(line, 'audit.line', {
            seq: entry.seq,
            at: formatInstant(entry.at, this.#language()),
            actor: entry.actor,
            action: { key: `audit.action.${entry.action}` },
            review: entry.reviewId ?? '',
          });
          return line;
        }),
      );
    } catch (err) {
      showFailure(this.#text, this.#result, err);
    }
  }

  async #verify(): Promise<void> {
    try {
      const outcome = await this.#api.verifyAuditLog();
      this.#result.dataset.ok = String(outcome.ok);
      if (outcome.ok)
        this.#text.set(this.#result, 'audit.ok', { count: outcome.checked });
      else {
        this.#text.set(this.#result, 'audit.broken', {
          seq: outcome.brokenAt?.seq ?? 0,
          problem: outcome.brokenAt?.problem ?? '',
        });
      }
    } catch (err) {
      showFailure(this.#text, this.#result, err);
    }
  }

  async #export(): Promise<void> {
    try {
      const blob = await this.#api.exportAuditLog();
      const url = URL.createObjectURL(blob);
      const anchor = element('a');
      anchor.href = url;
      anchor.download = 'sarapta-audit.jsonl';
      anchor.click();
      // The click has started the download; the object URL is no longer needed.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      showFailure(this.#text, this.#result, err);
    }
  }

  #button(
    testId: string,
    key: Parameters<ArchiveText['set']>[1],
    onClick: () => Promise<void>,
  ): HTMLButtonElement {
    const button = element('button', { testId });
    button.type = 'button';
    this.#text.set(button, key);
    button.addEventListener('click', () => void onClick());
    return button;
  }
}
