/**
 * Configuration: read once at start-up from environment variables (and an
 * optional JSON file named by SARAPTA_CONFIG_FILE), validated, frozen. A bad
 * value stops the service with a message naming the variable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import * as D from './defaults.ts';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');
const secondsList = z
  .union([z.array(positiveInt), z.string()])
  .transform((v) =>
    typeof v === 'string' ? v.split(',').map((s) => Number(s.trim())) : v,
  )
  .pipe(z.array(z.number().int().positive()));

/**
 * A TURN (or STUN) server for browsers. Either fixed credentials, handed to
 * every browser as they are, or the secret shared with the TURN server
 * (coturn's use-auth-secret), from which each connection gets its own
 * credential that expires after credentialTtlSeconds.
 */
const turnServer = z
  .object({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    username: z.string().optional(),
    credential: z.string().optional(),
    secret: z.string().min(16).optional(),
    /** With secret: seconds a minted credential lasts (DEFAULT_TURN_CREDENTIAL_TTL_SECONDS). */
    credentialTtlSeconds: positiveInt.optional(),
  })
  .refine((server) => !(server.secret && (server.username || server.credential)), {
    message: 'give either secret or username and credential, not both',
  });

/** The validated configuration. Field comments give units. */
export const configSchema = z.object({
  logLevel: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default(D.DEFAULT_LOG_LEVEL),
  dataDir: z.string().min(1).default(D.DEFAULT_DATA_DIR),

  http: z
    .object({
      host: z.string().default(D.DEFAULT_HTTP_HOST),
      port: port.default(D.DEFAULT_HTTP_PORT),
      /** Base URL written into join links; defaults to http://host:port. */
      publicUrl: z.string().url().optional(),
    })
    .prefault({}),

  auth: z
    .object({
      /** HMAC secret for join tokens; at least 32 characters. */
      tokenSecret: z.string().min(32).optional(),
      /** Bearer key for the operator API (creating reviews). */
      operatorKey: z.string().min(16).optional(),
      /** Bearer key for archivists. */
      archivistKey: z.string().min(16).optional(),
      joinTokenTtlSeconds: positiveInt.default(D.DEFAULT_JOIN_TOKEN_TTL_SECONDS),
    })
    .prefault({}),

  media: z
    .object({
      workers: positiveInt.default(D.DEFAULT_MEDIA_WORKERS),
      rtcMinPort: port.default(D.DEFAULT_RTC_MIN_PORT),
      rtcMaxPort: port.default(D.DEFAULT_RTC_MAX_PORT),
      listenIp: z.string().default(D.DEFAULT_MEDIA_LISTEN_IP),
      /** Address given to browsers in ICE candidates (public IP behind NAT). */
      announcedAddress: z.string().optional(),
      turnServers: z.array(turnServer).default([]),
      /**
       * 'relay' makes browsers send media only through the TURN servers
       * (networks where direct paths are known to fail, or must not be used).
       */
      iceTransportPolicy: z.enum(['all', 'relay']).default('all'),
      /** Seconds before a pre-flight media probe closes itself, read or not. */
      probeTimeoutSeconds: positiveInt.default(D.DEFAULT_MEDIA_PROBE_TIMEOUT_SECONDS),
      /** A mediasoup-worker binary other than the one under node_modules. */
      workerBin: z.string().optional(),
    })
    .prefault({}),

  review: z
    .object({
      limitSeconds: positiveInt.default(D.DEFAULT_REVIEW_LIMIT_SECONDS),
      warningsSeconds: secondsList.default(D.DEFAULT_REVIEW_WARNINGS_SECONDS),
    })
    .prefault({}),

  s3: z
    .object({
      /** External S3 endpoint; when unset the embedded RGW is started. */
      endpoint: z.string().url().optional(),
      region: z.string().default(D.DEFAULT_S3_REGION),
      bucket: z.string().min(3).default(D.DEFAULT_S3_BUCKET),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      forcePathStyle: bool.default(true),
      checksumMode: z
        .enum(['WHEN_REQUIRED', 'WHEN_SUPPORTED'])
        .default(D.DEFAULT_S3_CHECKSUM_MODE),
      /** Operator's explicit acceptance of a bucket without Object Lock. */
      allowWithoutObjectLock: bool.default(false),
      embeddedPort: port.default(D.DEFAULT_EMBEDDED_S3_PORT),
      embeddedMonPort: port.default(D.DEFAULT_EMBEDDED_S3_MON_PORT),
    })
    .prefault({}),

  recording: z
    .object({
      segmentSeconds: positiveInt.default(D.DEFAULT_SEGMENT_SECONDS),
      spoolMaxBytes: positiveInt.default(D.DEFAULT_SPOOL_MAX_BYTES),
      sealConcurrency: positiveInt.default(D.DEFAULT_SEAL_CONCURRENCY),
      /** Seconds before a failed seal is tried again; doubles after each failure. */
      sealRetryFirstSeconds: positiveInt.default(D.DEFAULT_SEAL_RETRY_FIRST_SECONDS),
      /** The longest pause, in seconds, between two attempts of a failing seal. */
      sealRetryMaxSeconds: positiveInt.default(D.DEFAULT_SEAL_RETRY_MAX_SECONDS),
      captureMinPort: port.default(D.DEFAULT_CAPTURE_MIN_PORT),
      captureMaxPort: port.default(D.DEFAULT_CAPTURE_MAX_PORT),
      ffmpegPath: z.string().default('ffmpeg'),
      ffprobePath: z.string().default('ffprobe'),
      /** Language of the words burned into the composite (roles, placeholders). */
      language: z.enum(['kk', 'ru', 'en']).default(D.DEFAULT_RECORDING_LANGUAGE),
    })
    .prefault({}),

  retention: z
    .object({
      years: positiveInt.default(D.DEFAULT_RETENTION_YEARS),
      cron: z.string().default(D.DEFAULT_RETENTION_CRON),
      timezone: z.string().default(D.DEFAULT_RETENTION_TIMEZONE),
      enabled: bool.default(true),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

/** Environment variable -> path in the configuration object. */
export const ENV_VARIABLES: Record<string, string> = {
  SARAPTA_LOG_LEVEL: 'logLevel',
  SARAPTA_DATA_DIR: 'dataDir',
  SARAPTA_HTTP_HOST: 'http.host',
  SARAPTA_HTTP_PORT: 'http.port',
  SARAPTA_PUBLIC_URL: 'http.publicUrl',
  SARAPTA_TOKEN_SECRET: 'auth.tokenSecret',
  SARAPTA_OPERATOR_KEY: 'auth.operatorKey',
  SARAPTA_ARCHIVIST_KEY: 'auth.archivistKey',
  SARAPTA_JOIN_TOKEN_TTL_SECONDS: 'auth.joinTokenTtlSeconds',
  SARAPTA_MEDIA_WORKERS: 'media.workers',
  SARAPTA_RTC_MIN_PORT: 'media.rtcMinPort',
  SARAPTA_RTC_MAX_PORT: 'media.rtcMaxPort',
  SARAPTA_MEDIA_LISTEN_IP: 'media.listenIp',
  SARAPTA_ANNOUNCED_ADDRESS: 'media.announcedAddress',
  SARAPTA_TURN_SERVERS: 'media.turnServers',
  SARAPTA_ICE_TRANSPORT_POLICY: 'media.iceTransportPolicy',
  SARAPTA_MEDIA_PROBE_TIMEOUT_SECONDS: 'media.probeTimeoutSeconds',
  SARAPTA_MEDIASOUP_WORKER_BIN: 'media.workerBin',
  SARAPTA_REVIEW_LIMIT_SECONDS: 'review.limitSeconds',
  SARAPTA_REVIEW_WARNINGS_SECONDS: 'review.warningsSeconds',
  SARAPTA_S3_ENDPOINT: 's3.endpoint',
  SARAPTA_S3_REGION: 's3.region',
  SARAPTA_S3_BUCKET: 's3.bucket',
  SARAPTA_S3_ACCESS_KEY_ID: 's3.accessKeyId',
  SARAPTA_S3_SECRET_ACCESS_KEY: 's3.secretAccessKey',
  SARAPTA_S3_FORCE_PATH_STYLE: 's3.forcePathStyle',
  SARAPTA_S3_CHECKSUM_MODE: 's3.checksumMode',
  SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK: 's3.allowWithoutObjectLock',
  SARAPTA_EMBEDDED_S3_PORT: 's3.embeddedPort',
  SARAPTA_EMBEDDED_S3_MON_PORT: 's3.embeddedMonPort',
  SARAPTA_SEGMENT_SECONDS: 'recording.segmentSeconds',
  SARAPTA_SPOOL_MAX_BYTES: 'recording.spoolMaxBytes',
  SARAPTA_SEAL_CONCURRENCY: 'recording.sealConcurrency',
  SARAPTA_SEAL_RETRY_FIRST_SECONDS: 'recording.sealRetryFirstSeconds',
  SARAPTA_SEAL_RETRY_MAX_SECONDS: 'recording.sealRetryMaxSeconds',
  SARAPTA_CAPTURE_MIN_PORT: 'recording.captureMinPort',
  SARAPTA_CAPTURE_MAX_PORT: 'recording.captureMaxPort',
  SARAPTA_FFMPEG_PATH: 'recording.ffmpegPath',
  SARAPTA_FFPROBE_PATH: 'recording.ffprobePath',
  SARAPTA_RECORDING_LANGUAGE: 'recording.language',
  SARAPTA_RETENTION_YEARS: 'retention.years',
  SARAPTA_RETENTION_CRON: 'retention.cron',
  SARAPTA_RETENTION_TIMEZONE: 'retention.timezone',
  SARAPTA_RETENTION_ENABLED: 'retention.enabled',
};

/** Variables whose values are JSON rather than plain strings. */
const JSON_VARIABLES = new Set(['SARAPTA_TURN_SERVERS']);

/**
 * Builds the configuration from a file (optional) overlaid by the
 * environment. Throws AppError CONFIG_INVALID listing every bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const raw: Record<string, unknown> = readConfigFile(env.SARAPTA_CONFIG_FILE);

  for (const [name, target] of Object.entries(ENV_VARIABLES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;

    setPath(
      raw,
      target,
      JSON_VARIABLES.has(name) ? parseJsonVariable(name, value) : value,
    );
  }

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const where = issue.path.join('.');
      // Nested issues (an element of a list) belong to the variable of their parent path.
      const variable = Object.keys(ENV_VARIABLES).find(
        (k) => where === ENV_VARIABLES[k] || where.startsWith(`${ENV_VARIABLES[k]}.`),
      );
      return `${variable ?? where}: ${issue.message}`;
    });
    throw new AppError(
      'CONFIG_INVALID',
      `Invalid configuration:\n  ${problems.join('\n  ')}`,
      {
        details: { problems },
      },
    );
  }

  const config = parsed.data;
  if (config.media.rtcMinPort > config.media.rtcMaxPort) {
    throw new AppError(
      'CONFIG_INVALID',
      'Invalid configuration: SARAPTA_RTC_MIN_PORT is above SARAPTA_RTC_MAX_PORT',
    );
  }
  if (config.recording.captureMinPort >= config.recording.captureMaxPort) {
    throw new AppError(
      'CONFIG_INVALID',
      'Invalid configuration: SARAPTA_CAPTURE_MIN_PORT must be below SARAPTA_CAPTURE_MAX_PORT',
    );
  }
  if (config.recording.sealRetryFirstSeconds > config.recording.sealRetryMaxSeconds) {
    throw new AppError(
      'CONFIG_INVALID',
      'Invalid configuration: SARAPTA_SEAL_RETRY_FIRST_SECONDS is above SARAPTA_SEAL_RETRY_MAX_SECONDS',
    );
  }
  if (config.s3.endpoint && (!config.s3.accessKeyId || !config.s3.secretAccessKey)) {
    throw new AppError(
      'CONFIG_INVALID',
      'Invalid configuration: SARAPTA_S3_ENDPOINT needs SARAPTA_S3_ACCESS_KEY_ID and SARAPTA_S3_SECRET_ACCESS_KEY',
    );
  }

  return deepFreeze(config);
}

/**
 * Settings that are valid but will not do what they seem to: the service
 * starts and logs each at startup. A review warning at or beyond the limit
 * would never be given (the review ends first); it is not refused, so a
 * short trial limit can keep the default warnings.
 */
export function configWarnings(config: Readonly<Config>): string[] {
  const { limitSeconds, warningsSeconds } = config.review;
  const never = warningsSeconds.filter((seconds) => seconds >= limitSeconds);
  if (never.length === 0) return [];

  return [
    `SARAPTA_REVIEW_WARNINGS_SECONDS ${never.join(', ')} is not below ` +
      `SARAPTA_REVIEW_LIMIT_SECONDS ${limitSeconds}: ` +
      `${never.length === 1 ? 'that warning is' : 'those warnings are'} never given`,
  ];
}

/** A summary safe to log: no secrets, only whether they are set. */
export function redactedSummary(config: Config): Record<string, unknown> {
  return {
    dataDir: config.dataDir,
    http: config.http,
    media: { ...config.media, turnServers: config.media.turnServers.length },
    review: config.review,
    s3: {
      endpoint: config.s3.endpoint ?? 'embedded',
      bucket: config.s3.bucket,
      region: config.s3.region,
      credentials: config.s3.accessKeyId ? 'set' : 'unset',
      checksumMode: config.s3.checksumMode,
      allowWithoutObjectLock: config.s3.allowWithoutObjectLock,
    },
    recording: config.recording,
    retention: config.retention,
    auth: {
      tokenSecret: config.auth.tokenSecret ? 'set' : 'generated',
      operatorKey: config.auth.operatorKey ? 'set' : 'unset',
      archivistKey: config.auth.archivistKey ? 'set' : 'unset',
    },
  };
}

function readConfigFile(file: string | undefined): Record<string, unknown> {
  if (!file) return {};

  let text: string;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (err) {
    throw new AppError('CONFIG_INVALID', `Cannot read SARAPTA_CONFIG_FILE ${file}`, {
      cause: err,
    });
  }

  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('not a JSON object');
    }
    return value as Record<string, unknown>;
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `SARAPTA_CONFIG_FILE ${file} is not a JSON object`,
      {
        cause: err,
      },
    );
  }
}

function parseJsonVariable(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `Invalid configuration:\n  ${name}: not valid JSON`,
      {
        cause: err,
      },
    );
  }
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
