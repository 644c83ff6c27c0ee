import { describe, expect, it } from 'vitest';
import { parseInputStart, parseSegmentList } from '../../../recording/segment-list.ts';

describe('parseSegmentList', () => {
  it('returns complete lines and leaves a partial last line unconsumed', () => {
    const text = 'seg-000000.webm,0.000000,3.002000\nseg-000001.webm,3.002000,4.1';

    const { entries, consumed } = parseSegmentList(text);

    expect(entries).toEqual([
      { fileName: 'seg-000000.webm', startSeconds: 0, endSeconds: 3.002 },
    ]);
    expect(text.slice(consumed)).toBe('seg-000001.webm,3.002000,4.1');
  });

  it('returns nothing until the first line is complete', () => {
    expect(parseSegmentList('seg-000000.webm,0.0')).toEqual({ entries: [], consumed: 0 });
  });

  it('rejects a line whose times are not numbers', () => {
    expect(() => parseSegmentList('seg.webm,abc,1\n')).toThrow(/Unreadable/);
  });
});

describe('parseInputStart', () => {
  it('reads the wall-clock start from the input description line', () => {
    const line = '  Duration: N/A, start: 1796319837.602800, bitrate: N/A';

    expect(parseInputStart(line)?.toISOString()).toBe(
      new Date(1796319837603).toISOString(),
    );
  });

  it('ignores other lines', () => {
    expect(parseInputStart('frame=  112 fps= 35 time=00:00:04.39')).toBeUndefined();
  });
});
