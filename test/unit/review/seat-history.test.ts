/**
 * The seats a review's next session restores from the event log, and the
 * seat a person gets on coming back: the chair's decisions outlive a session.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewEvent } from '../../../server/review/review-types.ts';
import { lastSeats, seatOnReturn } from '../../../server/review/seat-history.ts';

let seq = 0;

function event(
  type: ReviewEvent['type'],
  personId?: string,
  data?: Record<string, unknown>,
): ReviewEvent {
  seq += 1;
  return {
    reviewId: 'r1',
    seq,
    at: new Date(Date.UTC(2026, 11, 10, 5, 0, seq)).toISOString(),
    type,
    ...(personId ? { personId } : {}),
    ...(data ? { data } : {}),
  };
}

describe('lastSeats', () => {
  it('follows each person through join, admission, drop and return', () => {
    const seats = lastSeats([
      event('created', undefined, { people: 3 }),
      event('join', 'chair', { peerId: 'p1', seat: 'admitted' }),
      event('join', 'attestee', { peerId: 'p2', seat: 'lobby' }),
      event('admit', 'attestee', { by: 'chair' }),
      event('start', 'chair'),
      event('drop', 'attestee', { peerId: 'p2', detail: 'transport close' }),
      event('session-interrupted', undefined, { cause: 'worker-died' }),
    ]);

    expect(Object.fromEntries(seats)).toEqual({
      chair: 'admitted',
      attestee: 'admitted',
    });
  });

  it('keeps the chair’s removal and refusal, and a goodbye', () => {
    const seats = lastSeats([
      event('join', 'attestee', { peerId: 'p1', seat: 'lobby' }),
      event('admit', 'attestee', { by: 'chair' }),
      event('remove', 'attestee', { by: 'chair' }),
      event('join', 'expert', { peerId: 'p2', seat: 'lobby' }),
      event('refuse', 'expert', { by: 'chair' }),
      event('join', 'observer', { peerId: 'p3', seat: 'lobby' }),
      event('admit', 'observer', { by: 'chair' }),
      event('leave', 'observer', { peerId: 'p3', detail: 'client namespace disconnect' }),
    ]);

    expect(Object.fromEntries(seats)).toEqual({
      attestee: 'removed',
      expert: 'refused',
      observer: 'left',
    });
  });

  it('takes the seat a later return gave, and ignores one it cannot read', () => {
    const seats = lastSeats([
      event('join', 'expert', { peerId: 'p1', seat: 'lobby' }),
      event('refuse', 'expert', { by: 'chair' }),
      event('rejoin', 'expert', { peerId: 'p2', seat: 'lobby', replaced: false }),
      event('join', 'attestee', { peerId: 'p3', seat: 'lobby' }),
      event('admit', 'attestee', { by: 'chair' }),
      event('rejoin', 'attestee', { peerId: 'p4', seat: 'throne' }),
      event('rejoin', 'attestee'),
    ]);

    expect(Object.fromEntries(seats)).toEqual({ expert: 'lobby', attestee: 'admitted' });
  });

  it('is empty for a review nobody joined', () => {
    expect(lastSeats([event('created', undefined, { people: 3 })]).size).toBe(0);
  });
});

describe('seatOnReturn', () => {
  it('seats the chair in the room whatever came before', () => {
    expect(seatOnReturn('chair', undefined)).toBe('admitted');
    expect(seatOnReturn('chair', 'left')).toBe('admitted');
  });

  it('sends an admitted person straight back into the room', () => {
    expect(seatOnReturn('attestee', 'admitted')).toBe('admitted');
    expect(seatOnReturn('expert', 'admitted')).toBe('admitted');
  });

  it('has everyone else wait in the lobby for the chair', () => {
    for (const last of [undefined, 'lobby', 'left', 'removed', 'refused'] as const) {
      expect(seatOnReturn('attestee', last)).toBe('lobby');
      expect(seatOnReturn('expert', last)).toBe('lobby');
    }
  });
});
