/**
 * The search form and its result list: each result with its scheduled date
 * and time, its review's state and its recording's status. Choosing a result
 * hands its review id to the page; "more" continues with the server's cursor.
 * Results being sealed show their progress, refreshed until their seal is done.
 */
import { element } from '../review/dom.ts';
import type { ArchiveHit } from '../../server/archive/archive-search.ts';
import type { RecordingProgress } from '../../server/archive/recording-progress.ts';
import {
  RECORDING_STATUSES,
  type RecordingStatus,
} from '../../server/archive/recording-status.ts';
import type { ArchiveApi, SearchFilters } from './archive-api.ts';
import type { ArchiveMessageKey } from './i18n/index.ts';
import { formatInstant, showFailure, type ArchiveText } from './page-text.ts';
import { SealingWatch, showSealing } from './sealing-watch.ts';

/** The parts of a result row that change while its recording is sealed. */
interface RowProgress {
  status: HTMLElement;
  sealing: HTMLElement;
}

const FIELDS: { name: string; label: ArchiveMessageKey; type: string }[] = [
  { name: 'attestee', label: 'search.attestee', type: 'text' },
  { name: 'member', label: 'search.member', type: 'text' },
  { name: 'subject', label: 'search.subject', type: 'text' },
  { name: 'from', label: 'search.from', type: 'date' },
  { name: 'to', label: 'search.to', type: 'date' },
  { name: 'caseNumber', label: 'search.caseNumber', type: 'text' },
];

export class SearchPanel {
  readonly element: HTMLElement;
  readonly #api: ArchiveApi;
  readonly #text: ArchiveText;
  readonly #language: () => string;
  readonly #form: HTMLFormElement;
  readonly #results = element('ul', { testId: 'results', className: 'results' });
  readonly #message = element('p', { testId: 'search-message', className: 'message' });
  readonly #more = element('button', { testId: 'search-more' });
  readonly #onSelect: (reviewId: string) => void;
  readonly #watch: SealingWatch;
  /** Rows shown whose recording is being sealed, by review id. */
  readonly #sealingRows = new Map<string, RowProgress>();
  #filters: SearchFilters = {};
  #cursor: string | null = null;

  constructor(
    api: ArchiveApi,
    text: ArchiveText,
    language: () => string,
    onSelect: (reviewId: string) => void,
  ) {
    this.#api = api;
    this.#text = text;
    this.#language = language;
    this.#onSelect = onSelect;
    this.#watch = new SealingWatch(api);

    const heading = element('h2');
    text.set(heading, 'search.heading');
    this.#form = element('form', { testId: 'search-form', className: 'search-form' });
    for (const field of FIELDS)
      this.#form.append(this.#labelled(field.label, input(field.name, field.type)));
    this.#form.append(this.#labelled('search.status', this.#statusSelect()));
    const submit = element('button', { testId: 'search-submit' });
    submit.type = 'submit';
    text.set(submit, 'search.submit');
    this.#form.append(submit);
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#filters = Object.fromEntries(
        [...new FormData(this.#form).entries()].map(([k, v]) => [k, String(v).trim()]),
      );
      void this.#load(false);
    });

    this.#more.type = 'button';
    this.#more.hidden = true;
    text.set(this.#more, 'search.more');
    this.#more.addEventListener('click', () => void this.#load(true));

    this.element = element(
      'section',
      { className: 'panel search' },
      heading,
      this.#form,
      this.#message,
      this.#results,
      this.#more,
    );
  }

  /** Runs the search with the current filters from the first page. */
  async refresh(): Promise<void> {
    await this.#load(false);
  }

  async #load(continuing: boolean): Promise<void> {
    this.#message.textContent = '';
    delete this.#message.dataset.state;
    try {
      const page = await this.#api.search(
        this.#filters,
        continuing ? (this.#cursor ?? undefined) : undefined,
      );
      if (!continuing) {
        this.#results.replaceChildren();
        this.#sealingRows.clear();
      }
      for (const hit of page.items) this.#results.append(this.#row(hit));
      this.#watchSealing();
      this.#cursor = page.nextCursor;
      this.#more.hidden = page.nextCursor === null;
      if (!continuing && page.items.length === 0)
        this.#text.set(this.#message, 'search.none');
    } catch (err) {
      showFailure(this.#text, this.#message, err);
    }
  }

  #row(hit: ArchiveHit): HTMLLIElement {
    const open = element('button', { testId: 'result-open', className: 'link' });
    open.type = 'button';
    this.#text.set(open, 'search.result', {
      subject: hit.subject,
      date: formatInstant(hit.scheduledStart, this.#language()),
    });
    open.addEventListener('click', () => this.#onSelect(hit.reviewId));

    const reviewState = element('span', {
      testId: 'result-review-state',
      className: 'review-state',
      data: { state: hit.reviewState },
    });
    this.#text.set(reviewState, 'review.state', {
      state: { key: `reviewState.${hit.reviewState}` },
    });
    const status = element('span', { testId: 'result-status' });
    this.#showStatus(status, hit.status);
    const sealing = element('span', { testId: 'result-sealing', className: 'sealing' });
    showSealing(this.#text, sealing, hit.sealing);
    if (hit.sealing) this.#sealingRows.set(hit.reviewId, { status, sealing });
    const people = element('span', { className: 'people' });
    this.#text.set(people, 'search.people', {
      attestee: hit.attestees.join(', '),
      council: hit.council.join(', '),
    });

    return element(
      'li',
      { testId: 'result', data: { reviewId: hit.reviewId } },
      open,
      reviewState,
      status,
      sealing,
      people,
    );
  }

  /** Refreshes the rows being sealed until every one of them is done. */
  #watchSealing(): void {
    this.#watch.watch(
      [...this.#sealingRows.keys()],
      (items) => {
        const answered = new Set(items.map((item) => item.reviewId));
        for (const item of items) this.#showProgress(item);
        // A recording the server no longer knows has nothing left to seal.
        for (const reviewId of this.#sealingRows.keys())
          if (!answered.has(reviewId)) this.#sealingRows.delete(reviewId);
        return this.#sealingRows.size > 0;
      },
      (err) => showFailure(this.#text, this.#message, err),
    );
  }

  #showProgress(item: RecordingProgress): void {
    const row = this.#sealingRows.get(item.reviewId);
    if (!row) return;

    this.#showStatus(row.status, item.status);
    showSealing(this.#text, row.sealing, item.sealing);
    if (!item.sealing) this.#sealingRows.delete(item.reviewId);
  }

  #showStatus(target: HTMLElement, status: RecordingStatus): void {
    target.className = `status status-${status}`;
    target.dataset.status = status;
    this.#text.set(target, `status.${status}`);
  }

  #statusSelect(): HTMLSelectElement {
    const select = element('select', { testId: 'search-status' });
    select.name = 'status';
    const any = element('option');
    any.value = '';
    this.#text.set(any, 'search.anyStatus');
    select.append(any);
    for (const status of RECORDING_STATUSES) {
      const option = element('option');
      option.value = status;
      this.#text.set(option, `status.${status}`);
      select.append(option);
    }
    return select;
  }

  #labelled(key: ArchiveMessageKey, control: HTMLElement): HTMLLabelElement {
    const caption = element('span');
    this.#text.set(caption, key);
    return element('label', {}, caption, control);
  }
}

function input(name: string, type: string): HTMLInputElement {
  const field = element('input', { testId: `search-${name}` });
  field.name = name;
  field.type = type;
  return field;
}
