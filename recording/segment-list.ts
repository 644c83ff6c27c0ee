/**
 * ffmpeg's segment list (CSV: file name, start, end in seconds of the
 * output's timeline). The segment muxer appends one line when a segment is
 * closed, so a listed file is complete and may be uploaded.
 */

/** One closed segment as listed by ffmpeg. */
export interface ListedSegment {
  fileName: string;
  /** Seconds since the capture's first packet. */
  startSeconds: number;
  endSeconds: number;
}

/**
 * Parses the complete lines of `text`. Returns the entries and how many
 * characters were consumed, so a reader keeps a partial last line for later.
 */
export function parseSegmentList(text: string): {
  entries: ListedSegment[];
  consumed: number;
} {
  const entries: ListedSegment[] = [];
  const lastNewline = text.lastIndexOf('\n');
  if (lastNewline < 0) return { entries, consumed: 0 };

  for (const line of text.slice(0, lastNewline).split('\n')) {
    if (line.trim() === '') continue;

    // File names never contain commas (we choose them), so the last two fields are times.
    const fields = line.split(',');
    const endSeconds = Number(fields.pop());
    const startSeconds = Number(fields.pop());
    const fileName = fields.join(',');
    if (!fileName || !Number.isFinite(startSeconds) || !Number.isFinite(endSeconds)) {
      throw new Error(`Unreadable segment list line: ${line}`);
    }
    entries.push({ fileName, startSeconds, endSeconds });
  }

  return { entries, consumed: lastNewline + 1 };
}

/** The wall-clock start of ffmpeg's timeline, from the input line "start: <epoch seconds>". */
export function parseInputStart(stderrLine: string): Date | undefined {
  const match = /Duration: [^,]*, start: (\d+\.\d+)/.exec(stderrLine);

  return match?.[1] ? new Date(Math.round(Number(match[1]) * 1000)) : undefined;
}
