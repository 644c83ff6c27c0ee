/**
 * The time left, shown from the server's end time and the estimated clock
 * offset. The server cuts the review; this display only follows it.
 */
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';
import { formatRemaining, remainingMs } from './server-clock.ts';

/** How often the display is refreshed; under a second so it never skips one. */
const TICK_MS = 250;

export class Countdown {
  /** The countdown's element. */
  readonly element = element('span', { testId: 'countdown', className: 'countdown' });
  readonly #text: ReviewText;
  #endsAt: number | undefined;
  #offsetMs = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(text: ReviewText) {
    this.#text = text;
    this.#render();
  }

  /** The server's estimated clock offset (serverNow - browserNow), ms. */
  setOffset(offsetMs: number): void {
    this.#offsetMs = offsetMs;
    this.#render();
  }

  /** When the server will cut the review (server time), or undefined before the start. */
  setEndsAt(endsAt: number | undefined): void {
    if (endsAt === this.#endsAt) return;

    this.#endsAt = endsAt;
    if (endsAt === undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    } else {
      this.#timer ??= setInterval(() => this.#render(), TICK_MS);
    }
    this.#render();
  }

  /** Stops the ticking. */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #render(): void {
    if (this.#endsAt === undefined) {
      this.#text.set(this.element, 'room.notStarted');
      return;
    }

    const left = remainingMs(this.#endsAt, this.#offsetMs, Date.now());
    this.element.dataset.remainingMs = String(Math.round(left));
    this.#text.set(this.element, 'room.timeLeft', { time: formatRemaining(left) });
  }
}
