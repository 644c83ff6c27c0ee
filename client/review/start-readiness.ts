/**
 * Whether the chair may start the review, read from a snapshot: the attestee
 * must be in the room and every expected track must already be written, so
 * that nothing said after the start is missing from the record.
 */
import type { SessionSnapshot } from '../../server/signalling/protocol.ts';

/** The readiness figures the chair's panel shows. */
export interface StartReadiness {
  ready: boolean;
  attesteePresent: boolean;
  tracksWriting: number;
  tracksExpected: number;
}

/** Reads start readiness from the latest snapshot. */
export function startReadiness(snapshot: SessionSnapshot): StartReadiness {
  const attesteePresent = snapshot.participants.some(
    (p) => p.role === 'attestee' && p.seat === 'admitted' && p.connected,
  );
  const { tracksWriting, tracksExpected } = snapshot.recording;
  const allTracksWriting = tracksExpected > 0 && tracksWriting === tracksExpected;

  return {
    ready: snapshot.state === 'lobby' && attesteePresent && allTracksWriting,
    attesteePresent,
    tracksWriting,
    tracksExpected,
  };
}
