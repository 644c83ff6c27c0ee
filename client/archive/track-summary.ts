/**
 * The original tracks as an archivist reads them: one entry per person and
 * source (a microphone split by a rejoin into two capture series is one
 * entry), summarised by its first and last media, its segment count and the
 * spans without media; the segments themselves (one per 4 s, thousands in a
 * long review) stay folded in a <details> list until asked for.
 */
import { element } from '../review/dom.ts';
import type { SegmentEntry, TrackEntry } from '../../recording/manifest.ts';
import type { MediaSource, Role } from '../../server/review/review-types.ts';
import { formatMoment, type ArchiveText } from './page-text.ts';

/** A stretch without media shorter than this is capture jitter, not a gap. */
export const GAP_TOLERANCE_SECONDS = 1.5;

/** Every series of one person's one source, merged. */
export interface TrackGroup {
  personId: string;
  displayName: string;
  role: Role;
  source: MediaSource;
  /** Capture series, in the order they started. */
  series: number;
  /** All segments of every series, by start time. */
  segments: SegmentEntry[];
  startedAt: string;
  endedAt: string;
  /** Spans with no media between the first and the last segment. */
  gaps: { from: string; to: string; seconds: number }[];
}

/** Groups tracks by person and source, in the order each group first had media. */
export function groupTracks(tracks: readonly TrackEntry[]): TrackGroup[] {
  const byKey = new Map<string, TrackEntry[]>();
  for (const track of tracks) {
    const key = `${track.personId}\n${track.source}`;
    byKey.set(key, [...(byKey.get(key) ?? []), track]);
  }

  const groups = [...byKey.values()].map((series) => {
    const first = series[0] as TrackEntry;
    const segments = series
      .flatMap((t) => t.segments)
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    const starts = series.map((t) => t.startedAt).sort();
    const ends = series.map((t) => t.endedAt).sort();
    return {
      personId: first.personId,
      displayName: first.displayName,
      role: first.role,
      source: first.source,
      series: series.length,
      segments,
      startedAt: segments[0]?.startedAt ?? (starts[0] as string),
      endedAt: segments.at(-1)?.endedAt ?? (ends.at(-1) as string),
      gaps: gapsBetween(segments),
    };
  });

  return groups.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
}

function gapsBetween(segments: readonly SegmentEntry[]): TrackGroup['gaps'] {
  const gaps: TrackGroup['gaps'] = [];
  let coveredUntil: number | undefined;

  for (const segment of segments) {
    const from = Date.parse(segment.startedAt);
    if (
      coveredUntil !== undefined &&
      (from - coveredUntil) / 1000 >= GAP_TOLERANCE_SECONDS
    ) {
      gaps.push({
        from: new Date(coveredUntil).toISOString(),
        to: segment.startedAt,
        seconds: Math.round((from - coveredUntil) / 1000),
      });
    }
    coveredUntil = Math.max(coveredUntil ?? 0, Date.parse(segment.endedAt));
  }

  return gaps;
}

/** One group's entry; `play` plays one original segment by its key. */
export function renderTrackGroup(
  text: ArchiveText,
  group: TrackGroup,
  language: string,
  play: (key: string) => void,
): HTMLLIElement {
  const title = element('strong');
  text.set(title, 'detail.track', {
    name: group.displayName,
    source: { key: `source.${group.source}` },
  });
  const summary = element('p', { testId: 'track-summary', className: 'track-summary' });
  text.set(summary, 'detail.trackSummary', {
    start: formatMoment(group.startedAt, language),
    end: formatMoment(group.endedAt, language),
    segments: group.segments.length,
    gaps: group.gaps.length,
  });

  const gaps = element('ul', { testId: 'track-gaps', className: 'gaps' });
  for (const gap of group.gaps) {
    const line = element('li');
    text.set(line, 'detail.trackGap', {
      from: formatMoment(gap.from, language),
      to: formatMoment(gap.to, language),
      seconds: gap.seconds,
    });
    gaps.append(line);
  }

  const list = element('ul');
  for (const segment of group.segments) {
    const button = element('button', { testId: 'segment-play', className: 'link' });
    button.type = 'button';
    text.set(button, 'detail.playTrack', {
      seq: segment.seq,
      time: formatMoment(segment.startedAt, language),
    });
    button.addEventListener('click', () => play(segment.key));
    list.append(
      element(
        'li',
        {},
        button,
        element('code', {}, document.createTextNode(segment.sha256.slice(0, 16))),
      ),
    );
  }
  const folded = element('summary');
  text.set(folded, 'detail.segments', { count: group.segments.length });
  const segments = element('details', { testId: 'track-segments' }, folded, list);

  return element(
    'li',
    {
      testId: 'track',
      data: {
        person: group.personId,
        source: group.source,
        series: String(group.series),
      },
    },
    title,
    summary,
    gaps,
    segments,
  );
}
