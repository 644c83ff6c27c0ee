/**
 * What the archive's operator commands (scripts/verify-recording.ts,
 * scripts/archive-token.ts, scripts/bench-retention.ts) need from a host
 * where the service runs: its database file, its token secret and its object
 * store, found from the same configuration the service reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { databasePath, embeddedS3Dir, tokenSecretPath } from '../config/data-dir.ts';
import { AppError } from '../errors.ts';
import { loadOrCreateCredentials } from '../../storage/embedded-s3/credentials.ts';
import { ObjectStore, objectStoreOptionsFrom } from '../../storage/object-store.ts';

/** Path of the service's metadata database. */
export function serviceDatabasePath(config: Readonly<Config>): string {
  return databasePath(config);
}

/** The secret the service signs tokens with; never creates one. */
export function serviceTokenSecret(config: Readonly<Config>): string {
  if (config.auth.tokenSecret) return config.auth.tokenSecret;

  const file = tokenSecretPath(config);
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
  if (config.s3.endpoint) return new ObjectStore(objectStoreOptionsFrom(config.s3));

  const embeddedDir = embeddedS3Dir(config);
  if (!fs.existsSync(path.join(embeddedDir, 'credentials.json'))) {
    throw new AppError(
      'CONFIG_INVALID',
      'No SARAPTA_S3_ENDPOINT and no embedded store under the data directory: start the service once',
    );
  }
  return new ObjectStore(
    objectStoreOptionsFrom(config.s3, {
      endpoint: `http://127.0.0.1:${config.s3.embeddedPort}`,
      ...loadOrCreateCredentials(embeddedDir),
    }),
  );
}
