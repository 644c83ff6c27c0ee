import { describe, expect, it } from 'vitest';
import type {
  ParticipantView,
  SeatState,
  SessionSnapshot,
} from '../../../server/signalling/protocol.ts';
import { seatsInRoom, tileKeyFor } from '../../../client/review/room-seats.ts';

/** A seat of person `personId`, held (or last held) by connection `peerId`. */
function seatOf(
  personId: string,
  peerId: string,
  seat: SeatState,
  connected: boolean,
): ParticipantView {
  return {
    peerId,
    personId,
    displayName: personId,
    role: personId === 'chair' ? 'chair' : 'expert',
    seat,
    connected,
    producers: [],
  };
}

function roomWith(participants: ParticipantView[]): SessionSnapshot {
  const [chair] = participants;

  return {
    reviewId: 'r1',
    subject: 'Review',
    state: 'live',
    you: {
      peerId: chair?.peerId ?? '',
      personId: chair?.personId ?? '',
      role: 'chair',
      seat: 'admitted',
    },
    participants,
    clock: { serverNow: 0, limitSeconds: 1800 },
    recording: { state: 'recording', tracksWriting: 4, tracksExpected: 4 },
    consentGiven: true,
  };
}

describe('seatsInRoom()', () => {
  it('keeps admitted seats whose connection dropped and leaves out every other seat', () => {
    const seats = seatsInRoom(
      roomWith([
        seatOf('chair', 'c1', 'admitted', true),
        seatOf('attestee', 'a1', 'admitted', false),
        seatOf('waiting', 'w1', 'lobby', true),
        seatOf('removed', 'r1', 'removed', false),
        seatOf('gone', 'g1', 'left', false),
      ]),
    );

    expect(seats.map((p) => [p.peerId, p.connected])).toEqual([
      ['c1', true],
      ['a1', false],
    ]);
  });
});

describe('tileKeyFor()', () => {
  const tiles = new Map<string, string | undefined>([
    ['own', 'chair'],
    ['old-attestee', 'attestee'],
    ['fresh', undefined],
  ]);

  it('answers the tile of the same peer id first', () => {
    expect(tileKeyFor({ peerId: 'fresh', personId: 'expert' }, tiles)).toBe('fresh');
  });

  it('answers the tile a returning person held under their earlier peer id', () => {
    expect(tileKeyFor({ peerId: 'new-attestee', personId: 'attestee' }, tiles)).toBe(
      'old-attestee',
    );
  });

  it('answers nothing for a person without a tile', () => {
    expect(tileKeyFor({ peerId: 'e1', personId: 'expert' }, tiles)).toBeUndefined();
  });
});
