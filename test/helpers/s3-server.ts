/**
 * The real S3 every integration and browser test uses: one Ceph RGW on
 * memstore for the whole run, started by test/helpers/s3-global-setup.ts.
 * Tests create their own buckets (uniqueBucketName) and never share objects.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { ObjectStoreOptions } from '../../storage/object-store.ts';

/** How a test reaches the suite's S3. */
export interface TestS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Seconds one lifecycle "day" lasts on this server; undefined for an external S3. */
  lifecycleDaySeconds: number | undefined;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testS3: TestS3;
  }
}

/** The suite's S3 endpoint and keys. Call it inside a test file, not at config time. */
export function testS3(): TestS3 {
  return inject('testS3');
}

/** ObjectStore options for `bucket` on the suite's S3, with the client settings RGW needs. */
export function testObjectStoreOptions(bucket: string): ObjectStoreOptions {
  const s3 = testS3();

  return {
    endpoint: s3.endpoint,
    region: s3.region,
    bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
  };
}

/** A bucket name no other test (or earlier run on a shared S3) uses: `<prefix>-<random>`. */
export function uniqueBucketName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`.toLowerCase();
}
