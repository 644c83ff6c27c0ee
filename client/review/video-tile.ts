/**
 * One person's tile in the room: their camera, their microphone (played, not
 * shown), their name and role, and whether their connection is there. The
 * chair's tiles of others also carry mute and remove buttons; a seat whose
 * connection dropped offers only remove, as nothing is being sent to mute.
 */
import type { ParticipantView } from '../../server/signalling/protocol.ts';
import type { ChairActions } from './chair-actions.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

/** What a tile shows of its participant. */
export type TileParticipant = Pick<
  ParticipantView,
  'peerId' | 'personId' | 'displayName' | 'role' | 'connected'
>;

export class VideoTile {
  /** The tile's root element. */
  readonly element: HTMLElement;
  readonly #text: ReviewText;
  readonly #video = element('video');
  readonly #audio = element('audio');
  readonly #label = element('span', { testId: 'tile-name', className: 'tile-name' });
  readonly #status = element('span', {
    testId: 'tile-disconnected',
    className: 'tile-status',
  });
  readonly #controls = element('div', { className: 'tile-controls' });
  readonly #mute: HTMLButtonElement | undefined;
  readonly #remove: HTMLButtonElement | undefined;
  /** The connection the seat is held by; a return brings a new one. */
  #peerId: string;
  #personId: string | undefined;

  constructor(
    text: ReviewText,
    peerId: string,
    options: { own: boolean; chairActions: ChairActions | undefined },
  ) {
    this.#text = text;
    this.#peerId = peerId;
    this.#video.autoplay = true;
    this.#video.playsInline = true;
    // Your own microphone is never played back to you.
    this.#video.muted = true;
    this.#audio.autoplay = true;
    text.set(this.#status, 'room.disconnected');
    this.#status.hidden = true;

    if (options.chairActions && !options.own) {
      const actions = options.chairActions;
      this.#mute = element('button', { testId: 'mute' });
      text.set(this.#mute, 'chair.mute');
      this.#mute.addEventListener('click', () => actions.mute(this.#peerId));
      this.#remove = element('button', { testId: 'remove', className: 'danger' });
      text.set(this.#remove, 'chair.remove');
      this.#remove.addEventListener('click', () => actions.remove(this.#peerId));
      this.#controls.append(this.#mute, this.#remove);
    }

    this.element = element(
      'figure',
      {
        testId: 'tile',
        className: 'tile',
        data: { peerId, own: String(options.own), connected: 'true' },
      },
      this.#video,
      this.#audio,
      element('figcaption', {}, this.#label, this.#controls),
      this.#status,
    );
  }

  /** The person the tile last showed, if it has been described. */
  get personId(): string | undefined {
    return this.#personId;
  }

  /** Names the tile after the participant and shows whether they are connected. */
  describe(participant: TileParticipant, own: boolean): void {
    this.#peerId = participant.peerId;
    this.#personId = participant.personId;
    this.element.dataset.peerId = participant.peerId;
    this.element.dataset.role = participant.role;
    this.element.dataset.connected = String(participant.connected);
    this.#status.hidden = participant.connected;
    this.#text.set(this.#label, own ? 'room.you' : 'room.participant', {
      name: participant.displayName,
      role: { key: `role.${participant.role}` },
    });

    if (this.#mute && this.#remove) {
      this.#controls.replaceChildren(
        ...(participant.connected ? [this.#mute, this.#remove] : [this.#remove]),
      );
    }
  }

  /** Shows a camera track (remote, or the local preview). */
  showVideo(track: MediaStreamTrack): void {
    this.#video.srcObject = new MediaStream([track]);
  }

  /** Plays a remote microphone track. */
  playAudio(track: MediaStreamTrack): void {
    this.#audio.srcObject = new MediaStream([track]);
  }

  /** Removes a track that ended from whichever element shows it. */
  forget(track: MediaStreamTrack): void {
    for (const media of [this.#video, this.#audio]) {
      const stream = media.srcObject;
      if (stream instanceof MediaStream && stream.getTracks().includes(track)) {
        media.srcObject = null;
      }
    }
  }
}
