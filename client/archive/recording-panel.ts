/**
 * One recording: the player (composite, seekable), the events timeline beside
 * it (placed from the composite's own start; see event-timeline.ts), the
 * original tracks by person and source, download with a reason, dispute
 * cases and the integrity check. The review's state (live, ended, cancelled)
 * is shown apart from the recording's; while the recording is sealed its
 * progress is shown and refreshed, and once sealed it is reloaded. A
 * recording sealed with nothing in it says so and offers nothing to play.
 */
import { element } from '../review/dom.ts';
import type { RecordingDetail } from '../../server/archive/recording-detail.ts';
import type { DisputeCase } from '../../storage/legal-hold/dispute-cases.ts';
import type { ArchiveApi } from './archive-api.ts';
import { renderTimeline } from './event-timeline.ts';
import { formatInstant, showFailure, type ArchiveText } from './page-text.ts';
import { SealingWatch, showSealing } from './sealing-watch.ts';
import { groupTracks, renderTrackGroup } from './track-summary.ts';

export class RecordingPanel {
  readonly element = element('section', {
    testId: 'recording',
    className: 'panel recording',
  });
  readonly #api: ArchiveApi;
  readonly #text: ArchiveText;
  readonly #language: () => string;
  readonly #message = element('p', { testId: 'recording-message', className: 'message' });
  readonly #watch: SealingWatch;
  #reviewId: string | undefined;

  constructor(api: ArchiveApi, text: ArchiveText, language: () => string) {
    this.#api = api;
    this.#text = text;
    this.#language = language;
    this.#watch = new SealingWatch(api);
    this.element.hidden = true;
  }

  /** Loads and shows one recording. */
  async show(reviewId: string): Promise<void> {
    this.#reviewId = reviewId;
    this.#watch.stop();
    this.element.hidden = false;
    this.#clearMessage();
    try {
      const detail = await this.#api.detail(reviewId);
      await this.#render(detail);
    } catch (err) {
      this.element.replaceChildren(this.#message);
      showFailure(this.#text, this.#message, err);
    }
  }

  async #render(detail: RecordingDetail): Promise<void> {
    const heading = element('h2', { testId: 'recording-heading' });
    this.#text.set(heading, 'detail.summary', {
      subject: detail.review.subject,
      date: formatInstant(detail.review.scheduledStart, this.#language()),
    });
    const reviewState = element('p', {
      testId: 'review-state',
      data: { state: detail.review.state },
    });
    this.#text.set(reviewState, 'review.state', {
      state: { key: `reviewState.${detail.review.state}` },
    });
    const status = element('p', {
      testId: 'recording-status',
      data: { status: detail.recording.status },
    });
    this.#text.set(status, `status.${detail.recording.status}`);
    const sealing = element('p', { testId: 'recording-sealing', className: 'sealing' });
    showSealing(this.#text, sealing, detail.recording.sealing);
    const retain = element('p');
    this.#text.set(retain, 'detail.retainUntil', {
      date: formatInstant(detail.recording.retainUntil, this.#language()),
    });

    const video = element('video', { testId: 'player', className: 'player' });
    video.controls = true;
    video.preload = 'metadata';
    const timeline = renderTimeline(this.#text, detail, this.#language(), (seconds) => {
      video.currentTime = seconds;
    });
    const empty = detail.recording.nothingRecorded;
    // Nothing recorded: no player to stare at, the timeline says what happened.
    const stage = empty
      ? element('div', { className: 'stage stage-empty' }, timeline)
      : element('div', { className: 'stage' }, video, timeline);

    this.element.replaceChildren(
      heading,
      reviewState,
      status,
      sealing,
      retain,
      this.#message,
      stage,
      this.#participants(detail),
      ...(empty ? [] : [this.#tracks(detail, video)]),
      ...(detail.composite ? [this.#download(detail)] : []),
      this.#cases(detail),
      this.#verify(detail),
    );

    if (detail.recording.sealing) {
      this.#watchSealing(detail.review.reviewId, sealing);
      return;
    }
    if (empty) {
      this.#text.set(this.#message, 'detail.empty');
      this.#message.dataset.state = 'empty';
      return;
    }
    if (!detail.composite) {
      this.#text.set(this.#message, 'detail.noComposite');
      return;
    }
    if (detail.recording.status !== 'expired') {
      const link = await this.#api.playback(detail.review.reviewId);
      video.src = link.url;
    }
  }

  /** Refreshes the progress line; reloads the recording once its seal is done. */
  #watchSealing(reviewId: string, line: HTMLElement): void {
    this.#watch.watch(
      [reviewId],
      ([item]) => {
        if (item?.sealing) {
          showSealing(this.#text, line, item.sealing);
          return true;
        }
        void this.show(reviewId);
        return false;
      },
      (err) => showFailure(this.#text, this.#message, err),
    );
  }

  #participants(detail: RecordingDetail): HTMLElement {
    const heading = element('h3');
    this.#text.set(heading, 'detail.participants');
    const list = element('ul', { testId: 'participants' });
    for (const person of detail.participants) {
      const role = element('span');
      this.#text.set(role, `role.${person.role}`);
      list.append(
        element('li', {}, document.createTextNode(`${person.displayName}, `), role),
      );
    }
    return element('div', {}, heading, list);
  }

  #tracks(detail: RecordingDetail, video: HTMLVideoElement): HTMLElement {
    const heading = element('h3');
    this.#text.set(heading, 'detail.tracks');
    const list = element('ul', { testId: 'tracks', className: 'tracks' });

    for (const group of groupTracks(detail.tracks)) {
      list.append(
        renderTrackGroup(
          this.#text,
          group,
          this.#language(),
          (key) => void this.#playOriginal(detail.review.reviewId, key, video),
        ),
      );
    }

    return element('div', {}, heading, list);
  }

  async #playOriginal(
    reviewId: string,
    key: string,
    video: HTMLVideoElement,
  ): Promise<void> {
    try {
      video.src = (await this.#api.playback(reviewId, key)).url;
    } catch (err) {
      showFailure(this.#text, this.#message, err);
    }
  }

  #download(detail: RecordingDetail): HTMLElement {
    const reason = element('input', { testId: 'download-reason' });
    const caption = element('span');
    this.#text.set(caption, 'download.reason');
    const button = element('button', { testId: 'download' });
    button.type = 'button';
    this.#text.set(button, 'download.composite');
    button.disabled = !detail.composite || detail.recording.status === 'expired';

    button.addEventListener('click', () => {
      if (reason.value.trim() === '') {
        this.#text.set(this.#message, 'download.needReason');
        return;
      }
      void this.#api.download(detail.review.reviewId, reason.value.trim()).then(
        (link) => {
          const anchor = element('a');
          anchor.href = link.url;
          anchor.download = '';
          anchor.click();
        },
        (err: unknown) => showFailure(this.#text, this.#message, err),
      );
    });

    return element(
      'div',
      { className: 'row' },
      element('label', {}, caption, reason),
      button,
    );
  }

  #cases(detail: RecordingDetail): HTMLElement {
    const heading = element('h3');
    this.#text.set(heading, 'case.heading');
    const list = element('ul', { testId: 'cases' });
    if (detail.cases.length === 0) {
      const none = element('li');
      this.#text.set(none, 'case.none');
      list.append(none);
    }
    for (const item of detail.cases) list.append(this.#caseRow(item));

    const number = element('input', { testId: 'case-number' });
    const reason = element('input', { testId: 'case-reason' });
    const numberCaption = element('span');
    this.#text.set(numberCaption, 'case.number');
    const reasonCaption = element('span');
    this.#text.set(reasonCaption, 'case.reason');
    const open = element('button', { testId: 'case-open' });
    open.type = 'button';
    this.#text.set(open, 'case.open');
    open.disabled = detail.recording.status === 'expired';
    open.addEventListener('click', () => {
      void this.#act(() =>
        this.#api.openCase(detail.review.reviewId, number.value, reason.value),
      );
    });

    return element(
      'div',
      {},
      heading,
      list,
      element(
        'div',
        { className: 'row' },
        element('label', {}, numberCaption, number),
        element('label', {}, reasonCaption, reason),
        open,
      ),
    );
  }

  #caseRow(item: DisputeCase): HTMLLIElement {
    const line = element('span');
    this.#text.set(line, item.closedAt ? 'case.closedLine' : 'case.openLine', {
      number: item.caseNumber,
      reason: item.reason,
    });
    const row = element(
      'li',
      { testId: 'case', data: { open: item.closedAt ? 'false' : 'true' } },
      line,
    );
    if (!item.closedAt) {
      const close = element('button', { testId: 'case-close' });
      close.type = 'button';
      this.#text.set(close, 'case.close');
      close.addEventListener(
        'click',
        () => void this.#act(() => this.#api.closeCase(item.caseId)),
      );
      row.append(close);
    }
    return row;
  }

  #verify(detail: RecordingDetail): HTMLElement {
    const button = element('button', { testId: 'verify' });
    button.type = 'button';
    this.#text.set(button, 'verify.run');
    // Still being written or sealed: there is no manifest to check against yet.
    button.disabled = ['expired', 'live', 'sealing'].includes(detail.recording.status);
    const result = element('p', { testId: 'verify-result' });

    button.addEventListener('click', () => {
      void this.#api.verify(detail.review.reviewId).then(
        (outcome) => {
          result.dataset.ok = String(outcome.ok);
          // An empty recording has only its manifest: "0 objects match" would read as a fault.
          if (outcome.ok && detail.recording.status === 'empty')
            this.#text.set(result, 'verify.okEmpty');
          else if (outcome.ok)
            this.#text.set(result, 'verify.ok', { count: outcome.objectsChecked });
          else
            this.#text.set(result, 'verify.failed', {
              keys: outcome.mismatches.map((m) => m.key).join(', '),
            });
        },
        (err: unknown) => showFailure(this.#text, result, err),
      );
    });

    return element('div', { className: 'row' }, button, result);
  }

  /** Runs a case action, then reloads the recording to show its new state. */
  async #act(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      if (this.#reviewId) await this.show(this.#reviewId);
    } catch (err) {
      showFailure(this.#text, this.#message, err);
    }
  }

  #clearMessage(): void {
    this.#message.textContent = '';
    delete this.#message.dataset.state;
  }
}
