/**
 * Which seats the room shows and which existing tile each one takes. A seat
 * outlives its connection: an admitted person whose connection dropped keeps
 * a (dimmed) tile until they return or the chair removes them, and on return
 * the server seats them under a new peer id, so the tile is found again by
 * the person, never duplicated.
 */
import type {
  ParticipantView,
  SessionSnapshot,
} from '../../server/signalling/protocol.ts';

/** The participants the room shows a tile for: everyone admitted, connected or not. */
export function seatsInRoom(snapshot: SessionSnapshot): ParticipantView[] {
  return snapshot.participants.filter((p) => p.seat === 'admitted');
}

/**
 * The key (peer id) of the tile `participant` should take, given each tile's
 * key and the person it last showed: the tile of its own peer id, else the
 * tile its person held under an earlier connection, else none (a new tile).
 */
export function tileKeyFor(
  participant: Pick<ParticipantView, 'peerId' | 'personId'>,
  personByTile: ReadonlyMap<string, string | undefined>,
): string | undefined {
  if (personByTile.has(participant.peerId)) return participant.peerId;

  for (const [peerId, personId] of personByTile) {
    if (personId === participant.personId) return peerId;
  }

  return undefined;
}
