/** Readiness of the object store: it answers, and the bucket keeps evidence under Object Lock. */
import type { ObjectStore } from '../../../storage/object-store.ts';
import type { ReadinessCheck } from '../readiness.ts';

/**
 * Fails when S3 cannot be reached or the bucket lacks Object Lock, unless the
 * operator accepted a bucket without it (allowWithoutObjectLock).
 */
export function s3Check(
  store: Pick<ObjectStore, 'bucket' | 'hasObjectLock'>,
  options: { allowWithoutObjectLock: boolean },
): ReadinessCheck {
  return {
    name: 's3',
    async check() {
      const locked = await store.hasObjectLock();

      if (!locked && !options.allowWithoutObjectLock) {
        throw new Error(
          `bucket ${store.bucket} has no Object Lock (set SARAPTA_S3_ALLOW_WITHOUT_OBJECT_LOCK=true to accept that)`,
        );
      }
    },
  };
}
