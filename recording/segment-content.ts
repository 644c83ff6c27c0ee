/**
 * Whether a segment file holds any media. ffmpeg can close and list a
 * segment it never wrote a frame into (the producer stopped, or a stop came,
 * right as the segment opened): such a file is empty or only a container
 * header. It is no evidence, and the composite cannot open it, so it must
 * never be uploaded as a segment.
 */
import fs from 'node:fs';

/**
 * The ID of a Matroska/WebM Cluster element. Every frame of such a file is
 * inside a Cluster, so a file without one holds no media at all.
 */
const MATROSKA_CLUSTER_ID = Buffer.from([0x1f, 0x43, 0xb6, 0x75]);

/** True when the Matroska/WebM file at `filePath` has no frame in it. */
export function holdsNoMedia(filePath: string): boolean {
  let bytes: Buffer;
  try {
    // Segments are a few seconds long, so reading one whole costs little.
    bytes = fs.readFileSync(filePath);
  } catch {
    // Nothing to judge: the file goes the usual way, whose failure is reported.
    return false;
  }

  return !bytes.includes(MATROSKA_CLUSTER_ID);
}
