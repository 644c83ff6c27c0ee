/**
 * One person's seat in a live review. A person has at most one seat; a new
 * connection with the same link takes the seat over, so no ghost of the old
 * connection can remain.
 */
import type { SfuPeer } from '../sfu/sfu-peer.ts';
import type { SeatState } from '../signalling/protocol.ts';
import type { PeerChannel } from './peer-channel.ts';
import type { Person } from './review-types.ts';

/** The seat of one person and the connection currently holding it. */
export interface Participant {
  person: Person;
  seat: SeatState;
  /** Id of the connection holding the seat (new on every connection). */
  peerId: string;
  /** Present while the connection is open. */
  channel: PeerChannel | undefined;
  /** Present while the connection is open. */
  media: SfuPeer | undefined;
  /** Whether the person has joined before (a later join is a return). */
  hasJoined: boolean;
}

/** Whether the participant is connected and admitted to the room. */
export function isPresent(participant: Participant | undefined): boolean {
  return participant?.seat === 'admitted' && participant.channel !== undefined;
}
