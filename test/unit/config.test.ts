import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  ENV_VARIABLES,
  configWarnings,
  loadConfig,
  redactedSummary,
} from '../../server/config/config.ts';
import * as D from '../../server/config/defaults.ts';
import { AppError } from '../../server/errors.ts';

/** Loads the configuration and returns the CONFIG_INVALID message it throws. */
function configErrorMessage(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFIG_INVALID');
    return (err as AppError).message;
  }
  throw new Error('loadConfig accepted the configuration');
}

function tempFile(contents: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-config-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, contents);
  return file;
}

/** One value per variable that the schema must refuse. */
const BAD_VALUES: Record<string, string> = {
  SARAPTA_LOG_LEVEL: 'loud',
  SARAPTA_HTTP_PORT: '70000',
  SARAPTA_PUBLIC_URL: 'not a url',
  SARAPTA_TOKEN_SECRET: 'too-short',
  SARAPTA_OPERATOR_KEY: 'short',
  SARAPTA_ARCHIVIST_KEY: 'short',
  SARAPTA_JOIN_TOKEN_TTL_SECONDS: '-1',
  SARAPTA_MEDIA_WORKERS: '0',
  SARAPTA_RTC_MIN_PORT: 'abc',
  SARAPTA_RTC_MAX_PORT: '99999',
  SARAPTA_TURN_SERVERS: '[{"username":"no-urls"}]',
  SARAPTA_ICE_TRANSPORT_POLICY: 'none',
  SARAPTA_MEDIA_PROBE_TIMEOUT_SECONDS: '0',
  SARAPTA_REVIEW_LIMIT_SECONDS: '1.5',
  SARAPTA_REVIEW_WARNINGS_SECONDS: '60,soon',
  SARAPTA_S3_ENDPOINT: 'nowhere',
  SARAPTA_S3_BUCKET: 'ab',
  SARAPTA_S3_FORCE_PATH_STYLE: 'maybe',
  SARAPTA_S3_CHECKSUM_MODE: 'ALWAYS',
  SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK: 'perhaps',
  SARAPTA_EMBEDDED_S3_PORT: '-5',
  SARAPTA_EMBEDDED_S3_MON_PORT: 'x',
  SARAPTA_SEGMENT_SECONDS: '0',
  SARAPTA_SPOOL_MAX_BYTES: 'lots',
  SARAPTA_SEAL_CONCURRENCY: '0',
  SARAPTA_SEAL_RETRY_FIRST_SECONDS: '0',
  SARAPTA_SEAL_RETRY_MAX_SECONDS: 'soon',
  SARAPTA_CAPTURE_MIN_PORT: '70000',
  SARAPTA_CAPTURE_MAX_PORT: '-1',
  SARAPTA_RECORDING_LANGUAGE: 'de',
  SARAPTA_RETENTION_YEARS: '0',
  SARAPTA_RETENTION_ENABLED: 'sometimes',
};

/** Free-form variables: any non-empty string is a valid value for them. */
const FREE_FORM = [
  'SARAPTA_DATA_DIR',
  'SARAPTA_HTTP_HOST',
  'SARAPTA_MEDIA_LISTEN_IP',
  'SARAPTA_ANNOUNCED_ADDRESS',
  'SARAPTA_MEDIASOUP_WORKER_BIN',
  'SARAPTA_S3_REGION',
  'SARAPTA_S3_ACCESS_KEY_ID',
  'SARAPTA_S3_SECRET_ACCESS_KEY',
  'SARAPTA_FFMPEG_PATH',
  'SARAPTA_FFPROBE_PATH',
  'SARAPTA_RETENTION_CRON',
  'SARAPTA_RETENTION_TIMEZONE',
];

describe('loadConfig', () => {
  it('gives every setting its named default when the environment is empty', () => {
    const config = loadConfig({});

    expect(config.logLevel).toBe(D.DEFAULT_LOG_LEVEL);
    expect(config.dataDir).toBe(D.DEFAULT_DATA_DIR);
    expect(config.http).toEqual({ host: D.DEFAULT_HTTP_HOST, port: D.DEFAULT_HTTP_PORT });
    expect(config.media.workers).toBe(D.DEFAULT_MEDIA_WORKERS);
    expect(config.media.rtcMinPort).toBe(D.DEFAULT_RTC_MIN_PORT);
    expect(config.media.rtcMaxPort).toBe(D.DEFAULT_RTC_MAX_PORT);
    expect(config.media.turnServers).toEqual([]);
    expect(config.review).toEqual({
      limitSeconds: 30 * 60,
      warningsSeconds: [300, 60, 30],
    });
    expect(config.auth.joinTokenTtlSeconds).toBe(D.DEFAULT_JOIN_TOKEN_TTL_SECONDS);
    expect(config.s3.endpoint).toBeUndefined();
    expect(config.s3).toMatchObject({
      region: D.DEFAULT_S3_REGION,
      bucket: D.DEFAULT_S3_BUCKET,
      forcePathStyle: true,
      checksumMode: 'WHEN_REQUIRED',
      allowWithoutObjectLock: false,
      embeddedPort: D.DEFAULT_EMBEDDED_S3_PORT,
      embeddedMonPort: D.DEFAULT_EMBEDDED_S3_MON_PORT,
    });
    expect(config.recording).toMatchObject({
      segmentSeconds: D.DEFAULT_SEGMENT_SECONDS,
      spoolMaxBytes: D.DEFAULT_SPOOL_MAX_BYTES,
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
    });
    expect(config.retention).toEqual({
      years: 1,
      cron: D.DEFAULT_RETENTION_CRON,
      timezone: 'Asia/Almaty',
      enabled: true,
    });
  });

  it('reads typed values from the environment', () => {
    const config = loadConfig({
      SARAPTA_HTTP_PORT: '9090',
      SARAPTA_REVIEW_WARNINGS_SECONDS: '20, 10',
      SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK: 'yes',
      SARAPTA_TURN_SERVERS: '[{"urls":"turn:turn.example.kz:3478"}]',
    });

    expect(config.http.port).toBe(9090);
    expect(config.review.warningsSeconds).toEqual([20, 10]);
    expect(config.s3.allowWithoutObjectLock).toBe(true);
    expect(config.media.turnServers).toEqual([{ urls: 'turn:turn.example.kz:3478' }]);
  });

  it('warns of review warnings that the limit makes impossible', () => {
    const short = loadConfig({
      SARAPTA_REVIEW_LIMIT_SECONDS: '180',
      SARAPTA_REVIEW_WARNINGS_SECONDS: '300, 180, 60',
    });
    expect(configWarnings(short)).toEqual([
      'SARAPTA_REVIEW_WARNINGS_SECONDS 300, 180 is not below SARAPTA_REVIEW_LIMIT_SECONDS 180: those warnings are never given',
    ]);

    expect(configWarnings(loadConfig({}))).toEqual([]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SARAPTA_HTTP_PORT: '' }).http.port).toBe(D.DEFAULT_HTTP_PORT);
  });

  it('returns a frozen configuration', () => {
    const config = loadConfig({});

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.s3)).toBe(true);
  });

  it('has a bad-value case or a free-form entry for every environment variable', () => {
    const covered = [...Object.keys(BAD_VALUES), ...FREE_FORM].sort();

    expect(covered).toEqual(Object.keys(ENV_VARIABLES).sort());
  });

  it.each(Object.entries(BAD_VALUES))(
    'refuses %s=%s with a message naming it',
    (name, value) => {
      // An endpoint needs keys; give them so that only the endpoint's format is at fault.
      const env =
        name === 'SARAPTA_S3_ENDPOINT'
          ? {
              [name]: value,
              SARAPTA_S3_ACCESS_KEY_ID: 'k',
              SARAPTA_S3_SECRET_ACCESS_KEY: 's',
            }
          : { [name]: value };

      expect(configErrorMessage(env)).toContain(name);
    },
  );

  it('lists every bad value at once', () => {
    const message = configErrorMessage({
      SARAPTA_HTTP_PORT: 'x',
      SARAPTA_MEDIA_WORKERS: '0',
    });

    expect(message).toContain('SARAPTA_HTTP_PORT');
    expect(message).toContain('SARAPTA_MEDIA_WORKERS');
  });

  it('refuses TURN servers that are not JSON, naming the variable', () => {
    expect(configErrorMessage({ SARAPTA_TURN_SERVERS: '{not json' })).toContain(
      'SARAPTA_TURN_SERVERS',
    );
  });

  it('refuses a TURN server given both a secret and fixed credentials', () => {
    const both = JSON.stringify([
      { urls: 'turn:turn.example.kz', secret: 'a-long-shared-secret', username: 'u' },
    ]);

    expect(configErrorMessage({ SARAPTA_TURN_SERVERS: both })).toContain(
      'either secret or username and credential',
    );
  });

  it('reads a TURN server with a shared secret and the relay-only policy', () => {
    const config = loadConfig({
      SARAPTA_TURN_SERVERS:
        '[{"urls":"turns:turn.example.kz:443","secret":"a-long-shared-secret"}]',
      SARAPTA_ICE_TRANSPORT_POLICY: 'relay',
    });

    expect(config.media.turnServers).toEqual([
      { urls: 'turns:turn.example.kz:443', secret: 'a-long-shared-secret' },
    ]);
    expect(config.media.iceTransportPolicy).toBe('relay');
    expect(loadConfig({}).media.iceTransportPolicy).toBe('all');
  });

  it('refuses a media port range whose minimum is above its maximum', () => {
    const message = configErrorMessage({
      SARAPTA_RTC_MIN_PORT: '50000',
      SARAPTA_RTC_MAX_PORT: '40000',
    });

    expect(message).toContain('SARAPTA_RTC_MIN_PORT');
    expect(message).toContain('SARAPTA_RTC_MAX_PORT');
  });

  it('refuses a capture port range whose minimum is not below its maximum', () => {
    const message = configErrorMessage({
      SARAPTA_CAPTURE_MIN_PORT: '51000',
      SARAPTA_CAPTURE_MAX_PORT: '50000',
    });

    expect(message).toContain('SARAPTA_CAPTURE_MIN_PORT');
    expect(message).toContain('SARAPTA_CAPTURE_MAX_PORT');
  });

  it('refuses an external S3 endpoint without keys, naming the missing variables', () => {
    const message = configErrorMessage({ SARAPTA_S3_ENDPOINT: 'https://s3.example.kz' });

    expect(message).toContain('SARAPTA_S3_ACCESS_KEY_ID');
    expect(message).toContain('SARAPTA_S3_SECRET_ACCESS_KEY');
  });

  it('names SARAPTA_CONFIG_FILE when the file cannot be read', () => {
    expect(
      configErrorMessage({ SARAPTA_CONFIG_FILE: '/nonexistent/sarapta.json' }),
    ).toContain('SARAPTA_CONFIG_FILE');
  });

  it('names SARAPTA_CONFIG_FILE when the file is not a JSON object', () => {
    expect(configErrorMessage({ SARAPTA_CONFIG_FILE: tempFile('[1, 2]') })).toContain(
      'SARAPTA_CONFIG_FILE',
    );
  });

  it('reads the configuration file and lets the environment override it', () => {
    const file = tempFile(
      JSON.stringify({ http: { port: 8181 }, s3: { bucket: 'from-file' } }),
    );

    const config = loadConfig({ SARAPTA_CONFIG_FILE: file, SARAPTA_HTTP_PORT: '8282' });

    expect(config.http.port).toBe(8282);
    expect(config.s3.bucket).toBe('from-file');
  });
});

describe('redactedSummary', () => {
  it('never contains a secret, only whether it is set', () => {
    const secrets = {
      SARAPTA_TOKEN_SECRET: 'token-secret-0123456789-0123456789-abcdef',
      SARAPTA_OPERATOR_KEY: 'operator-key-0123456789',
      SARAPTA_ARCHIVIST_KEY: 'archivist-key-0123456789',
      SARAPTA_S3_ACCESS_KEY_ID: 'access-key-id-0123456789',
      SARAPTA_S3_SECRET_ACCESS_KEY: 'secret-access-key-0123456789',
    };
    const turnCredential = 'turn-credential-0123456789';
    const config = loadConfig({
      ...secrets,
      SARAPTA_S3_ENDPOINT: 'https://s3.example.kz',
      SARAPTA_TURN_SERVERS: JSON.stringify([
        { urls: 'turn:turn.example.kz', username: 'u', credential: turnCredential },
      ]),
    });

    const summary = JSON.stringify(redactedSummary(config));

    for (const secret of [...Object.values(secrets), turnCredential]) {
      expect(summary).not.toContain(secret);
    }
    expect(redactedSummary(config)).toMatchObject({
      s3: { credentials: 'set' },
      auth: { tokenSecret: 'set', operatorKey: 'set', archivistKey: 'set' },
    });
  });
});
