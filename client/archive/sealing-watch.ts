/**
 * Following recordings while they are sealed: their progress line, and a
 * poll of the server's progress route that runs only while something shown
 * on the page is still being sealed.
 */
import type { RecordingProgress } from '../../server/archive/recording-progress.ts';
import type { SealingProgress } from '../../server/archive/recording-status.ts';
import type { ArchiveApi } from './archive-api.ts';
import type { ArchiveText } from './page-text.ts';

/** How often the page asks about recordings being sealed. */
export const SEALING_POLL_MS = 2000;

/** Shows "Sealing: composing 45 %" in `target`, or hides it when nothing is sealed. */
export function showSealing(
  text: ArchiveText,
  target: HTMLElement,
  sealing: SealingProgress | null,
): void {
  target.hidden = sealing === null;
  if (!sealing) return;

  target.dataset.stage = sealing.stage;
  target.dataset.percent = String(sealing.percent);
  if (sealing.stage === 'waiting') {
    text.set(target, 'sealing.waiting');
  } else {
    text.set(target, 'sealing.progress', {
      stage: { key: `sealing.stage.${sealing.stage}` },
      percent: sealing.percent,
    });
  }
}

/** One poll at a time per owner; watching again or stopping ends the previous one. */
export class SealingWatch {
  readonly #api: ArchiveApi;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by stop(), so an answer to an abandoned poll is dropped. */
  #generation = 0;

  constructor(api: ArchiveApi, intervalMs = SEALING_POLL_MS) {
    this.#api = api;
    this.#intervalMs = intervalMs;
  }

  /**
   * Asks about `reviewIds` every interval and hands the answer to `onUpdate`,
   * which returns whether to keep asking; a failed request ends the watch.
   */
  watch(
    reviewIds: readonly string[],
    onUpdate: (items: RecordingProgress[]) => boolean,
    onFailure: (err: unknown) => void,
  ): void {
    this.stop();
    if (reviewIds.length === 0) return;

    const generation = this.#generation;
    const poll = async (): Promise<void> => {
      try {
        const { items } = await this.#api.progress(reviewIds);
        if (generation !== this.#generation) return;
        if (onUpdate(items))
          this.#timer = setTimeout(() => void poll(), this.#intervalMs);
      } catch (err) {
        if (generation === this.#generation) onFailure(err);
      }
    };
    this.#timer = setTimeout(() => void poll(), this.#intervalMs);
  }

  /** Ends the current watch, if any. Idempotent. */
  stop(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
