/**
 * S3 legal holds over every stored version of one recording. A hold stops
 * deletion whatever the retention date says, until it is lifted.
 */
import type { ObjectStore } from '../object-store.ts';
import { recordingKeys } from '../../recording/manifest.ts';

/** Versions whose hold is changed in parallel: enough to be quick, few enough for RGW. */
const HOLD_CONCURRENCY = 8;

/**
 * Sets (on) or lifts (off) the legal hold on every version under the
 * recording's prefix, page by page. Delete markers carry no data and no hold.
 * Returns how many versions were changed.
 */
export async function setRecordingHold(
  store: ObjectStore,
  reviewId: string,
  on: boolean,
): Promise<number> {
  let changed = 0;

  for await (const page of store.listVersions(recordingKeys.prefix(reviewId))) {
    const versions = page.filter((v) => !v.isDeleteMarker);

    for (let start = 0; start < versions.length; start += HOLD_CONCURRENCY) {
      const slice = versions.slice(start, start + HOLD_CONCURRENCY);
      await Promise.all(slice.map((v) => store.setLegalHold(v.key, v.versionId, on)));
      changed += slice.length;
    }
  }

  return changed;
}
