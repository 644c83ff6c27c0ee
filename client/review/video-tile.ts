/**
 * One person's tile in the room: their camera, their microphone (played, not
 * shown) and their name and role. The chair's tiles of others also carry mute
 * and remove buttons.
 */
import type { ParticipantView } from '../../server/signalling/protocol.ts';
import type { ChairActions } from './chair-actions.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

export class VideoTile {
  /** The tile's root element. */
  readonly element: HTMLElement;
  readonly #text: ReviewText;
  readonly #video = element('video');
  readonly #audio = element('audio');
  readonly #label = element('span', { testId: 'tile-name', className: 'tile-name' });

  constructor(
    text: ReviewText,
    peerId: string,
    options: { own: boolean; chairActions: ChairActions | undefined },
  ) {
    this.#text = text;
    this.#video.autoplay = true;
    this.#video.playsInline = true;
    // Your own microphone is never played back to you.
    this.#video.muted = true;
    this.#audio.autoplay = true;

    const controls = element('div', { className: 'tile-controls' });
    if (options.chairActions && !options.own) {
      const actions = options.chairActions;
      const mute = element('button', { testId: 'mute' });
      text.set(mute, 'chair.mute');
      mute.addEventListener('click', () => actions.mute(peerId));
      const remove = element('button', { testId: 'remove', className: 'danger' });
      text.set(remove, 'chair.remove');
      remove.addEventListener('click', () => actions.remove(peerId));
      controls.append(mute, remove);
    }

    this.element = element(
      'figure',
      { testId: 'tile', className: 'tile', data: { peerId, own: String(options.own) } },
      this.#video,
      this.#audio,
      element('figcaption', {}, this.#label, controls),
    );
  }

  /** Names the tile after the participant. */
  describe(
    participant: Pick<ParticipantView, 'displayName' | 'role'>,
    own: boolean,
  ): void {
    this.element.dataset.role = participant.role;
    this.#text.set(this.#label, own ? 'room.you' : 'room.participant', {
      name: participant.displayName,
      role: { key: `role.${participant.role}` },
    });
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
