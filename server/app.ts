/**
 * The composition root: builds the service in order and shuts it down in
 * reverse. Start: database (every area's migrations), tokens, object store
 * (configured S3, else the embedded Ceph RGW this process supervises), the
 * Object Lock guard, metrics, media workers, the recording pipeline (which
 * first recovers what a previous run left), the review domain, the archive
 * with its retention schedule, health and metrics routes, HTTP, signalling.
 * Shutdown: stop accepting, close review sessions (recordings finalised
 * and left open; a live review stays live and resumes at the next start),
 * close the archive, the recording pipeline, the workers, HTTP, the database and
 * last the embedded store.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenService } from './auth/tokens.ts';
import type { Config } from './config/config.ts';
import { databasePath, tokenSecretPath } from './config/data-dir.ts';
import { AppError } from './errors.ts';
import { createArchiveExtension } from './archive/archive-extension.ts';
import { archiveMigrations } from './archive/archive-migrations.ts';
import { databaseCheck } from './health/checks/database-check.ts';
import { ffmpegCheck } from './health/checks/ffmpeg-check.ts';
import { mediasoupWorkersCheck } from './health/checks/mediasoup-workers-check.ts';
import { s3Check } from './health/checks/s3-check.ts';
import { createHealthRouter } from './health/health-router.ts';
import { createHttpApp, type MountedRouter } from './http/http-app.ts';
import { reviewsRouter } from './http/reviews-router.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { createMetricsRouter } from './metrics/metrics-handler.ts';
import { createMetrics, type SaraptaMetrics } from './metrics/metrics.ts';
import type { RecorderFactory } from './review/recorder-port.ts';
import type { ClockTimers } from './review/review-clock.ts';
import { REVIEW_MIGRATIONS } from './review/review-migrations.ts';
import { ReviewService } from './review/review-service.ts';
import type { ReviewStore } from './review/review-store.ts';
import { SessionRegistry } from './review/session-registry.ts';
import { SqliteReviewStore } from './review/sqlite-review-store.ts';
import { transportSettingsFrom } from './sfu/transport-options.ts';
import { WorkerPool } from './sfu/worker-pool.ts';
import { SignallingServer } from './signalling/signalling-server.ts';
import { openDatabase, type DatabaseSync } from './store/database.ts';
import { recordingMetrics } from '../recording/recording-metrics.ts';
import { RECORDING_MIGRATIONS } from '../recording/recording-migrations.ts';
import { RecordingService } from '../recording/recording-service.ts';
import { SqliteRecordingStore } from '../recording/sqlite-recording-store.ts';
import { EmbeddedS3, embeddedS3OptionsFrom } from '../storage/embedded-s3/embedded-s3.ts';
import { ObjectStore, objectStoreOptionsFrom } from '../storage/object-store.ts';
import { assertBucketIsWorm } from '../storage/retention/bucket-guard.ts';

/** The running parts, handed to extensions and returned to the caller. */
export interface SaraptaContext {
  config: Readonly<Config>;
  logger: Logger;
  db: DatabaseSync;
  tokens: TokenService;
  pool: WorkerPool;
  objectStore: ObjectStore;
  metrics: SaraptaMetrics;
  reviewStore: ReviewStore;
  reviews: ReviewService;
  sessions: SessionRegistry;
  /** Undefined when a test replaced the recorders (deps.createRecorder). */
  recording: RecordingService | undefined;
}

/** A part of the service mounted on HTTP and closed at shutdown (archive, health). */
export interface SaraptaExtension {
  name: string;
  /** Mounted before the browser pages, in the order given. */
  routers?: MountedRouter[];
  /** Called at shutdown, extensions in reverse order. */
  close?(reason: string): Promise<void> | void;
}

/** What callers may replace. Every field is optional; production passes only a logger. */
export interface SaraptaDeps {
  logger?: Logger;
  /**
   * The store of the evidence. Default: SARAPTA_S3_ENDPOINT when configured,
   * else the embedded RGW under <dataDir>/s3, started and stopped here.
   */
  objectStore?: ObjectStore;
  /** Replaces the recording pipeline's recorders: review-logic tests only. */
  createRecorder?: RecorderFactory;
  /** Runs the archive (API and retention schedule). Default true. */
  archive?: boolean;
  /** The built browser client; client/dist by default. */
  clientDistDir?: string;
  /** Time source and timers of review clocks (tests). */
  now?: () => number;
  timers?: ClockTimers;
}

/** The running service. */
export interface Sarapta extends SaraptaContext {
  /** Where the HTTP server listens, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Base of join links (config.http.publicUrl, else `url`). */
  publicUrl: string;
  httpServer: http.Server;
  signalling: SignallingServer;
  /** Shuts everything down in reverse order. Idempotent. */
  close(reason: string): Promise<void>;
}

/** Everything started so far, for the reverse walk at shutdown. */
interface StartedParts extends Partial<Sarapta> {
  extensions?: SaraptaExtension[];
  ownObjectStore?: ObjectStore;
  embeddedS3?: EmbeddedS3;
}

/** Starts the service; on failure closes whatever had started and rethrows. */
export async function startSarapta(
  config: Readonly<Config>,
  deps: SaraptaDeps = {},
): Promise<Sarapta> {
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const log = logger.child({ component: 'app' });
  const parts: StartedParts = {};
  let closing: Promise<void> | undefined;

  const close = (reason: string): Promise<void> => {
    closing ??= shutDown(parts, reason, log);
    return closing;
  };

  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const db = openDatabase(databasePath(config), [
      ...REVIEW_MIGRATIONS,
      ...RECORDING_MIGRATIONS,
      ...archiveMigrations,
    ]);
    parts.db = db;

    const tokens = new TokenService(
      config.auth.tokenSecret ?? loadOrCreateSecret(config),
    );

    const objectStore =
      deps.objectStore ?? (await openObjectStore(config, logger, parts));
    parts.objectStore = objectStore;
    await objectStore.ensureBucket();
    await assertBucketIsWorm(objectStore, config.s3.allowWithoutObjectLock, logger);

    const pool = await WorkerPool.create({
      size: config.media.workers,
      ...(config.media.workerBin ? { workerBin: config.media.workerBin } : {}),
      logger,
    });
    parts.pool = pool;

    const reviewStore = new SqliteReviewStore(db);
    // Gauges read their sources at scrape time; the sources exist by the first scrape.
    const metrics = createMetrics({
      workers: () => pool.workers,
      sources: {
        liveReviews: () => sessions.size,
        peersByRole: () => sessions.connectedByRole(),
        transportsByKind: () => pool.transportsByType,
        recordingCaptures: () => recording?.activeCaptures ?? 0,
        uploadQueueLength: () => recording?.uploader.pending ?? 0,
      },
    });
    const recording = deps.createRecorder
      ? undefined
      : new RecordingService({
          config,
          store: new SqliteRecordingStore(db),
          objectStore,
          logger,
          metrics: recordingMetrics(metrics.registry),
          reviewIsOver: async (reviewId) => {
            const review = await reviewStore.getReview(reviewId);
            return !review || review.state === 'ended' || review.state === 'cancelled';
          },
        });
    parts.recording = recording;
    await recording?.start();

    const createRecorder: RecorderFactory =
      deps.createRecorder ??
      ((reviewId, router) =>
        (recording as RecordingService).createRecorder(reviewId, router, async () => {
          const review = await reviewStore.getReview(reviewId);
          if (!review) throw new AppError('NOT_FOUND', `Review ${reviewId} not found`);
          return { review, events: await reviewStore.listEvents(reviewId) };
        }));

    const publicUrl = { value: config.http.publicUrl ?? '' };
    const reviews = new ReviewService({
      store: reviewStore,
      tokens,
      publicUrl: () => publicUrl.value,
      joinTokenTtlSeconds: config.auth.joinTokenTtlSeconds,
      logger,
    });
    const sessions = new SessionRegistry({
      store: reviewStore,
      pool,
      transportSettings: transportSettingsFrom(config.media),
      createRecorder,
      limitSeconds: config.review.limitSeconds,
      warningsSeconds: config.review.warningsSeconds,
      logger,
      onEndedWithoutSession: (reviewId) => void recording?.sealLeftOpen(reviewId),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.timers ? { timers: deps.timers } : {}),
    });
    parts.sessions = sessions;
    await sessions.resumeLiveReviews();

    const context: SaraptaContext = {
      config,
      logger,
      db,
      tokens,
      pool,
      objectStore,
      metrics,
      reviewStore,
      reviews,
      sessions,
      recording,
    };
    const extensions: SaraptaExtension[] = [];
    parts.extensions = extensions;
    extensions.push(observability(context));
    if (deps.archive ?? true) extensions.push(await createArchiveExtension(context));

    const app = createHttpApp({
      api: reviewsRouter({
        reviews,
        store: reviewStore,
        sessions,
        operatorKey: config.auth.operatorKey,
      }),
      extraRouters: extensions.flatMap((extension) => extension.routers ?? []),
      ...(deps.clientDistDir ? { clientDistDir: deps.clientDistDir } : {}),
      logger,
    });
    const httpServer = http.createServer(app);
    parts.httpServer = httpServer;
    const url = await listen(httpServer, config.http.host, config.http.port);
    publicUrl.value ||= url;

    const signalling = new SignallingServer({ httpServer, reviews, sessions, logger });
    parts.signalling = signalling;

    log.info(
      { url, publicUrl: publicUrl.value, workers: pool.size, bucket: objectStore.bucket },
      'sarapta is listening',
    );

    return { ...context, url, publicUrl: publicUrl.value, httpServer, signalling, close };
  } catch (err) {
    await close('start-failed');
    throw err;
  }
}

/** /healthz, /readyz and /metrics. */
function observability(context: SaraptaContext): SaraptaExtension {
  const { config, db, pool, objectStore, metrics, logger } = context;
  const health = createHealthRouter({
    checks: [
      mediasoupWorkersCheck(() => pool.workers),
      s3Check(objectStore, { allowWithoutObjectLock: config.s3.allowWithoutObjectLock }),
      databaseCheck(db),
      ffmpegCheck(config.recording.ffmpegPath),
    ],
    logger,
  });

  return {
    name: 'observability',
    routers: [
      { path: '/', router: health },
      { path: '/', router: createMetricsRouter(metrics.registry) },
    ],
  };
}

/**
 * The configured S3, or the embedded RGW (persistent, under the data
 * directory), which this process then owns and stops at shutdown.
 */
async function openObjectStore(
  config: Readonly<Config>,
  logger: Logger,
  parts: StartedParts,
): Promise<ObjectStore> {
  if (config.s3.endpoint) return new ObjectStore(objectStoreOptionsFrom(config.s3));

  const embedded = new EmbeddedS3(embeddedS3OptionsFrom(config, logger));
  parts.embeddedS3 = embedded;
  const endpoint = await embedded.start();

  return new ObjectStore(objectStoreOptionsFrom(config.s3, endpoint));
}

/** The reverse of start: each step runs even if an earlier one failed. */
async function shutDown(parts: StartedParts, reason: string, log: Logger): Promise<void> {
  log.info({ reason }, 'shutting down');
  const step = async (name: string, work: () => Promise<void> | void): Promise<void> => {
    try {
      await work();
    } catch (err) {
      log.error({ err, step: name }, 'shutdown step failed');
    }
  };

  // Stop accepting first; open sockets stay so browsers can be told to come back.
  const httpClosed = parts.httpServer?.listening
    ? new Promise<void>((resolve) => parts.httpServer?.close(() => resolve()))
    : Promise.resolve();

  await step('sessions', () => parts.sessions?.close(reason));
  await step('signalling', () => parts.signalling?.close(reason));
  for (const extension of [...(parts.extensions ?? [])].reverse()) {
    await step(`extension ${extension.name}`, () => extension.close?.(reason));
  }
  await step('recording', () => parts.recording?.close(reason));
  await step('media workers', () => parts.pool?.close(reason));
  await step('http', async () => {
    parts.httpServer?.closeAllConnections();
    await httpClosed;
  });
  await step('object store', () => parts.ownObjectStore?.close());
  await step('database', () => parts.db?.close());
  await step('embedded s3', () => parts.embeddedS3?.stop(reason));
  log.info({ reason }, 'shut down');
}

function listen(server: http.Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost =
        address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

/** The configured token secret is preferred; otherwise one is generated once and kept. */
function loadOrCreateSecret(config: Readonly<Config>): string {
  const file = tokenSecretPath(config);
  try {
    // 'wx' fails if the file exists, so a secret is never overwritten (links would break).
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new AppError('CONFIG_INVALID', `Cannot create the token secret ${file}`, {
        cause: err,
      });
    }
  }

  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new AppError('CONFIG_INVALID', `The token secret in ${file} is too short`);
  }

  return secret;
}
