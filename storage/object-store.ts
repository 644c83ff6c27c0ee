/**
 * The S3-compatible object store holding the evidence: segments, composites,
 * manifests. Works against Ceph RGW (the embedded default), MinIO and AWS:
 * path-style addressing and the checksum mode are configuration, and every
 * write of evidence carries an Object Lock retention date.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  S3Client,
  S3ServiceException,
  type ObjectVersion,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Config } from '../server/config/config.ts';
import { AppError } from '../server/errors.ts';

/** How to reach the store. */
export interface ObjectStoreOptions {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (RGW, MinIO); AWS also accepts them. */
  forcePathStyle: boolean;
  /** WHEN_REQUIRED for RGW Pacific, which predates flexible checksums. */
  checksumMode: 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';
}

/** Where and with which keys to reach a store. */
export interface S3Endpoint {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Store options from the configuration: the configured endpoint, or the
 * given one (the embedded RGW, which always takes path-style requests).
 */
export function objectStoreOptionsFrom(
  s3: Config['s3'],
  embedded?: S3Endpoint,
): ObjectStoreOptions {
  const common = { region: s3.region, bucket: s3.bucket, checksumMode: s3.checksumMode };
  if (embedded) return { ...common, ...embedded, forcePathStyle: true };

  if (!s3.endpoint || !s3.accessKeyId || !s3.secretAccessKey) {
    throw new AppError('CONFIG_INVALID', 'SARAPTA_S3_ENDPOINT and its keys are not set');
  }
  return {
    ...common,
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: s3.forcePathStyle,
  };
}

/** A write of evidence: locked in COMPLIANCE mode until `retainUntil`. */
export interface LockedPut {
  key: string;
  body: Buffer | Readable;
  contentType: string;
  retainUntil: Date;
  /** SHA-256 (hex) of the body when already known; stored as metadata. */
  sha256?: string;
  metadata?: Record<string, string>;
}

/** What a confirmed write returns. */
export interface PutResult {
  key: string;
  versionId: string | undefined;
  sha256: string | undefined;
}

/** One version (or delete marker) of an object, from a listing page. */
export interface VersionEntry {
  key: string;
  versionId: string;
  isDeleteMarker: boolean;
  size: number;
  lastModified: Date | undefined;
}

/** Bodies above this size go through multipart upload. */
const MULTIPART_THRESHOLD_BYTES = 16 * 1024 * 1024;
/** S3's DeleteObjects accepts at most this many keys per call. */
export const MAX_DELETE_BATCH = 1000;

export class ObjectStore {
  readonly bucket: string;
  readonly client: S3Client;

  constructor(options: ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
      },
      requestChecksumCalculation: options.checksumMode,
      responseChecksumValidation: options.checksumMode,
      maxAttempts: 3,
    });
  }

  /** Creates the bucket with Object Lock (and so versioning) if it is missing. */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (err) {
      if (statusOf(err) !== 404) throw storageError('HeadBucket', err);
    }

    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          ObjectLockEnabledForBucket: true,
        }),
      );
    } catch (err) {
      // Another process may have created it between our HEAD and CREATE.
      if (errorName(err) !== 'BucketAlreadyOwnedByYou')
        throw storageError('CreateBucket', err);
    }
  }

  /** Whether the bucket has Object Lock enabled (the WORM guarantee). */
  async hasObjectLock(): Promise<boolean> {
    try {
      const reply = await this.client.send(
        new GetObjectLockConfigurationCommand({ Bucket: this.bucket }),
      );
      return reply.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
    } catch (err) {
      if (errorName(err) === 'ObjectLockConfigurationNotFoundError') return false;
      throw storageError('GetObjectLockConfiguration', err);
    }
  }

  /** Writes evidence under COMPLIANCE retention. Resolves only once S3 confirms. */
  async putLocked(put: LockedPut): Promise<PutResult> {
    const metadata = { ...put.metadata, ...(put.sha256 ? { sha256: put.sha256 } : {}) };
    const params = {
      Bucket: this.bucket,
      Key: put.key,
      Body: put.body,
      ContentType: put.contentType,
      Metadata: metadata,
      ObjectLockMode: 'COMPLIANCE' as const,
      ObjectLockRetainUntilDate: put.retainUntil,
    };

    try {
      if (Buffer.isBuffer(put.body) && put.body.length < MULTIPART_THRESHOLD_BYTES) {
        // AWS requires an integrity header on Object Lock writes; MD5 works everywhere.
        const contentMd5 = createHash('md5').update(put.body).digest('base64');
        const reply = await this.client.send(
          new PutObjectCommand({ ...params, ContentMD5: contentMd5 }),
        );
        return { key: put.key, versionId: reply.VersionId, sha256: put.sha256 };
      }

      const upload = new Upload({ client: this.client, params, queueSize: 2 });
      const reply = await upload.done();
      return { key: put.key, versionId: reply.VersionId, sha256: put.sha256 };
    } catch (err) {
      throw storageError('PutObject', err, { key: put.key });
    }
  }

  /** Reads a whole object (manifests, small files). */
  async getBuffer(key: string, versionId?: string): Promise<Buffer> {
    try {
      const reply = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }),
      );
      if (!reply.Body) throw new Error('empty body');
      return Buffer.from(await reply.Body.transformToByteArray());
    } catch (err) {
      throw storageError('GetObject', err, { key });
    }
  }

  /** Streams an object, optionally a byte range ("bytes=0-99"). */
  async getStream(
    key: string,
    range?: string,
  ): Promise<{
    body: Readable;
    contentLength?: number;
    contentRange?: string;
    contentType?: string;
  }> {
    try {
      const reply = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }),
      );
      return {
        body: reply.Body as Readable,
        contentLength: reply.ContentLength,
        contentRange: reply.ContentRange,
        contentType: reply.ContentType,
      };
    } catch (err) {
      throw storageError('GetObject', err, { key });
    }
  }

  /** SHA-256 of an object, computed from its bytes (never from metadata). */
  async sha256Of(key: string, versionId?: string): Promise<string> {
    try {
      const reply = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }),
      );
      const hash = createHash('sha256');
      for await (const chunk of reply.Body as Readable) hash.update(chunk as Buffer);
      return hash.digest('hex');
    } catch (err) {
      throw storageError('GetObject', err, { key });
    }
  }

  /** Object metadata, or undefined when it does not exist. */
  async head(
    key: string,
  ): Promise<
    | { size: number; versionId?: string; retainUntil?: Date; legalHold: boolean }
    | undefined
  > {
    try {
      const reply = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return {
        size: reply.ContentLength ?? 0,
        versionId: reply.VersionId,
        retainUntil: reply.ObjectLockRetainUntilDate,
        legalHold: reply.ObjectLockLegalHoldStatus === 'ON',
      };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw storageError('HeadObject', err, { key });
    }
  }

  /** A short-lived URL for reading an object directly from the store. */
  async presignGet(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      { expiresIn: expiresInSeconds },
    );
  }

  /** Sets or clears the legal hold on one version of an object. */
  async setLegalHold(
    key: string,
    versionId: string | undefined,
    on: boolean,
  ): Promise<void> {
    try {
      await this.client.send(
        new PutObjectLegalHoldCommand({
          Bucket: this.bucket,
          Key: key,
          VersionId: versionId,
          LegalHold: { Status: on ? 'ON' : 'OFF' },
        }),
      );
    } catch (err) {
      throw storageError('PutObjectLegalHold', err, { key });
    }
  }

  /**
   * Every version and delete marker under a prefix, one page at a time, so a
   * large archive never needs memory proportional to its size.
   */
  async *listVersions(prefix: string, pageSize = 1000): AsyncGenerator<VersionEntry[]> {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;

    for (;;) {
      let reply;
      try {
        reply = await this.client.send(
          new ListObjectVersionsCommand({
            Bucket: this.bucket,
            Prefix: prefix,
            MaxKeys: pageSize,
            KeyMarker: keyMarker,
            VersionIdMarker: versionIdMarker,
          }),
        );
      } catch (err) {
        throw storageError('ListObjectVersions', err, { prefix });
      }

      const page: VersionEntry[] = [
        ...(reply.Versions ?? []).map((v: ObjectVersion) => ({
          key: v.Key ?? '',
          versionId: v.VersionId ?? 'null',
          isDeleteMarker: false,
          size: v.Size ?? 0,
          lastModified: v.LastModified,
        })),
        ...(reply.DeleteMarkers ?? []).map((m) => ({
          key: m.Key ?? '',
          versionId: m.VersionId ?? 'null',
          isDeleteMarker: true,
          size: 0,
          lastModified: m.LastModified,
        })),
      ];
      if (page.length > 0) yield page;

      if (!reply.IsTruncated) return;
      keyMarker = reply.NextKeyMarker;
      versionIdMarker = reply.NextVersionIdMarker;
    }
  }

  /**
   * Deletes specific versions in batches of at most 1000. Returns what was
   * deleted and what the store refused (e.g. still under retention).
   */
  async deleteVersions(versions: readonly { key: string; versionId: string }[]): Promise<{
    deleted: { key: string; versionId: string }[];
    refused: { key: string; versionId: string; code: string }[];
  }> {
    const deleted: { key: string; versionId: string }[] = [];
    const refused: { key: string; versionId: string; code: string }[] = [];

    for (let start = 0; start < versions.length; start += MAX_DELETE_BATCH) {
      const batch = versions.slice(start, start + MAX_DELETE_BATCH);
      const objects = batch.map((v) => ({ Key: v.key, VersionId: v.versionId }));
      // DeleteObjects requires Content-MD5 (or a checksum) on every store.
      let reply;
      try {
        reply = await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: objects, Quiet: false },
          }),
        );
      } catch (err) {
        throw storageError('DeleteObjects', err);
      }
      for (const d of reply.Deleted ?? []) {
        deleted.push({ key: d.Key ?? '', versionId: d.VersionId ?? 'null' });
      }
      for (const e of reply.Errors ?? []) {
        refused.push({
          key: e.Key ?? '',
          versionId: e.VersionId ?? 'null',
          code: e.Code ?? 'Unknown',
        });
      }
    }

    return { deleted, refused };
  }

  /** Releases sockets. Idempotent. */
  close(): void {
    this.client.destroy();
  }
}

/** HTTP status of an S3 error, when the store answered at all. */
export function statusOf(err: unknown): number | undefined {
  return err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined;
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

/**
 * Maps an S3 failure to an AppError: no answer at all means the store is
 * unavailable (segments wait in the spool); an answer is a refusal.
 */
function storageError(
  operation: string,
  err: unknown,
  details: Record<string, unknown> = {},
): AppError {
  const status = statusOf(err);
  const name = errorName(err) ?? 'Error';
  if (status === undefined || status >= 500) {
    return new AppError('STORAGE_UNAVAILABLE', `S3 ${operation} failed: ${name}`, {
      details: { operation, ...details },
      cause: err,
    });
  }
  if (status === 404) {
    return new AppError('NOT_FOUND', `S3 ${operation}: not found`, {
      details: { operation, ...details },
      cause: err,
    });
  }
  return new AppError('INTERNAL', `S3 ${operation} refused: ${name} (${status})`, {
    details: { operation, s3Code: name, status, ...details },
    cause: err,
  });
}
