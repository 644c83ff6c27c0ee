import { describe, expect, it } from 'vitest';
import type {
  ParticipantView,
  SessionSnapshot,
} from '../../../server/signalling/protocol.ts';
import { startReadiness } from '../../../client/review/start-readiness.ts';

const participant = (overrides: Partial<ParticipantView>): ParticipantView => ({
  peerId: 'p',
  personId: 'person',
  displayName: 'Name',
  role: 'expert',
  seat: 'admitted',
  connected: true,
  producers: [],
  ...overrides,
});

const snapshot = (overrides: Partial<SessionSnapshot>): SessionSnapshot => ({
  reviewId: 'r1',
  subject: 'Review',
  state: 'lobby',
  you: { peerId: 'chair', personId: 'c', role: 'chair', seat: 'admitted' },
  participants: [
    participant({ peerId: 'chair', role: 'chair' }),
    participant({ peerId: 'att', role: 'attestee' }),
  ],
  clock: { serverNow: 0, limitSeconds: 1800 },
  recording: { state: 'recording', tracksWriting: 4, tracksExpected: 4 },
  consentGiven: true,
  ...overrides,
});

describe('startReadiness', () => {
  it('is ready when the attestee is in the room and every track is written', () => {
    expect(startReadiness(snapshot({})).ready).toBe(true);
  });

  it('is not ready while a track is not yet written', () => {
    const readiness = startReadiness(
      snapshot({
        recording: { state: 'recording', tracksWriting: 3, tracksExpected: 4 },
      }),
    );

    expect(readiness).toMatchObject({
      ready: false,
      tracksWriting: 3,
      tracksExpected: 4,
    });
  });

  it('is not ready when no track is expected at all', () => {
    const readiness = startReadiness(
      snapshot({ recording: { state: 'idle', tracksWriting: 0, tracksExpected: 0 } }),
    );

    expect(readiness.ready).toBe(false);
  });

  it('is not ready while the attestee waits in the lobby or is disconnected', () => {
    const inLobby = snapshot({
      participants: [participant({ role: 'attestee', seat: 'lobby' })],
    });
    const dropped = snapshot({
      participants: [participant({ role: 'attestee', connected: false })],
    });

    expect(startReadiness(inLobby).attesteePresent).toBe(false);
    expect(startReadiness(dropped).ready).toBe(false);
  });

  it('is not offered again once the review is live', () => {
    expect(startReadiness(snapshot({ state: 'live' })).ready).toBe(false);
  });
});
