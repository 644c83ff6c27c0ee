import { describe, expect, it } from 'vitest';
import {
  absences,
  concatListOf,
  layoutTiles,
  planComposite,
  type CompositeTrackInput,
} from '../../../recording/composite-plan.ts';

const at = (seconds: number): Date =>
  new Date(Date.UTC(2025, 0, 1, 9, 0, 0) + seconds * 1000);
const segments = (from: number, to: number, step = 4) => {
  const list = [];
  for (let t = from; t < to; t += step) {
    list.push({
      filePath: `/spool/${t}.webm`,
      startedAt: at(t),
      endedAt: at(Math.min(to, t + step)),
    });
  }
  return list;
};
const track = (overrides: Partial<CompositeTrackInput>): CompositeTrackInput => ({
  trackId: 't',
  personId: 'p-attestee',
  displayName: 'Attestee',
  role: 'attestee',
  source: 'camera',
  kind: 'video',
  segments: segments(0, 12),
  ...overrides,
});
const settings = {
  fontFile: '/font.ttf',
  labelFile: (name: string) => `/work/${name}.txt`,
};

describe('concatListOf', () => {
  it('gives each segment the wall-clock distance to the next, so a gap keeps its length', () => {
    const list = concatListOf([
      { filePath: '/a.webm', startedAt: at(0), endedAt: at(4) },
      { filePath: '/b.webm', startedAt: at(7), endedAt: at(9.5) },
    ]);

    expect(list).toBe(
      "ffconcat version 1.0\nfile '/a.webm'\nduration 7.000\nfile '/b.webm'\nduration 2.500\n",
    );
  });
});

describe('layoutTiles', () => {
  it('puts three people on a two-by-two grid of even sizes', () => {
    const { tiles, screen } = layoutTiles(3, false, 1280, 720);

    expect(screen).toBeUndefined();
    expect(tiles).toEqual([
      { x: 0, y: 0, width: 640, height: 360 },
      { x: 640, y: 0, width: 640, height: 360 },
      { x: 0, y: 360, width: 640, height: 360 },
    ]);
  });

  it('gives a screen share the large left area and stacks people on the right', () => {
    const { tiles, screen } = layoutTiles(2, true, 1280, 720);

    expect(screen).toEqual({ x: 0, y: 0, width: 960, height: 720 });
    expect(tiles.map((t) => [t.x, t.y, t.width, t.height])).toEqual([
      [960, 0, 320, 360],
      [960, 360, 320, 360],
    ]);
  });
});

describe('absences', () => {
  it('finds the spans in which a person had no media at all', () => {
    const tracks = [
      track({ segments: [...segments(2, 10), ...segments(15, 20)] }),
      track({ trackId: 'chair', personId: 'p-chair', segments: segments(0, 30) }),
    ];

    expect(absences(tracks, 'p-attestee', at(0).getTime(), at(30).getTime())).toEqual([
      [0, 2],
      [10, 15],
      [20, 30],
    ]);
  });
});

describe('planComposite', () => {
  it('offsets each track by its first segment and labels every person', () => {
    const plan = planComposite(
      [
        track({ trackId: 'a-cam', segments: segments(0, 12) }),
        track({
          trackId: 'a-mic',
          kind: 'audio',
          source: 'microphone',
          segments: segments(0, 12),
        }),
        track({
          trackId: 'c-cam',
          personId: 'p-chair',
          displayName: 'Chair',
          role: 'chair',
          segments: segments(3, 12),
        }),
      ],
      settings,
    );

    expect(plan.durationSeconds).toBe(12);
    expect(plan.timelineStart).toEqual(at(0));
    expect(plan.inputs.map((i) => i.trackId)).toEqual(['a-cam', 'a-mic', 'c-cam']);
    expect(plan.filterGraph).toContain('[2:v]setpts=PTS-STARTPTS+3.000/TB');
    expect(plan.filterGraph).toContain('[1:a]asetpts=PTS-STARTPTS+(-0.020)/TB');
    expect(plan.labels.map((l) => l.text)).toEqual([
      'Attestee (аттестуемый)',
      'Chair (председатель комиссии)',
      'Ожидает подключения',
    ]);
    expect(plan.filterGraph).not.toContain('drawbox');
  });

  it('labels in the configured language', () => {
    const plan = planComposite([track({})], { ...settings, language: 'kk' });

    expect(plan.labels.map((l) => l.text)).toEqual(['Attestee (аттестатталушы)']);
  });

  it('shows a person not yet joined as waiting, not as disconnected', () => {
    const plan = planComposite(
      [
        track({ trackId: 'a-cam', segments: segments(5, 20) }),
        track({
          trackId: 'c-cam',
          personId: 'p-chair',
          role: 'chair',
          segments: segments(0, 20),
        }),
      ],
      { ...settings, language: 'en' },
    );

    expect(plan.labels).toContainEqual({
      file: '/work/waiting-0.txt',
      text: 'Not yet joined',
    });
    expect(plan.filterGraph).toContain(
      "textfile=/work/waiting-0.txt:x=0+(640-tw)/2:y=0+(720-th)/2:fontsize=22:fontcolor=white@0.7:enable='between(t,0.000,5.000)'",
    );
    expect(plan.labels.map((l) => l.text)).not.toContain('Attestee disconnected');
    expect(plan.filterGraph).not.toContain('drawbox');
  });

  it('shows the disconnected slate on the attestee while their media is missing', () => {
    const plan = planComposite(
      [
        track({ trackId: 'a-cam', segments: [...segments(0, 8), ...segments(14, 20)] }),
        track({
          trackId: 'c-cam',
          personId: 'p-chair',
          role: 'chair',
          segments: segments(0, 20),
        }),
      ],
      settings,
    );

    expect(plan.filterGraph).toContain("enable='between(t,8.000,14.000)'");
    expect(plan.labels.map((l) => l.text)).toContain('Связь с аттестуемым потеряна');
  });

  it('mixes silence when nobody had a microphone, and refuses an empty recording', () => {
    expect(planComposite([track({})], settings).filterGraph).toContain('anullsrc');
    expect(() => planComposite([track({ segments: [] })], settings)).toThrow(
      /Nothing was recorded/,
    );
  });
});
