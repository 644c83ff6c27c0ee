/**
 * Streams one stored object to the browser with HTTP range support, so the
 * <video> element can seek without downloading the whole recording.
 */
import path from 'node:path';
import { pipeline } from 'node:stream';
import type { Response } from 'express';
import type { Logger } from '../log/logger.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { AppError } from '../errors.ts';

/** One range of bytes; multi-range requests are not needed by media players. */
const RANGE_PATTERN = /^bytes=(\d*)-(\d*)$/;

/** Sends the object (or the requested range) with the headers players expect. */
export async function streamObject(
  res: Response,
  options: {
    store: ObjectStore;
    key: string;
    range: string | undefined;
    download: boolean;
    logger: Logger;
  },
): Promise<void> {
  const range = options.range?.trim();
  if (range !== undefined && range !== '' && !RANGE_PATTERN.test(range)) {
    throw new AppError('BAD_REQUEST', 'Only a single byte range is supported');
  }

  const object = await options.store.getStream(options.key, range || undefined);

  res.status(object.contentRange ? 206 : 200);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', object.contentType ?? 'application/octet-stream');
  res.setHeader('Cache-Control', 'private, no-store');
  if (object.contentLength !== undefined)
    res.setHeader('Content-Length', String(object.contentLength));
  if (object.contentRange) res.setHeader('Content-Range', object.contentRange);
  const disposition = options.download ? 'attachment' : 'inline';
  res.setHeader(
    'Content-Disposition',
    `${disposition}; filename="${path.posix.basename(options.key)}"`,
  );

  pipeline(object.body, res, (err) => {
    if (!err) return;
    // Seeking makes players abort ranges they no longer need; that is not a failure.
    if (
      res.destroyed ||
      (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE'
    ) {
      options.logger.debug({ key: options.key }, 'media stream closed by the client');
      return;
    }
    options.logger.error({ err, key: options.key }, 'media stream from S3 failed');
  });
}
