/**
 * The composition root: builds the service in order (database, tokens, media
 * workers, object store, review domain, other areas' extensions, HTTP,
 * signalling) and shuts it down in reverse: stop accepting, end live reviews,
 * disconnect browsers, close extensions, media workers, database.
 *
 * Other areas plug in through `deps` (marked SEAM below) instead of being
 * imported here, so each can be wired when it exists.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TokenService } from './auth/tokens.ts';
import type { Config } from './config/config.ts';
import { AppError } from './errors.ts';
import { createHttpApp, type MountedRouter } from './http/http-app.ts';
import { reviewsRouter } from './http/reviews-router.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { createAbsentRecorder } from './review/absent-recorder.ts';
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
import { openDatabase, type DatabaseSync, type Migration } from './store/database.ts';
import { ObjectStore } from '../storage/object-store.ts';

/** The running parts, handed to extensions and returned to the caller. */
export interface SaraptaContext {
  config: Readonly<Config>;
  logger: Logger;
  db: DatabaseSync;
  tokens: TokenService;
  pool: WorkerPool;
  /** Undefined until an S3 endpoint is configured or an embedded store is passed in. */
  objectStore: ObjectStore | undefined;
  reviewStore: ReviewStore;
  reviews: ReviewService;
  sessions: SessionRegistry;
}

/** A part of another area plugged into the service (health, metrics, archive, retention). */
export interface SaraptaExtension {
  name: string;
  /** Mounted before the browser pages, in the order given. */
  routers?: MountedRouter[];
  /** Called at shutdown, extensions in reverse order. */
  close?(reason: string): Promise<void> | void;
}

/** What other areas inject. Every field is optional. */
export interface SaraptaDeps {
  logger?: Logger;
  /** SEAM recording/: the recorder of each review. Without it reviews cannot start. */
  createRecorder?: RecorderFactory;
  /** SEAM storage/embedded-s3/: the store the embedded RGW supervisor provides. */
  objectStore?: ObjectStore;
  /** SEAM: other areas' tables (recordings, archive, audit), applied after the reviews'. */
  migrations?: readonly Migration[];
  /** SEAM server/health/, server/metrics/, server/archive/, retention: built once the core runs. */
  extensions?: (
    context: SaraptaContext,
  ) => Promise<SaraptaExtension[]> | SaraptaExtension[];
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

/** File under dataDir holding the generated token secret when none is configured. */
const TOKEN_SECRET_FILE = 'token-secret';
const DATABASE_FILE = 'sarapta.db';

/** Starts the service; on failure closes whatever had started and rethrows. */
export async function startSarapta(
  config: Readonly<Config>,
  deps: SaraptaDeps = {},
): Promise<Sarapta> {
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const log = logger.child({ component: 'app' });
  const parts: Partial<Sarapta> & { extensions?: SaraptaExtension[] } = {};
  let closing: Promise<void> | undefined;

  const close = (reason: string): Promise<void> => {
    closing ??= shutDown(parts, reason, log);
    return closing;
  };

  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const db = openDatabase(path.join(config.dataDir, DATABASE_FILE), [
      ...REVIEW_MIGRATIONS,
      ...(deps.migrations ?? []),
    ]);
    parts.db = db;

    const tokens = new TokenService(
      config.auth.tokenSecret ?? loadOrCreateSecret(config.dataDir),
    );
    const pool = await WorkerPool.create({
      size: config.media.workers,
      ...(config.media.workerBin ? { workerBin: config.media.workerBin } : {}),
      logger,
    });
    parts.pool = pool;

    const objectStore = deps.objectStore ?? objectStoreFrom(config);
    const reviewStore = new SqliteReviewStore(db);
    const publicUrl = { value: config.http.publicUrl ?? '' };
    const reviews = new ReviewService({
      store: reviewStore,
      tokens,
      publicUrl: () => publicUrl.value,
      joinTokenTtlSeconds: config.auth.joinTokenTtlSeconds,
      logger,
    });
    if (!deps.createRecorder) log.warn('no recorder attached: reviews cannot be started');
    const sessions = new SessionRegistry({
      store: reviewStore,
      pool,
      transportSettings: transportSettingsFrom(config.media),
      createRecorder: deps.createRecorder ?? createAbsentRecorder,
      limitSeconds: config.review.limitSeconds,
      warningsSeconds: config.review.warningsSeconds,
      logger,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.timers ? { timers: deps.timers } : {}),
    });
    parts.sessions = sessions;

    const context: SaraptaContext = {
      config,
      logger,
      db,
      tokens,
      pool,
      objectStore,
      reviewStore,
      reviews,
      sessions,
    };
    const extensions = (await deps.extensions?.(context)) ?? [];
    parts.extensions = extensions;

    const app = createHttpApp({
      api: reviewsRouter({
        reviews,
        store: reviewStore,
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
      { url, publicUrl: publicUrl.value, workers: pool.size },
      'sarapta is listening',
    );

    return { ...context, url, publicUrl: publicUrl.value, httpServer, signalling, close };
  } catch (err) {
    await close('start-failed');
    throw err;
  }
}

/** The reverse of start: each step runs even if an earlier one failed. */
async function shutDown(
  parts: Partial<Sarapta> & { extensions?: SaraptaExtension[] },
  reason: string,
  log: Logger,
): Promise<void> {
  log.info({ reason }, 'shutting down');
  const step = async (name: string, work: () => Promise<void> | void): Promise<void> => {
    try {
      await work();
    } catch (err) {
      log.error({ err, step: name }, 'shutdown step failed');
    }
  };

  // Stop accepting first; open sockets stay so live reviews can be told they ended.
  const httpClosed = parts.httpServer?.listening
    ? new Promise<void>((resolve) => parts.httpServer?.close(() => resolve()))
    : Promise.resolve();

  await step('sessions', () => parts.sessions?.close(reason));
  await step('signalling', () => parts.signalling?.close(reason));
  for (const extension of [...(parts.extensions ?? [])].reverse()) {
    await step(`extension ${extension.name}`, () => extension.close?.(reason));
  }
  await step('media workers', () => parts.pool?.close(reason));
  await step('http', async () => {
    parts.httpServer?.closeAllConnections();
    await httpClosed;
  });
  await step('database', () => parts.db?.close());
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
function loadOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, TOKEN_SECRET_FILE);
  try {
    // 'wx' fails if the file exists, so a secret is never overwritten (links would break).
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new AppError(
        'CONFIG_INVALID',
        `Cannot create the token secret in ${dataDir}`,
        {
          cause: err,
        },
      );
    }
  }

  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new AppError('CONFIG_INVALID', `The token secret in ${file} is too short`);
  }

  return secret;
}

function objectStoreFrom(config: Readonly<Config>): ObjectStore | undefined {
  const { s3 } = config;
  if (!s3.endpoint || !s3.accessKeyId || !s3.secretAccessKey) return undefined;

  return new ObjectStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: s3.forcePathStyle,
    checksumMode: s3.checksumMode,
  });
}
