/**
 * The mediasoup workers of this host. Each review's router goes to the worker
 * carrying the fewest routers. A worker that dies is logged as our error, its
 * routers close (their rooms learn it through the router), and the pool
 * starts a replacement so new reviews keep their capacity. A router asked
 * for while no worker runs (the only one died) waits for the replacement:
 * that is how a live review moves on from a dead worker.
 */
import * as mediasoup from 'mediasoup';
import type { Router, Worker } from 'mediasoup/types';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { ROUTER_MEDIA_CODECS } from './media-codecs.ts';

/** How the pool starts its workers. */
export interface WorkerPoolOptions {
  /** Number of workers; one per core is the usual choice. */
  size: number;
  /** A mediasoup-worker binary other than the packaged one. */
  workerBin?: string;
  logger: Logger;
}

/**
 * Wait before starting a replacement when the last one failed to start or
 * died soon after starting, in ms: a worker that cannot stay up (a broken
 * binary, no memory) is retried at this pace, not in a tight loop.
 */
const RESPAWN_RETRY_MS = 2000;

/** A worker that dies sooner than this after starting is replaced after a pause, in ms. */
const MIN_HEALTHY_LIFETIME_MS = 10_000;

/** How long a router request waits for a replacement worker when none runs, in ms. */
const REPLACEMENT_WAIT_MS = 15_000;

/** A router request waiting for a worker to start. */
interface WorkerWaiter {
  resolve: (worker: Worker) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** The pool of mediasoup workers; owns them and closes them. */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #log: Logger;
  readonly #workers = new Set<Worker>();
  readonly #routerCounts = new Map<Worker, number>();
  /** Open transports by type ('webrtc', 'plain', ...), kept through mediasoup's observers. */
  readonly #transportsByType = new Map<string, number>();
  readonly #waiters = new Set<WorkerWaiter>();
  /** When each live worker started, ms since epoch. */
  readonly #startedAt = new Map<Worker, number>();
  /** Pending paused replacements (several workers may die at once). */
  readonly #respawnTimers = new Set<NodeJS.Timeout>();
  #closed = false;

  private constructor(options: WorkerPoolOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'worker-pool' });
  }

  /** Starts `size` workers; fails if any of them cannot start. */
  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      for (let i = 0; i < options.size; i++) await pool.#spawn();
    } catch (err) {
      pool.close('start-failed');
      throw new AppError('MEDIA_UNAVAILABLE', 'Cannot start the media workers', {
        cause: err,
      });
    }

    return pool;
  }

  /** Number of live workers. */
  get size(): number {
    return this.#workers.size;
  }

  /** Open transports by type on this pool's workers (for metrics). */
  get transportsByType(): Map<string, number> {
    return new Map(this.#transportsByType);
  }

  /** The live workers (for health checks and metrics). */
  get workers(): readonly Worker[] {
    return [...this.#workers];
  }

  /**
   * A new router with the review codecs on the least-loaded worker; while no
   * worker runs, on the replacement once it has started, unless `signal`
   * gives up the wait first.
   */
  async createRouter(
    appData: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<Router> {
    const worker = this.#leastLoaded() ?? (await this.#replacement(signal));

    return worker.createRouter({ mediaCodecs: ROUTER_MEDIA_CODECS, appData });
  }

  /** Closes every worker (and so every router). Idempotent. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;

    for (const timer of this.#respawnTimers) clearTimeout(timer);
    this.#respawnTimers.clear();
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new AppError('MEDIA_UNAVAILABLE', 'The media workers are closing'));
    }
    this.#waiters.clear();
    this.#log.info({ reason, workers: this.#workers.size }, 'closing media workers');
    for (const worker of this.#workers) worker.close();
    this.#workers.clear();
    this.#routerCounts.clear();
  }

  #leastLoaded(): Worker | undefined {
    let best: Worker | undefined;
    for (const worker of this.#workers) {
      // A worker that died is closed before the pool hears of it.
      if (worker.closed) continue;
      if (!best || this.#load(worker) < this.#load(best)) best = worker;
    }

    return best;
  }

  /** The next worker to start (a replacement is always on its way while none runs). */
  #replacement(signal: AbortSignal | undefined): Promise<Worker> {
    if (this.#closed) {
      return Promise.reject(
        new AppError('MEDIA_UNAVAILABLE', 'No media worker is running'),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);

    return new Promise((resolve, reject) => {
      const giveUp = () => {
        clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
        reject(signal?.reason);
      };
      const waiter: WorkerWaiter = {
        resolve: (worker) => {
          signal?.removeEventListener('abort', giveUp);
          resolve(worker);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', giveUp);
          reject(err);
        },
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          waiter.reject(new AppError('MEDIA_UNAVAILABLE', 'No media worker is running'));
        }, REPLACEMENT_WAIT_MS),
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', giveUp, { once: true });
    });
  }

  #load(worker: Worker): number {
    return this.#routerCounts.get(worker) ?? 0;
  }

  #countTransports(worker: Worker): void {
    const change = (type: string, delta: number) =>
      this.#transportsByType.set(type, (this.#transportsByType.get(type) ?? 0) + delta);

    worker.observer.on('newrouter', (router) => {
      router.observer.on('newtransport', (transport) => {
        change(transport.type, 1);
        transport.observer.once('close', () => change(transport.type, -1));
      });
    });
  }

  async #spawn(): Promise<void> {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      ...(this.#options.workerBin ? { workerBin: this.#options.workerBin } : {}),
    });
    if (this.#closed) {
      worker.close();
      return;
    }

    this.#workers.add(worker);
    this.#countTransports(worker);
    this.#routerCounts.set(worker, 0);
    this.#startedAt.set(worker, Date.now());
    this.#log.info({ workerPid: worker.pid }, 'media worker started');

    worker.observer.on('newrouter', (router: Router) => {
      this.#routerCounts.set(worker, this.#load(worker) + 1);
      router.observer.once('close', () => {
        if (this.#routerCounts.has(worker))
          this.#routerCounts.set(worker, this.#load(worker) - 1);
      });
    });
    worker.on('died', (err) => this.#onDied(worker, err));

    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(worker);
    }
    this.#waiters.clear();
  }

  #onDied(worker: Worker, err: Error): void {
    const livedMs = Date.now() - (this.#startedAt.get(worker) ?? 0);
    this.#workers.delete(worker);
    this.#routerCounts.delete(worker);
    this.#startedAt.delete(worker);
    if (this.#closed) return;

    this.#log.error(
      { err, workerPid: worker.pid, livedMs },
      'media worker died; replacing it',
    );
    if (livedMs < MIN_HEALTHY_LIFETIME_MS) this.#respawnLater();
    else this.#respawn();
  }

  #respawn(): void {
    this.#spawn().catch((err: unknown) => {
      if (this.#closed) return;

      this.#log.error({ err }, 'replacement media worker failed to start; retrying');
      this.#respawnLater();
    });
  }

  #respawnLater(): void {
    const timer = setTimeout(() => {
      this.#respawnTimers.delete(timer);
      this.#respawn();
    }, RESPAWN_RETRY_MS);
    timer.unref();
    this.#respawnTimers.add(timer);
  }
}
