/**
 * What the archive's operator commands (scripts/verify-recording.ts,
 * scripts/archive-token.ts, scripts/bench-retention.ts) need from a host
 * where the service runs: its database file, its token secret and its object
 * store, found from the same configuration the service reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { AppError } from '../errors.ts';
import { loadOrCreateCredentials } from '../../storage/embedded-s3/credentials.ts';
import { ObjectStore } from '../../storage/object-store.ts';

/** The service's database file under dataDir (server/app.ts opens the same one). */
export const SERVICE_DATABASE_FILE = 'sarapta.db';
/** The generated token secret under dataDir when none is configured (server/app.ts). */
export const SERVICE_TOKEN_SECRET_FILE = 'token-secret';
/** The embedded store keeps its key pair here, under dataDir. */
const EMBEDDED_S3_DIR = 's3';

/** Path of the service's metadata database. */
export function serviceDatabasePath(config: Readonly<Config>): string {
  return path.join(config.dataDir, SERVICE_DATABASE_FILE);
}

/** The secret the service signs tokens with; never creates one. */
export function serviceTokenSecret(config: Readonly<Config>): string {
  if (config.auth.tokenSecret) return config.auth.tokenSecret;

  const file = path.join(config.dataDir, SERVICE_TOKEN_SECRET_FILE);
  if (!fs.existsSync(file)) {
    throw new AppError(
      'CONFIG_INVALID',
      `No SARAPTA_TOKEN_SECRET and no ${file}: start the service once, or set the secret`,
    );
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** The object store the service uses: the configured S3, else the embedded one. */
export function operatorObjectStore(config: Readonly<Config>): ObjectStore {
  const { s3 } = config;
  if (s3.endpoint && s3.accessKeyId && s3.secretAccessKey) {
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

  const embeddedDir = path.join(config.dataDir, EMBEDDED_S3_DIR);
  if (!fs.existsSync(path.join(embeddedDir, 'credentials.json'))) {
    throw new AppError(
      'CONFIG_INVALID',
      'No SARAPTA_S3_ENDPOINT and no embedded store under the data directory: start the service once',
    );
  }
  const credentials = loadOrCreateCredentials(embeddedDir);
  return new ObjectStore({
    endpoint: `http://127.0.0.1:${s3.embeddedPort}`,
    region: s3.region,
    bucket: s3.bucket,
    ...credentials,
    forcePathStyle: true,
    checksumMode: s3.checksumMode,
  });
}
