/**
 * The picture of a live review as one participant sees it: built fresh for
 * each send, so it is always whole and never patched on the client.
 */
import type {
  ClockView,
  ParticipantView,
  SessionSnapshot,
} from '../signalling/protocol.ts';
import type { Participant } from './participant.ts';
import type { RecorderStatus } from './recorder-port.ts';
import type { MediaSource, Review } from './review-types.ts';

/** Everything the snapshot is made from. */
export interface SnapshotInput {
  review: Review;
  participants: readonly Participant[];
  clock: ClockView;
  recording: RecorderStatus;
}

/** The snapshot for `viewer`. */
export function buildSnapshot(
  input: SnapshotInput,
  viewer: Participant,
): SessionSnapshot {
  return {
    reviewId: input.review.reviewId,
    subject: input.review.subject,
    state: input.review.state,
    you: {
      peerId: viewer.peerId,
      personId: viewer.person.personId,
      role: viewer.person.role,
      seat: viewer.seat,
    },
    participants: input.participants.map(toView),
    clock: input.clock,
    recording: { ...input.recording },
    consentGiven: input.review.consentAt !== undefined,
  };
}

function toView(participant: Participant): ParticipantView {
  return {
    peerId: participant.peerId,
    personId: participant.person.personId,
    displayName: participant.person.displayName,
    role: participant.person.role,
    seat: participant.seat,
    connected: participant.channel !== undefined,
    producers: (participant.media?.producers() ?? []).map((producer) => ({
      producerId: producer.id,
      source: producer.appData.source as MediaSource,
      kind: producer.kind,
      paused: producer.paused,
    })),
  };
}
