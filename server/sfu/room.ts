/**
 * The media side of one review: a router on one worker and a peer per
 * connection. The room owns the router and the peers; when the router goes
 * away underneath (its worker died) the room closes and says why.
 */
import { EventEmitter } from 'node:events';
import type { Producer, Router, RtpCapabilities } from 'mediasoup/types';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { SfuPeer } from './sfu-peer.ts';
import type { TransportSettings } from './transport-options.ts';
import type { WorkerPool } from './worker-pool.ts';

/** What the room tells its owner. */
export interface RoomEvents {
  /** The room closed; `reason` says whether on purpose or because its worker died. */
  close: [reason: string];
}

/** Reason used when the router closed without the room asking. */
export const WORKER_DIED = 'worker-died';

/** The router and peers of one review. */
export class Room extends EventEmitter<RoomEvents> {
  readonly reviewId: string;
  readonly router: Router;
  readonly #settings: TransportSettings;
  readonly #log: Logger;
  readonly #peers = new Map<string, SfuPeer>();
  #closed = false;

  private constructor(options: {
    reviewId: string;
    router: Router;
    settings: TransportSettings;
    logger: Logger;
  }) {
    super();
    this.reviewId = options.reviewId;
    this.router = options.router;
    this.#settings = options.settings;
    this.#log = options.logger;

    this.router.on('workerclose', () => this.close(WORKER_DIED));
  }

  /**
   * Creates the review's router on the least-loaded worker; `signal` gives up
   * waiting for a worker while none runs.
   */
  static async open(options: {
    reviewId: string;
    pool: WorkerPool;
    settings: TransportSettings;
    logger: Logger;
    signal?: AbortSignal;
  }): Promise<Room> {
    const router = await options.pool.createRouter(
      { reviewId: options.reviewId },
      options.signal,
    );
    const logger = options.logger.child({
      reviewId: options.reviewId,
      routerId: router.id,
    });
    logger.info('room opened');

    return new Room({ ...options, router, logger });
  }

  /** Whether close() has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** What the browsers need to load their mediasoup Device. */
  get rtpCapabilities(): RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  /** A media peer for a new connection. */
  addPeer(peerId: string): SfuPeer {
    if (this.#closed) throw new AppError('MEDIA_UNAVAILABLE', 'The media room is closed');

    const peer = new SfuPeer({
      peerId,
      router: this.router,
      settings: this.#settings,
      logger: this.#log,
    });
    this.#peers.set(peerId, peer);

    return peer;
  }

  /** Closes a peer's media and forgets it. Idempotent. */
  removePeer(peerId: string, reason: string): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;

    this.#peers.delete(peerId);
    peer.close(reason);
  }

  /** The producer with this id and the peer that owns it, if any. */
  findProducer(producerId: string): { peer: SfuPeer; producer: Producer } | undefined {
    for (const peer of this.#peers.values()) {
      const producer = peer.producer(producerId);
      if (producer) return { peer, producer };
    }

    return undefined;
  }

  /** Closes every peer, then the router. Idempotent. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;

    const log =
      reason === WORKER_DIED
        ? this.#log.error.bind(this.#log)
        : this.#log.info.bind(this.#log);
    log({ reason, peers: this.#peers.size }, 'room closing');
    for (const peer of this.#peers.values()) peer.close(reason);
    this.#peers.clear();
    this.router.close();
    this.emit('close', reason);
  }
}
