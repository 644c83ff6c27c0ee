/**
 * The plan of the composite MP4: which segment files feed ffmpeg, where each
 * person's picture goes, and the filter graph that places every track on the
 * review's wall clock. Pure: no files are read or written here, so the layout
 * and timing rules are unit-tested without ffmpeg.
 *
 * Timing: a track's segments are joined with the concat demuxer, each entry's
 * duration being the wall-clock distance to the next segment, so a gap (a
 * restarted capture) keeps its length; the joined track is then shifted by
 * its first segment's offset from the start of the recording.
 */
import type { MediaSource, Role } from '../server/review/review-types.ts';
import { COMPOSITE_WORDS, type RecordingLanguage } from './composite-labels.ts';

/** One recorded track with its segment files (downloaded from S3). */
export interface CompositeTrackInput {
  trackId: string;
  personId: string;
  displayName: string;
  role: Role;
  source: MediaSource;
  kind: 'audio' | 'video';
  segments: { filePath: string; startedAt: Date; endedAt: Date }[];
}

/** Canvas and labelling settings; each field shows its default. */
export interface CompositeSettings {
  /** Default 1280. */
  width?: number;
  /** Default 720. */
  height?: number;
  /** Default 25. */
  fps?: number;
  fontFile: string;
  /** Where the label text files will be written (drawtext reads them: no escaping needed). */
  labelFile: (name: string) => string;
  /** Language of the burned-in words (roles, placeholders). Default 'ru'. */
  language?: RecordingLanguage;
}

/** A rectangle on the canvas. */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Everything the sealer needs to run ffmpeg. */
export interface CompositePlan {
  timelineStart: Date;
  durationSeconds: number;
  /** One concat list per ffmpeg input, in input order. */
  inputs: { trackId: string; kind: 'audio' | 'video'; concatList: string }[];
  /** Label files to write before running ffmpeg. */
  labels: { file: string; text: string }[];
  filterGraph: string;
  videoOutput: string;
  audioOutput: string;
}

/**
 * Captures stamp packets on arrival. An audio packet arrives once its whole
 * frame (20 ms for WebRTC opus) has been captured and encoded, so it is
 * stamped that much later than its first sample; video frames are stamped
 * after encoding too, but with no frame-length lag. Audio is moved back by
 * one frame to line up with the picture.
 */
export const AUDIO_ARRIVAL_LAG_SECONDS = 0.02;
/** A review's attestee is shown as disconnected when no media arrived for this long. */
const DISCONNECT_THRESHOLD_SECONDS = 1.5;

/** Builds the plan; throws when no track has any segment. */
export function planComposite(
  tracks: readonly CompositeTrackInput[],
  settings: CompositeSettings,
): CompositePlan {
  const recorded = tracks.filter((t) => t.segments.length > 0);
  if (recorded.length === 0) throw new Error('Nothing was recorded: no segments');

  const width = settings.width ?? 1280;
  const height = settings.height ?? 720;
  const fps = settings.fps ?? 25;
  const words = COMPOSITE_WORDS[settings.language ?? 'ru'];
  const start = Math.min(
    ...recorded.flatMap((t) => t.segments.map((s) => s.startedAt.getTime())),
  );
  const end = Math.max(
    ...recorded.flatMap((t) => t.segments.map((s) => s.endedAt.getTime())),
  );
  const duration = (end - start) / 1000;
  const offsetOf = (date: Date): number => (date.getTime() - start) / 1000;

  const inputs = recorded.map((track) => ({
    trackId: track.trackId,
    kind: track.kind,
    concatList: concatListOf(track.segments),
  }));

  const people = peopleInOrder(recorded);
  const screens = recorded.filter((t) => t.kind === 'video' && t.source === 'screen');
  const layout = layoutTiles(people.length, screens.length > 0, width, height);

  const graph: string[] = [];
  const labels: { file: string; text: string }[] = [];
  graph.push(
    `color=c=0x1e1e1e:s=${width}x${height}:r=${fps}:d=${seconds(duration)}[canvas0]`,
  );
  let canvas = 'canvas0';
  let step = 0;

  const place = (inputIndex: number, track: CompositeTrackInput, tile: Tile): void => {
    const first = track.segments[0] as { startedAt: Date };
    const scaled = `v${inputIndex}`;
    graph.push(
      `[${inputIndex}:v]setpts=PTS-STARTPTS+${seconds(offsetOf(first.startedAt))}/TB,` +
        `fps=${fps},scale=${tile.width}:${tile.height}:force_original_aspect_ratio=decrease,` +
        `pad=${tile.width}:${tile.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1[${scaled}]`,
    );
    const next = `canvas${++step}`;
    graph.push(
      `[${canvas}][${scaled}]overlay=x=${tile.x}:y=${tile.y}:eof_action=pass:repeatlast=0[${next}]`,
    );
    canvas = next;
  };

  recorded.forEach((track, index) => {
    if (track.kind !== 'video') return;
    if (track.source === 'screen') {
      place(index, track, layout.screen as Tile);
      return;
    }
    place(
      index,
      track,
      layout.tiles[people.findIndex((p) => p.personId === track.personId)] as Tile,
    );
  });

  people.forEach((person, index) => {
    const tile = layout.tiles[index] as Tile;
    const labelFile = settings.labelFile(`label-${index}`);
    labels.push({
      file: labelFile,
      text: `${person.displayName} (${words.role[person.role]})`,
    });
    const next = `canvas${++step}`;
    graph.push(
      `[${canvas}]drawtext=fontfile=${settings.fontFile}:textfile=${labelFile}:` +
        `x=${tile.x + 8}:y=${tile.y + tile.height - 34}:fontsize=20:fontcolor=white:` +
        `box=1:boxcolor=black@0.55:boxborderw=5[${next}]`,
    );
    canvas = next;

    const absent = absences(recorded, person.personId, start, end);
    // Before their first media a person is waiting (in the lobby, or not yet
    // admitted), which is not a fault: their tile says so, without the slate.
    const [first] = absent;
    const waiting = first && first[0] === 0 ? first : undefined;
    if (waiting) {
      const waitingFile = settings.labelFile(`waiting-${index}`);
      labels.push({ file: waitingFile, text: words.notYetJoined });
      const next = `canvas${++step}`;
      graph.push(
        `[${canvas}]drawtext=fontfile=${settings.fontFile}:textfile=${waitingFile}:` +
          `x=${tile.x}+(${tile.width}-tw)/2:y=${tile.y}+(${tile.height}-th)/2:` +
          `fontsize=22:fontcolor=white@0.7:enable='${enableDuring([waiting])}'[${next}]`,
      );
      canvas = next;
    }

    const disconnected = absent.filter((span) => span !== waiting);
    if (person.role !== 'attestee' || disconnected.length === 0) return;
    const enable = enableDuring(disconnected);
    const slateFile = settings.labelFile('slate');
    labels.push({ file: slateFile, text: words.attesteeDisconnected });
    const slate = `canvas${++step}`;
    graph.push(
      `[${canvas}]drawbox=x=${tile.x}:y=${tile.y}:w=${tile.width}:h=${tile.height}:` +
        `color=0x402020:t=fill:enable='${enable}',` +
        `drawtext=fontfile=${settings.fontFile}:textfile=${slateFile}:x=${tile.x}+(${tile.width}-tw)/2:` +
        `y=${tile.y}+(${tile.height}-th)/2:fontsize=24:fontcolor=white:enable='${enable}'[${slate}]`,
    );
    canvas = slate;
  });
  graph.push(`[${canvas}]format=yuv420p[vout]`);

  const audioLabels: string[] = [];
  recorded.forEach((track, index) => {
    if (track.kind !== 'audio') return;
    const first = track.segments[0] as { startedAt: Date };
    // Small arrival jitter is ignored (min_hard_comp 0.1 s); real gaps become silence.
    graph.push(
      `[${index}:a]asetpts=PTS-STARTPTS+(${seconds(offsetOf(first.startedAt) - AUDIO_ARRIVAL_LAG_SECONDS)})/TB,` +
        `aresample=48000:async=1:first_pts=0,aformat=channel_layouts=stereo[a${index}]`,
    );
    audioLabels.push(`[a${index}]`);
  });
  if (audioLabels.length === 0) {
    graph.push(`anullsrc=r=48000:cl=stereo:d=${seconds(duration)}[aout]`);
  } else {
    graph.push(
      `${audioLabels.join('')}amix=inputs=${audioLabels.length}:duration=longest:` +
        `dropout_transition=0:normalize=0,apad=whole_dur=${seconds(duration)}[aout]`,
    );
  }

  return {
    timelineStart: new Date(start),
    durationSeconds: duration,
    inputs,
    labels,
    filterGraph: graph.join(';'),
    videoOutput: 'vout',
    audioOutput: 'aout',
  };
}

/**
 * Tiles for `count` people: a grid, or with a screen share the screen large
 * on the left and the people in a column on the right.
 */
export function layoutTiles(
  count: number,
  withScreen: boolean,
  width: number,
  height: number,
): { tiles: Tile[]; screen: Tile | undefined } {
  const even = (n: number): number => Math.max(2, Math.floor(n / 2) * 2);
  if (withScreen) {
    const columnWidth = even(width / 4);
    const tileHeight = even(height / Math.max(1, count));
    const tiles = Array.from({ length: count }, (_, i) => ({
      x: width - columnWidth,
      y: i * tileHeight,
      width: columnWidth,
      height: tileHeight,
    }));
    return { tiles, screen: { x: 0, y: 0, width: even(width - columnWidth), height } };
  }

  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  const rows = Math.max(1, Math.ceil(count / columns));
  const tileWidth = even(width / columns);
  const tileHeight = even(height / rows);
  const tiles = Array.from({ length: count }, (_, i) => ({
    x: (i % columns) * tileWidth,
    y: Math.floor(i / columns) * tileHeight,
    width: tileWidth,
    height: tileHeight,
  }));

  return { tiles, screen: undefined };
}

/** The concat demuxer list of a track's segments, spaced on the wall clock. */
export function concatListOf(segments: CompositeTrackInput['segments']): string {
  const lines = ['ffconcat version 1.0'];
  segments.forEach((segment, i) => {
    const next = segments[i + 1];
    const until = next ? next.startedAt : segment.endedAt;
    const duration = Math.max(
      0.001,
      (until.getTime() - segment.startedAt.getTime()) / 1000,
    );
    lines.push(
      `file '${segment.filePath.replaceAll("'", "'\\''")}'`,
      `duration ${seconds(duration)}`,
    );
  });

  return `${lines.join('\n')}\n`;
}

/**
 * Spans (seconds from the composite's start) in which a person had no media
 * at all: before their first segment, between series, after their last.
 */
export function absences(
  tracks: readonly CompositeTrackInput[],
  personId: string,
  startMs: number,
  endMs: number,
): [number, number][] {
  const covered = tracks
    .filter((t) => t.personId === personId)
    .flatMap((t) =>
      t.segments.map((s) => [s.startedAt.getTime(), s.endedAt.getTime()] as const),
    )
    .sort((a, b) => a[0] - b[0]);
  const result: [number, number][] = [];
  let cursor = startMs;

  for (const [from, to] of covered) {
    if ((from - cursor) / 1000 >= DISCONNECT_THRESHOLD_SECONDS) {
      result.push([(cursor - startMs) / 1000, (from - startMs) / 1000]);
    }
    cursor = Math.max(cursor, to);
  }
  if ((endMs - cursor) / 1000 >= DISCONNECT_THRESHOLD_SECONDS) {
    result.push([(cursor - startMs) / 1000, (endMs - startMs) / 1000]);
  }

  return result;
}

function peopleInOrder(
  tracks: readonly CompositeTrackInput[],
): { personId: string; displayName: string; role: Role }[] {
  const rank: Record<Role, number> = {
    attestee: 0,
    chair: 1,
    expert: 2,
    'room-device': 3,
  };
  const people = new Map<string, { personId: string; displayName: string; role: Role }>();
  for (const track of tracks) {
    if (!people.has(track.personId)) {
      people.set(track.personId, {
        personId: track.personId,
        displayName: track.displayName,
        role: track.role,
      });
    }
  }

  return [...people.values()].sort(
    (a, b) => rank[a.role] - rank[b.role] || a.displayName.localeCompare(b.displayName),
  );
}

/** A timeline `enable` expression true during any of `spans` (seconds). */
function enableDuring(spans: readonly [number, number][]): string {
  return spans
    .map(([from, to]) => `between(t,${seconds(from)},${seconds(to)})`)
    .join('+');
}

function seconds(value: number): string {
  return value.toFixed(3);
}
