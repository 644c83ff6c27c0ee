/**
 * Verification of one recording: every object the manifest lists is read
 * back from S3 and hashed, and the manifest's hash chain is recomputed, so a
 * changed, missing or reordered object shows up as a named mismatch.
 */
import {
  chainHead,
  chainItems,
  recordingKeys,
  type RecordingManifest,
} from '../../recording/manifest.ts';
import { AppError } from '../../server/errors.ts';
import type { ObjectStore } from '../object-store.ts';

/** Objects hashed in parallel: reading is network-bound, hashing is cheap. */
const VERIFY_CONCURRENCY = 4;
/** The chain item for the events digest; it has no object of its own. */
const EVENTS_ITEM_KEY = 'events';

/** One object (or the chain) that did not match. */
export interface VerificationMismatch {
  key: string;
  expected: string;
  /** The hash found, or "missing" when the object is gone. */
  actual: string;
}

/** The outcome of verifying one recording. */
export interface RecordingVerification {
  reviewId: string;
  ok: boolean;
  objectsChecked: number;
  chainHead: { expected: string; actual: string };
  mismatches: VerificationMismatch[];
}

/**
 * Recomputes every hash of the recording. `expectedCompositeSha256` (from the
 * metadata database) is compared with the manifest too when given.
 */
export async function verifyRecording(
  store: ObjectStore,
  reviewId: string,
  options: { manifestKey?: string; expectedCompositeSha256?: string | null } = {},
): Promise<RecordingVerification> {
  const manifest = await readManifest(
    store,
    options.manifestKey ?? recordingKeys.manifest(reviewId),
  );
  const items = chainItems(manifest);
  const mismatches: VerificationMismatch[] = [];

  const objects = items.filter((item) => item.key !== EVENTS_ITEM_KEY);
  for (let start = 0; start < objects.length; start += VERIFY_CONCURRENCY) {
    const slice = objects.slice(start, start + VERIFY_CONCURRENCY);
    const hashes = await Promise.all(slice.map((item) => hashOrMissing(store, item.key)));
    slice.forEach((item, i) => {
      const actual = hashes[i] as string;
      if (actual !== item.sha256)
        mismatches.push({ key: item.key, expected: item.sha256, actual });
    });
  }

  const recomputedHead = chainHead(items);
  if (recomputedHead !== manifest.chain.head) {
    mismatches.push({
      key: 'chain.head',
      expected: manifest.chain.head,
      actual: recomputedHead,
    });
  }

  const compositeSha = manifest.composite?.sha256 ?? null;
  if (
    options.expectedCompositeSha256 &&
    options.expectedCompositeSha256 !== compositeSha
  ) {
    mismatches.push({
      key: 'database.composite_sha256',
      expected: options.expectedCompositeSha256,
      actual: compositeSha ?? 'missing',
    });
  }

  return {
    reviewId,
    ok: mismatches.length === 0,
    objectsChecked: objects.length,
    chainHead: { expected: manifest.chain.head, actual: recomputedHead },
    mismatches,
  };
}

async function readManifest(store: ObjectStore, key: string): Promise<RecordingManifest> {
  const bytes = await store.getBuffer(key);
  try {
    return JSON.parse(bytes.toString('utf8')) as RecordingManifest;
  } catch (err) {
    throw new AppError('INTEGRITY_MISMATCH', 'The manifest is not valid JSON', {
      details: { key },
      cause: err,
    });
  }
}

async function hashOrMissing(store: ObjectStore, key: string): Promise<string> {
  try {
    return await store.sha256Of(key);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return 'missing';
    throw err;
  }
}
