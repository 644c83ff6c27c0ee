/**
 * One recording: the player (composite, seekable), the events timeline beside
 * it (a click seeks to the event), the original tracks, download with a
 * reason, dispute cases and the integrity check. While the recording is
 * sealed its progress is shown and refreshed; once sealed it is reloaded.
 */
import { element } from '../review/dom.ts';
import type { RecordingDetail } from '../../server/archive/recording-detail.ts';
import type { ReviewEvent } from '../../server/review/review-types.ts';
import type { DisputeCase } from '../../storage/legal-hold/dispute-cases.ts';
import type { ArchiveApi } from './archive-api.ts';
import { formatInstant, showFailure, type ArchiveText } from './page-text.ts';
import { SealingWatch, showSealing } from './sealing-watch.ts';

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
    const stage = element(
      'div',
      { className: 'stage' },
      video,
      this.#timeline(detail, video),
    );

    this.element.replaceChildren(
      heading,
      status,
      sealing,
      retain,
      this.#message,
      stage,
      this.#participants(detail),
      this.#tracks(detail, video),
      this.#download(detail),
      this.#cases(detail),
      this.#verify(detail),
    );

    if (detail.recording.sealing) {
      this.#watchSealing(detail.review.reviewId, sealing);
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

  #timeline(detail: RecordingDetail, video: HTMLVideoElement): HTMLElement {
    const heading = element('h3');
    this.#text.set(heading, 'detail.timeline');
    const list = element('ol', { testId: 'timeline', className: 'timeline' });
    const origin = Date.parse(detail.review.startedAt ?? detail.review.scheduledStart);

    for (const event of detail.events) {
      const offsetSeconds = Math.max(0, (Date.parse(event.at) - origin) / 1000);
      const item = element('button', {
        testId: 'timeline-event',
        className: 'link',
        data: { type: event.type, offset: String(offsetSeconds) },
      });
      item.type = 'button';
      const label = element('span');
      this.#text.set(label, `event.${event.type}`);
      item.append(`${clock(offsetSeconds)} `, label, personSuffix(detail, event));
      item.addEventListener('click', () => {
        video.currentTime = offsetSeconds;
      });
      list.append(element('li', {}, item));
    }

    return element('aside', { className: 'timeline-box' }, heading, list);
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
    const list = element('ul', { testId: 'tracks' });

    for (const track of detail.tracks) {
      const title = element('span');
      this.#text.set(title, 'detail.track', {
        name: track.displayName,
        source: track.source,
        segments: track.segments.length,
      });
      const segments = element('ul');
      for (const segment of track.segments) {
        const play = element('button', { testId: 'segment-play', className: 'link' });
        play.type = 'button';
        this.#text.set(play, 'detail.playTrack', { seq: segment.seq });
        play.addEventListener(
          'click',
          () => void this.#playOriginal(detail.review.reviewId, segment.key, video),
        );
        segments.append(
          element(
            'li',
            {},
            play,
            element('code', {}, document.createTextNode(segment.sha256.slice(0, 16))),
          ),
        );
      }
      list.append(element('li', { testId: 'track' }, title, segments));
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
    button.disabled =
      detail.recording.status === 'expired' || detail.recording.status === 'live';
    const result = element('p', { testId: 'verify-result' });

    button.addEventListener('click', () => {
      void this.#api.verify(detail.review.reviewId).then(
        (outcome) => {
          result.dataset.ok = String(outcome.ok);
          if (outcome.ok)
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

function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

function personSuffix(detail: RecordingDetail, event: ReviewEvent): string {
  const person = detail.participants.find((p) => p.personId === event.personId);
  return person ? ` · ${person.displayName}` : '';
}
