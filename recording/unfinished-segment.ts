/**
 * The segment ffmpeg was writing when it stopped without closing it: after a
 * crash, or after a stop with no packets arriving (the producer had already
 * gone), when only a second SIGINT ends ffmpeg's blocked read and the
 * trailer is never written. Such a file has the packets that reached disk,
 * but its header may be half rewritten and it has no index: ffprobe reads it
 * leniently while the composite's concat demuxer may refuse it, which would
 * make the whole recording unsealable.
 *
 * So the file is remuxed once (stream copy, same container) into a whole
 * file with a proper header, and that replaces it. The packets are the same
 * bytes ffmpeg received; nothing is re-encoded.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { holdsNoMedia } from './segment-content.ts';

const run = promisify(execFile);

/** The tools and the container of the track the file belongs to. */
export interface UnfinishedSegmentTools {
  ffmpegPath: string;
  ffprobePath: string;
  /** The muxer the capture writes: 'webm' or 'matroska'. */
  muxer: string;
}

/** What an unfinished segment turned out to hold. */
export type UnfinishedSegment =
  /** Media, now in a whole file: the end of its last packet, in seconds. */
  | { kind: 'media'; seconds: number }
  /** Only the container's header: ffmpeg stopped before this segment's first frame. */
  | { kind: 'empty' }
  /** Something that cannot be read; the file is left as it was. */
  | { kind: 'unreadable' };

/** Makes `filePath` a whole file where it holds media, and says what it holds. */
export async function completeUnfinishedSegment(
  filePath: string,
  tools: UnfinishedSegmentTools,
): Promise<UnfinishedSegment> {
  if (holdsNoMedia(filePath)) return { kind: 'empty' };

  const wholePath = `${filePath}.whole`;

  try {
    await run(tools.ffmpegPath, [
      '-hide_banner',
      '-v',
      'error',
      '-y',
      '-i',
      filePath,
      '-map',
      '0',
      '-c',
      'copy',
      '-f',
      tools.muxer,
      wholePath,
    ]);
  } catch {
    // ffmpeg refuses a file without a readable header: the caller reports it.
    await fs.promises.rm(wholePath, { force: true });
    return { kind: 'unreadable' };
  }

  const seconds = await lastPacketEnd(tools.ffprobePath, wholePath);
  if (seconds === undefined) {
    await fs.promises.rm(wholePath, { force: true });
    return { kind: 'unreadable' };
  }

  // rename() swaps the files in one step: a reader sees the old file or the whole one.
  await fs.promises.rename(wholePath, filePath);

  return { kind: 'media', seconds };
}

/** End (seconds) of the last packet of a media file's first stream, if it can be read. */
async function lastPacketEnd(
  ffprobePath: string,
  filePath: string,
): Promise<number | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await run(ffprobePath, [
      '-v',
      'error',
      '-select_streams',
      '0',
      '-show_entries',
      'packet=pts_time,duration_time',
      '-of',
      'csv=p=0',
      filePath,
    ]));
  } catch {
    return undefined;
  }

  const last = stdout.trim().split('\n').at(-1)?.split(',');
  const pts = Number(last?.[0]);
  const duration = Number(last?.[1]);
  if (!Number.isFinite(pts)) return undefined;

  return pts + (Number.isFinite(duration) ? duration : 0);
}
