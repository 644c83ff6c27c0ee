/**
 * The events timeline beside the player. Each event shows its wall-clock
 * time (Almaty) and where it falls in the composite video, counted from the
 * composite's own 0:00: its earliest segment, when the first person's media
 * began (the chair's admission, usually well before the review's start), not
 * the start of the review. Events outside the recorded span (the review's
 * creation, people waiting in the lobby) are listed as before or after the
 * recording and cannot be sought to; a recording without a composite shows
 * wall-clock times only.
 */
import { element } from '../review/dom.ts';
import type { RecordingDetail } from '../../server/archive/recording-detail.ts';
import type { EndReason, ReviewEvent } from '../../server/review/review-types.ts';
import type { ArchiveMessageKey } from './i18n/index.ts';
import { formatMoment, type ArchiveText } from './page-text.ts';

/** Where an event falls relative to the composite. */
export type RecordingPlace =
  | { kind: 'in'; seconds: number }
  | { kind: 'before' }
  | { kind: 'after' }
  /** There is no composite to place it in. */
  | { kind: 'none' };

const END_REASONS: readonly EndReason[] = [
  'time-limit',
  'chair',
  'shutdown',
  'cancelled',
];

/** Places the instant `at` in a composite whose 0:00 is `composite.startedAt`. */
export function placeInRecording(
  at: string,
  composite: { startedAt: string; durationSeconds: number } | null,
): RecordingPlace {
  if (!composite) return { kind: 'none' };

  const seconds = (Date.parse(at) - Date.parse(composite.startedAt)) / 1000;
  if (seconds < 0) return { kind: 'before' };
  if (seconds > composite.durationSeconds) return { kind: 'after' };

  return { kind: 'in', seconds };
}

/**
 * The message naming an event. The end says why the review ended, so a
 * cancelled review reads as cancelled; 'join' is stored when the person's
 * page connects, on opening the pre-flight check, and is named so.
 */
export function eventMessageKey(event: ReviewEvent): ArchiveMessageKey {
  const reason = event.data?.reason;
  if (event.type === 'end' && END_REASONS.includes(reason as EndReason))
    return `event.end.${reason as EndReason}`;

  return `event.${event.type}`;
}

/** "01:19", or "1:02:03" past an hour. */
export function positionText(seconds: number): string {
  const whole = Math.floor(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(rest).padStart(2, '0')}`;

  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** The timeline's list; `seek` plays the composite from a position. */
export function renderTimeline(
  text: ArchiveText,
  detail: RecordingDetail,
  language: string,
  seek: (seconds: number) => void,
): HTMLElement {
  const heading = element('h3');
  text.set(heading, 'detail.timeline');
  const note = element('p', { className: 'note' });
  text.set(note, detail.composite ? 'detail.timelineNote' : 'detail.timelineNoteNoVideo');
  const list = element('ol', { testId: 'timeline', className: 'timeline' });

  for (const event of detail.events) {
    const place = placeInRecording(event.at, detail.composite);
    const item = element('li', {
      testId: 'timeline-event',
      data: {
        type: event.type,
        place: place.kind,
        ...(place.kind === 'in' ? { offset: String(place.seconds) } : {}),
      },
    });
    const wall = element('time', { className: 'wall' });
    wall.dateTime = event.at;
    wall.textContent = formatMoment(event.at, language);
    item.append(wall);

    const label = element('span');
    text.set(label, eventMessageKey(event));
    const who = document.createTextNode(personSuffix(detail, event));
    if (place.kind === 'in') {
      const button = element(
        'button',
        { testId: 'timeline-seek', className: 'link' },
        element(
          'span',
          { className: 'position' },
          document.createTextNode(`▶ ${positionText(place.seconds)}`),
        ),
        label,
        who,
      );
      button.type = 'button';
      button.addEventListener('click', () => seek(place.seconds));
      item.append(button);
    } else {
      if (place.kind !== 'none') {
        const outside = element('span', { className: 'outside' });
        text.set(
          outside,
          place.kind === 'before'
            ? 'timeline.beforeRecording'
            : 'timeline.afterRecording',
        );
        item.append(outside);
      }
      item.append(label, who);
    }
    list.append(item);
  }

  return element('aside', { className: 'timeline-box' }, heading, note, list);
}

function personSuffix(detail: RecordingDetail, event: ReviewEvent): string {
  const person = detail.participants.find((p) => p.personId === event.personId);
  return person ? ` · ${person.displayName}` : '';
}
