/**
 * The room: a tile per admitted person (dimmed while their connection is
 * away, in the same place), shared screens as their own tiles, the countdown,
 * the recording light, the person's own controls (microphone, camera, screen)
 * and, for the chair, the chair's panel. It fits a laptop's screen: a shared
 * screen takes the stage, the faces move to a strip below it, and the status
 * line and the controls never leave the viewport. The person sharing sees a
 * small preview of their own screen among the faces.
 */
import type {
  ParticipantView,
  SessionSnapshot,
} from '../../server/signalling/protocol.ts';
import type { RemoteMedia } from '../media/media-session.ts';
import type { ChairActions } from './chair-actions.ts';
import { ChairPanel } from './chair-panel.ts';
import { Countdown } from './countdown.ts';
import { element } from './dom.ts';
import { RecordingIndicator } from './recording-indicator.ts';
import type { ReviewText } from './review-text.ts';
import { seatsInRoom, tileKeyFor } from './room-seats.ts';
import { VideoTile } from './video-tile.ts';

/** The person's own controls; the page answers through setSending(). */
export interface RoomControls {
  toggleMicrophone(): void;
  toggleCamera(): void;
  toggleScreen(): void;
}

/** Which of the person's own sources are being sent. */
export interface SendingState {
  microphone: boolean;
  camera: boolean;
  screen: boolean;
}

export class RoomScreen {
  /** The screen's root element. */
  readonly element: HTMLElement;
  readonly #text: ReviewText;
  readonly #ownPeerId: string;
  readonly #chairActions: ChairActions | undefined;
  readonly #chairPanel: ChairPanel | undefined;
  readonly #countdown: Countdown;
  readonly #indicator: RecordingIndicator;
  readonly #tiles = new Map<string, VideoTile>();
  readonly #screens = new Map<string, HTMLElement>();
  readonly #remoteTracks = new Map<string, { peerId: string; track: MediaStreamTrack }>();
  readonly #stage = element('div', { testId: 'stage', className: 'stage' });
  readonly #grid = element('div', { testId: 'tiles', className: 'tiles' });
  readonly #main: HTMLElement;
  #ownScreen: { track: MediaStreamTrack; tile: HTMLElement } | undefined;
  readonly #micButton = element('button', { testId: 'toggle-mic' });
  readonly #cameraButton = element('button', { testId: 'toggle-camera' });
  readonly #screenButton = element('button', { testId: 'toggle-screen' });
  #participantNames = new Map<string, string>();

  constructor(
    text: ReviewText,
    ownPeerId: string,
    localStream: MediaStream,
    controls: RoomControls,
    chairActions: ChairActions | undefined,
  ) {
    this.#text = text;
    this.#ownPeerId = ownPeerId;
    this.#chairActions = chairActions;
    this.#countdown = new Countdown(text);
    this.#indicator = new RecordingIndicator(text);
    this.#chairPanel = chairActions ? new ChairPanel(text, chairActions) : undefined;

    const ownTile = this.#tileFor(ownPeerId);
    const [camera] = localStream.getVideoTracks();
    if (camera) ownTile.showVideo(camera);

    this.#micButton.addEventListener('click', () => controls.toggleMicrophone());
    this.#cameraButton.addEventListener('click', () => controls.toggleCamera());
    this.#screenButton.addEventListener('click', () => controls.toggleScreen());
    this.setSending({ microphone: true, camera: true, screen: false });

    const status = element(
      'header',
      { className: 'room-status' },
      this.#countdown.element,
      this.#indicator.element,
    );
    const ownControls = element(
      'nav',
      { className: 'own-controls' },
      this.#micButton,
      this.#cameraButton,
      this.#screenButton,
    );
    this.#main = element(
      'div',
      { className: 'room-main', data: { sharing: 'false' } },
      status,
      this.#stage,
      this.#grid,
      ownControls,
    );

    this.element = element(
      'section',
      { testId: 'room-screen', className: 'room' },
      this.#main,
      ...(this.#chairPanel ? [this.#chairPanel.element] : []),
    );
  }

  /** Redraws tiles, names, the clock and the chair's panel from a snapshot. */
  update(snapshot: SessionSnapshot): void {
    const seated = seatsInRoom(snapshot);
    this.#participantNames = new Map(seated.map((p) => [p.peerId, p.displayName]));

    for (const participant of seated) {
      const own = participant.peerId === this.#ownPeerId;
      this.#seatTile(participant).describe(participant, own);
    }
    for (const [peerId, tile] of this.#tiles) {
      if (peerId !== this.#ownPeerId && !this.#participantNames.has(peerId)) {
        tile.element.remove();
        this.#tiles.delete(peerId);
      }
    }
    this.element.dataset.participants = String(seated.filter((p) => p.connected).length);

    this.#countdown.setEndsAt(snapshot.clock.endsAt);
    this.#indicator.update(snapshot.recording.state, snapshot.state);
    this.#chairPanel?.update(snapshot);
  }

  /** The page lost (true) or regained (false) its connection to the server. */
  setConnectionLost(lost: boolean): void {
    this.#indicator.setConnectionLost(lost);
  }

  /**
   * Shows the person's own shared screen as a small tile among the faces, so
   * they see what the others see; undefined takes it away.
   */
  showOwnScreen(track: MediaStreamTrack | undefined): void {
    if (this.#ownScreen?.track === track) return;

    this.#ownScreen?.tile.remove();
    this.#ownScreen = undefined;
    if (!track) return;

    const tile = this.#screenTile(track, { testId: 'own-screen-tile', own: true });
    this.#text.set(tile.caption, 'room.yourScreen');
    this.#ownScreen = { track, tile: tile.element };
    const ownTile = this.#tiles.get(this.#ownPeerId)?.element;
    if (ownTile) ownTile.after(tile.element);
    else this.#grid.append(tile.element);
  }

  /** The estimated server clock offset, for the countdown. */
  setClockOffset(offsetMs: number): void {
    this.#countdown.setOffset(offsetMs);
  }

  /** Shows a remote track: camera and microphone on the person's tile, a screen on its own. */
  attachRemote(media: RemoteMedia): void {
    this.#remoteTracks.set(media.producerId, {
      peerId: media.peerId,
      track: media.track,
    });

    if (media.source === 'screen') {
      this.#attachScreen(media);
      return;
    }

    const tile = this.#tileFor(media.peerId);
    if (media.kind === 'audio') tile.playAudio(media.track);
    else tile.showVideo(media.track);
  }

  /** A remote producer closed: take its track off the screen. */
  detachRemote(producerId: string): void {
    const remote = this.#remoteTracks.get(producerId);
    this.#remoteTracks.delete(producerId);

    this.#screens.get(producerId)?.remove();
    this.#screens.delete(producerId);
    this.#main.dataset.sharing = String(this.#screens.size > 0);
    if (!remote) return;

    // Its tile may since have passed to the person's new connection: ask them all.
    for (const tile of this.#tiles.values()) tile.forget(remote.track);
  }

  /** Labels the own controls after what is being sent. */
  setSending(sending: SendingState): void {
    this.#text.set(
      this.#micButton,
      sending.microphone ? 'room.muteMic' : 'room.unmuteMic',
    );
    this.#text.set(
      this.#cameraButton,
      sending.camera ? 'room.cameraOff' : 'room.cameraOn',
    );
    this.#text.set(
      this.#screenButton,
      sending.screen ? 'room.stopShare' : 'room.shareScreen',
    );
    this.#micButton.dataset.sending = String(sending.microphone);
    this.#cameraButton.dataset.sending = String(sending.camera);
    this.#screenButton.dataset.sending = String(sending.screen);
  }

  /** Stops the countdown's timer. */
  close(): void {
    this.#countdown.close();
  }

  /** The tile of a seat: its own, the one its person held before a return, or a new one. */
  #seatTile(participant: ParticipantView): VideoTile {
    const personByTile = new Map(
      [...this.#tiles].map(([peerId, tile]) => [peerId, tile.personId]),
    );
    const key = tileKeyFor(participant, personByTile);
    const held = key === undefined ? undefined : this.#tiles.get(key);
    if (key === undefined || !held || key === participant.peerId) {
      return this.#tileFor(participant.peerId);
    }

    this.#tiles.delete(key);
    this.#tiles.set(participant.peerId, held);

    return held;
  }

  #tileFor(peerId: string): VideoTile {
    let tile = this.#tiles.get(peerId);
    if (!tile) {
      const own = peerId === this.#ownPeerId;
      tile = new VideoTile(this.#text, peerId, { own, chairActions: this.#chairActions });
      this.#tiles.set(peerId, tile);
      if (own) this.#grid.prepend(tile.element);
      else this.#grid.append(tile.element);
    }

    return tile;
  }

  #attachScreen(media: RemoteMedia): void {
    const screen = this.#screenTile(media.track, { testId: 'screen-tile', own: false });
    screen.element.dataset.peerId = media.peerId;
    this.#text.set(screen.caption, 'room.screenOf', {
      name: this.#participantNames.get(media.peerId) ?? '',
    });

    this.#screens.set(media.producerId, screen.element);
    this.#stage.prepend(screen.element);
    this.#main.dataset.sharing = 'true';
  }

  /** A tile showing a screen, never cropped: text on it must stay readable. */
  #screenTile(
    track: MediaStreamTrack,
    options: { testId: string; own: boolean },
  ): { element: HTMLElement; caption: HTMLElement } {
    const video = element('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = true;
    video.srcObject = new MediaStream([track]);
    const caption = element('figcaption');

    const tile = element(
      'figure',
      {
        testId: options.testId,
        className: options.own ? 'tile screen own-screen' : 'tile screen',
      },
      video,
      caption,
    );
    return { element: tile, caption };
  }
}
