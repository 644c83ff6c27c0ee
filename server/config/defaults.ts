/**
 * Every default value of the service, named, in one place. The configuration
 * schema (config.ts) refers to these; nothing else hard-codes them.
 */
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_LOG_LEVEL = 'info';

/** Where the service keeps its database, spool and embedded S3 data. */
export const DEFAULT_DATA_DIR = path.join(
  process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'),
  'sarapta',
);

/** One mediasoup worker per core: each worker is single-threaded. */
export const DEFAULT_MEDIA_WORKERS = Math.max(1, os.availableParallelism());
export const DEFAULT_RTC_MIN_PORT = 40000;
export const DEFAULT_RTC_MAX_PORT = 49999;
export const DEFAULT_MEDIA_LISTEN_IP = '127.0.0.1';
/**
 * How long a TURN credential minted from a shared secret stays valid: longer
 * than a review with its lobby and reconnections, short enough that a
 * credential copied out of a browser is soon useless.
 */
export const DEFAULT_TURN_CREDENTIAL_TTL_SECONDS = 2 * 3600;
/**
 * The pre-flight's media probe closes itself this long after it opened: the
 * browser needs about 15 s (ICE up to 12 s, then 3 s of media), and a probe
 * left open by a browser that went quiet must not hold a transport for long.
 */
export const DEFAULT_MEDIA_PROBE_TIMEOUT_SECONDS = 20;

/** The attestation rules: a review with the teacher present lasts at most 30 minutes. */
export const DEFAULT_REVIEW_LIMIT_SECONDS = 30 * 60;
/** Warnings before the cut, in seconds left. */
export const DEFAULT_REVIEW_WARNINGS_SECONDS = [5 * 60, 60, 30];

/** Join links stay valid this long after the scheduled start. */
export const DEFAULT_JOIN_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

export const DEFAULT_S3_REGION = 'us-east-1';
export const DEFAULT_S3_BUCKET = 'sarapta-recordings';
/** RGW (Ceph Pacific) predates flexible checksums; AWS accepts this too. */
export const DEFAULT_S3_CHECKSUM_MODE = 'WHEN_REQUIRED';

export const DEFAULT_EMBEDDED_S3_PORT = 7480;
export const DEFAULT_EMBEDDED_S3_MON_PORT = 3300;

/** Segment length: a crash loses at most this much of one track. */
export const DEFAULT_SEGMENT_SECONDS = 4;
/** Local spool for segments S3 has not confirmed yet. */
export const DEFAULT_SPOOL_MAX_BYTES = 5 * 1024 ** 3;
export const DEFAULT_SEAL_CONCURRENCY = 1;
/**
 * A failed seal (the composite's ffmpeg, S3 refusing the manifest) is tried
 * again in the running service: first after this pause, which doubles after
 * each failure in a row...
 */
export const DEFAULT_SEAL_RETRY_FIRST_SECONDS = 60;
/** ...up to this one, so an outage of days costs one attempt every half hour. */
export const DEFAULT_SEAL_RETRY_MAX_SECONDS = 30 * 60;
/** UDP ports where ffmpeg receives recorded RTP: outside the browsers' WebRTC range. */
export const DEFAULT_CAPTURE_MIN_PORT = 50000;
export const DEFAULT_CAPTURE_MAX_PORT = 50999;

/** The archive is Kazakhstan's: the composite's burned-in words are Russian unless set. */
export const DEFAULT_RECORDING_LANGUAGE = 'ru';

/** Recordings are kept at least one calendar year after the review. */
export const DEFAULT_RETENTION_YEARS = 1;
export const DEFAULT_RETENTION_CRON = '30 3 * * *';
export const DEFAULT_RETENTION_TIMEZONE = 'Asia/Almaty';
