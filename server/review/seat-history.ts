/**
 * Where each person of a review last stood, read back from the review's
 * event log, and the seat a person gets on coming back. A review can outlive
 * its session (the media worker died, the service restarted): the next
 * session reads the log so that the chair's decisions still hold, and an
 * admitted attestee is not sent back to the lobby in the middle of a review.
 */
import type { SeatState } from '../signalling/protocol.ts';
import type { ReviewEvent, Role } from './review-types.ts';

const SEAT_STATES: ReadonlySet<string> = new Set<SeatState>([
  'lobby',
  'admitted',
  'refused',
  'removed',
  'left',
]);

/** The seat each event gives the person it names; events not listed leave it as it was. */
const SEAT_AFTER: Partial<Record<ReviewEvent['type'], SeatState>> = {
  admit: 'admitted',
  refuse: 'refused',
  remove: 'removed',
  leave: 'left',
};

/**
 * The last seat of every person who joined, by personId, in the order of the
 * log. A join or return stores the seat it gave; a dropped connection keeps
 * the seat (the person is only away).
 */
export function lastSeats(events: readonly ReviewEvent[]): Map<string, SeatState> {
  const seats = new Map<string, SeatState>();
  for (const event of events) {
    if (!event.personId) continue;

    const seat = seatAfter(event);
    if (seat) seats.set(event.personId, seat);
  }

  return seats;
}

/**
 * The seat of a person who connects again, given the seat they last held
 * (in this session or an earlier one of the same review). The chair is always
 * in the room; a person the chair admitted goes straight back in; everyone
 * else (waiting, left, removed or refused) waits in the lobby for the chair
 * to decide again, as on a first join.
 */
export function seatOnReturn(role: Role, last: SeatState | undefined): SeatState {
  return role === 'chair' || last === 'admitted' ? 'admitted' : 'lobby';
}

function seatAfter(event: ReviewEvent): SeatState | undefined {
  if (event.type === 'join' || event.type === 'rejoin') {
    const seat = event.data?.seat;
    return typeof seat === 'string' && SEAT_STATES.has(seat)
      ? (seat as SeatState)
      : undefined;
  }

  return SEAT_AFTER[event.type];
}
