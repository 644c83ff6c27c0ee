/**
 * Whether one transport's media path is working, for the review's record.
 *
 * The path is lost when the browser asks for an ICE restart (it saw its
 * connection drop) or when mediasoup's ICE consent runs out. It is back when
 * mediasoup reports ICE connected again or when the browser reports its
 * restarted transport connected: mediasoup does not report a restart that
 * kept the same path as a state change, and only the browser can tell that
 * media flows both ways again.
 *
 * One loss is reported once, however many restarts the browser tries, so a
 * dispute reads one interruption and its length. A loss that ends with the
 * connection closing (the page rejoined instead) has no restoration here;
 * the review's rejoin event names the replaced connection.
 */
import { EventEmitter } from 'node:events';

/** Why the path was taken for lost. */
export type MediaLossCause = 'ice-restart' | 'ice-disconnected';

/** Who saw the path working again. */
export type MediaRestoredBy = 'server' | 'browser';

export interface MediaPathWatchEvents {
  interrupted: [cause: MediaLossCause];
  restored: [
    restoration: { cause: MediaLossCause; by: MediaRestoredBy; lostForMs: number },
  ];
}

export class MediaPathWatch extends EventEmitter<MediaPathWatchEvents> {
  readonly #now: () => number;
  #loss: { cause: MediaLossCause; since: number } | undefined;
  #closed = false;

  constructor(now: () => number = Date.now) {
    super();
    this.#now = now;
  }

  /** Whether the path is taken for lost right now. */
  get interrupted(): boolean {
    return this.#loss !== undefined;
  }

  /** The path stopped working; a loss already open stays the one reported. */
  lost(cause: MediaLossCause): void {
    if (this.#closed || this.#loss) return;

    this.#loss = { cause, since: this.#now() };
    this.emit('interrupted', cause);
  }

  /** The path works again; nothing happens when it was not lost. */
  restored(by: MediaRestoredBy): void {
    const loss = this.#loss;
    if (this.#closed || !loss) return;

    this.#loss = undefined;
    this.emit('restored', { cause: loss.cause, by, lostForMs: this.#now() - loss.since });
  }

  /** mediasoup's ICE state of the transport. */
  iceStateChanged(state: string): void {
    if (state === 'disconnected') this.lost('ice-disconnected');
    else if (state === 'connected' || state === 'completed') this.restored('server');
  }

  /** The transport closed: nothing more is reported. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#loss = undefined;
  }
}
