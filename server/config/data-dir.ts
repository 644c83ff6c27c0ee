/**
 * The layout of the data directory, shared by the service and the operator
 * commands that run beside it (verify, archive tokens, benchmarks).
 */
import path from 'node:path';
import type { Config } from './config.ts';

/** The metadata database (SQLite). */
export function databasePath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'sarapta.db');
}

/** The token secret generated at first start when SARAPTA_TOKEN_SECRET is unset. */
export function tokenSecretPath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'token-secret');
}

/** State of the embedded S3 (Ceph RGW): data, logs and its generated key pair. */
export function embeddedS3Dir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 's3');
}
