/**
 * The start-up check that the evidence bucket is write-once: without Object
 * Lock, retention dates and legal holds are not enforced by the store and
 * anyone with the keys could delete a recording early.
 */
import { AppError } from '../../server/errors.ts';
import type { Logger } from '../../server/log/logger.ts';
import type { ObjectStore } from '../object-store.ts';

/**
 * Refuses to start on a bucket without Object Lock unless the operator set
 * SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK (config.s3.allowWithoutObjectLock).
 */
export async function assertBucketIsWorm(
  store: ObjectStore,
  allowWithoutObjectLock: boolean,
  logger: Logger,
): Promise<void> {
  if (await store.hasObjectLock()) return;

  if (allowWithoutObjectLock) {
    logger.warn(
      { bucket: store.bucket },
      'bucket has no Object Lock: recordings are NOT protected against early deletion (allowed by SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK)',
    );
    return;
  }

  throw new AppError(
    'CONFIG_INVALID',
    `S3 bucket "${store.bucket}" has no Object Lock, so recordings could be deleted before their retention date. ` +
      'Use a bucket created with Object Lock, or set SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK=true to accept the risk.',
    { details: { bucket: store.bucket } },
  );
}
