/**
 * The S3 key pair of the embedded store: generated once, then kept in the
 * state directory (owner-only) so that a restart serves the same keys.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../server/errors.ts';

/** An S3 access key pair. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const credentialsSchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
});

const CREDENTIALS_FILE = 'credentials.json';

/** Reads the key pair stored under `dir`, creating and storing one if there is none. */
export function loadOrCreateCredentials(dir: string): S3Credentials {
  const file = path.join(dir, CREDENTIALS_FILE);

  if (fs.existsSync(file)) return readCredentials(file);

  const credentials: S3Credentials = {
    accessKeyId: `sarapta${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  fs.mkdirSync(dir, { recursive: true });
  // 'wx' fails if another process wrote the file first: the keys must never change once used.
  fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600, flag: 'wx' });

  return credentials;
}

function readCredentials(file: string): S3Credentials {
  try {
    return credentialsSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (err) {
    throw new AppError(
      'CONFIG_INVALID',
      `Embedded S3 credentials file ${file} is damaged`,
      {
        cause: err,
      },
    );
  }
}
