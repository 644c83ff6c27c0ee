/**
 * The review page's controller: join -> pre-flight -> lobby -> room -> end.
 * It owns the socket, the local camera stream and the media session, and
 * decides which screen shows from the server's snapshots: the server is the
 * authority on seats, the clock and the recording.
 */
import type {
  SessionSnapshot,
  ServerToClientEvents,
} from '../../server/signalling/protocol.ts';
import type { ReviewMessageKey } from '../i18n/review-messages/index.ts';
import { startLevelMeter, type LevelMeter } from '../media/level-meter.ts';
import { probeMediaPath, type MediaProbeFigures } from '../media/media-probe.ts';
import { MediaSession, type ConsumerFigures } from '../media/media-session.ts';
import { captureScreen } from '../media/screen-capture.ts';
import type { ChairActions } from './chair-actions.ts';
import { syncClock } from './clock-sync.ts';
import { renderEndScreen, type PageEndReason } from './end-screen.ts';
import {
  isRetryable,
  joinProblemOfCode,
  joinProblemOfState,
  type JoinProblem,
} from './join-problem.ts';
import { renderJoinError, renderJoinLoading, renderJoinSummary } from './join-screen.ts';
import { renderLobby } from './lobby-screen.ts';
import type { NoticeArea, NoticeLevel } from './notices.ts';
import { PreflightScreen, type PreflightChoice } from './preflight-screen.ts';
import { errorCode } from './request-error.ts';
import type { ReviewText } from './review-text.ts';
import { RoomScreen } from './room-screen.ts';
import { formatRemaining } from './server-clock.ts';
import { fetchSessionSummary, type SessionSummary } from './session-api.ts';
import {
  connectSignalling,
  type RequestName,
  type RequestPayload,
  type Signalling,
} from './signalling.ts';

/** How often the clock offset is measured again while in the room. */
const CLOCK_RESYNC_MS = 60_000;

/** Server notice codes with their own message; others show generically. */
const NOTICE_MESSAGES: Record<string, ReviewMessageKey> = {
  RECORDING_DEGRADED: 'notice.recordingDegraded',
  RECORDING_FAILED: 'notice.recordingFailed',
  MEDIA_UNAVAILABLE: 'notice.mediaMoving',
  SERVER_CLOSING: 'notice.serverRestarting',
};

/** Pause before asking again after the server refused the handshake for a passing reason. */
const HANDSHAKE_RETRY_MS = 5_000;

/**
 * Server notices after which the server closes the connection because the
 * review's session is closing under it (its media worker died, the service
 * restarts, or it could not be seated yet): the review goes on, and the page
 * comes back to it by itself with the same link.
 */
const SESSION_MOVING_NOTICES: ReadonlySet<string> = new Set([
  'MEDIA_UNAVAILABLE',
  'SERVER_CLOSING',
]);

/** Server notices of a condition that lasts: they stay until the page dismisses them. */
const LASTING_NOTICES: ReadonlySet<string> = new Set([
  'RECORDING_DEGRADED',
  // They stay until the page is back in the review's next session.
  ...SESSION_MOVING_NOTICES,
]);

/** First pause before coming back after the server closed a moving session; it doubles. */
const COME_BACK_FIRST_MS = 1_000;
/** Longest pause between two tries to come back. */
const COME_BACK_MAX_MS = 15_000;

type ScreenName = 'join' | 'preflight' | 'lobby' | 'room' | 'end';

/**
 * How this page recovered from lost media, counted since it loaded: ICE
 * restarts begun (one per transport), restorations that needed no rejoin,
 * and full rejoins. For the debug handle; a person sees the notices.
 */
export interface RecoveryCounts {
  iceRestarts: number;
  restoredWithoutRejoin: number;
  rejoins: number;
}

export class ReviewApp {
  readonly #root: HTMLElement;
  readonly #text: ReviewText;
  readonly #notices: NoticeArea;
  readonly #token: string | undefined;
  #screen: ScreenName = 'join';
  #summary: SessionSummary | undefined;
  #signalling: Signalling | undefined;
  #snapshot: SessionSnapshot | undefined;
  #localStream: MediaStream | undefined;
  #levelMeter: LevelMeter | undefined;
  #preflight: PreflightScreen | undefined;
  /** Stops the pre-flight's media-path check; set once it has begun. */
  #mediaPathCheck: AbortController | undefined;
  #mediaPathFigures: MediaProbeFigures | undefined;
  #room: RoomScreen | undefined;
  /** The captured screen while the person shares it; survives reconnections. */
  #screenTrack: MediaStreamTrack | undefined;
  #roomPeerId: string | undefined;
  #media: MediaSession | undefined;
  #mediaOpening = false;
  /** Counts lost connections, so work begun on an old one can tell it is stale. */
  #connectionCount = 0;
  #wantSending = { microphone: true, camera: true };
  #joined = false;
  #reconnecting = false;
  /** The server said the session is moving: its next disconnect is not the end. */
  #sessionMoving = false;
  /** Tries to come back to a moving session since the page was last seated. */
  #comeBackTries = 0;
  #comeBackTimer: ReturnType<typeof setTimeout> | undefined;
  #clockTimer: ReturnType<typeof setInterval> | undefined;
  readonly #recovery: RecoveryCounts = {
    iceRestarts: 0,
    restoredWithoutRejoin: 0,
    rejoins: 0,
  };

  constructor(
    root: HTMLElement,
    text: ReviewText,
    notices: NoticeArea,
    token: string | undefined,
  ) {
    this.#root = root;
    this.#text = text;
    this.#notices = notices;
    this.#token = token;
  }

  /** The name of the screen on show, for the debug handle. */
  get screen(): string {
    return this.#screen;
  }

  /** The latest snapshot from the server. */
  get snapshot(): SessionSnapshot | undefined {
    return this.#snapshot;
  }

  /** What each consumer has received, for the debug handle. */
  consumerFigures(): Promise<ConsumerFigures[]> {
    return this.#media?.consumerFigures() ?? Promise.resolve([]);
  }

  /** The size each own video source is sent at, for the debug handle. */
  sentVideoSizes(): { source: string; width: number; height: number }[] {
    return this.#media?.sentVideoSizes() ?? [];
  }

  /** What the pre-flight's media-path check found, once it has, for the debug handle. */
  mediaPathFigures(): MediaProbeFigures | undefined {
    return this.#mediaPathFigures && { ...this.#mediaPathFigures };
  }

  /** How often media was restored, and how, for the debug handle. */
  recovery(): RecoveryCounts {
    return { ...this.#recovery };
  }

  /** Checks the link and shows the join screen. */
  async start(): Promise<void> {
    this.#show('join', renderJoinLoading(this.#text));
    if (!this.#token) {
      this.#refuseJoin('no-token');
      return;
    }

    try {
      this.#summary = await fetchSessionSummary(this.#token);
    } catch (err) {
      console.warn('join: the session summary was refused', err);
      const code = errorCode(err);
      this.#refuseJoin(joinProblemOfCode(code), code);
      return;
    }
    // The link is genuine but its review is over: say so before asking for the camera.
    const over = joinProblemOfState(this.#summary.review.state);
    if (over) {
      this.#refuseJoin(over);
      return;
    }

    this.#show(
      'join',
      renderJoinSummary(this.#text, this.#summary, () => this.#openPreflight()),
    );
  }

  #openPreflight(): void {
    const summary = this.#summary;
    const token = this.#token;
    if (!summary || !token) return;

    const preflight = new PreflightScreen(this.#text, summary.you.role, (choice) => {
      this.#join(choice).catch((err: unknown) => this.#reportFailure('join', err));
    });
    this.#preflight = preflight;
    this.#show('preflight', preflight.element);

    navigator.mediaDevices
      .getUserMedia({
        audio: true,
        video: { width: { ideal: 1280 }, height: { ideal: 720 } },
      })
      .then((stream) => {
        this.#localStream = stream;
        preflight.showMedia(stream);
        this.#levelMeter = startLevelMeter(stream, (level) => preflight.showLevel(level));
        this.#checkMediaPath();
      })
      .catch((err: unknown) => {
        console.warn('preflight: camera or microphone refused', err);
        preflight.showMediaFailure(errorCode(err));
      });

    this.#signalling = connectSignalling(window.location.origin, token);
    this.#listen(this.#signalling);
  }

  #listen(signalling: Signalling): void {
    const { socket } = signalling;

    socket.on('connect', () => this.#onConnect(signalling));
    socket.on('connect_error', (err) => {
      // A refused handshake carries the server's stable code in `data`.
      const refusedCode = (err as Error & { data?: { code?: string } }).data?.code;
      const code = refusedCode ?? err.message;
      console.warn('socket: connection refused', code);
      const problem = joinProblemOfCode(code);
      // socket.io does not retry a refused handshake, and the link will not
      // change by waiting: the person needs to be told, not a spinner.
      if (!isRetryable(problem)) {
        if (this.#joined && (problem === 'ended' || problem === 'cancelled')) {
          this.#end(problem);
        } else {
          this.#refuseJoin(problem, code);
        }
        return;
      }
      this.#preflight?.showConnectFailure(code);
      // A service that is restarting refuses until it is back: the person
      // reads the same notice as when it closed their session, and the page
      // comes back to the review with the same growing pauses.
      if (refusedCode === 'SERVER_CLOSING') {
        this.#showNotice(refusedCode, 'warning');
        this.#comeBack(signalling);
        return;
      }
      // socket.io retries a failed transport by itself, never a refused handshake.
      if (refusedCode !== undefined) {
        setTimeout(() => {
          if (this.#signalling === signalling && !socket.connected) socket.connect();
        }, HANDSHAKE_RETRY_MS);
      }
    });
    socket.on('disconnect', (reason) => this.#onDisconnect(signalling, reason));

    socket.on('session:snapshot', (snapshot) => this.#onSnapshot(snapshot));
    socket.on('producer:added', (producer) => {
      if (producer.peerId === this.#snapshot?.you.peerId) return;

      this.#media
        ?.consume(producer)
        .catch((err: unknown) => this.#reportFailure('consume', err));
    });
    socket.on('producer:closed', ({ producerId }) =>
      this.#media?.closeRemote(producerId),
    );
    socket.on('clock:warning', (warning) => this.#onWarning(warning));
    socket.on('peer:muted', () => this.#onMutedByChair());
    socket.on('peer:closed', ({ reason }) => {
      this.#end(reason === 'review-ended' ? 'ended' : reason);
    });
    socket.on('review:ended', ({ reason }) => this.#end(reason));
    socket.on('notice', ({ code, level }) => this.#showNotice(code, level));
  }

  /** Shows a server notice; one that says the session is moving also awaits its next session. */
  #showNotice(code: string, level: NoticeLevel): void {
    if (SESSION_MOVING_NOTICES.has(code)) this.#sessionMoving = true;
    const key = NOTICE_MESSAGES[code];
    const lasting = { lasting: LASTING_NOTICES.has(code) };
    if (key) this.#notices.show(code, level, key, undefined, lasting);
    else this.#notices.show(code, level, 'notice.other', { code }, lasting);
  }

  #onConnect(signalling: Signalling): void {
    // Back from a moving session only once seated again (#onSnapshot): the
    // new session may not be ready for this connection yet.
    if (!this.#sessionMoving) this.#showReconnected();

    this.#measureClock(signalling);
  }

  #measureClock(signalling: Signalling): void {
    syncClock(signalling)
      .then((estimate) => {
        this.#preflight?.showConnected(estimate.roundTripMs);
        this.#room?.setClockOffset(estimate.offsetMs);
      })
      .catch((err: unknown) => {
        console.warn('clock: sync failed', err);
        this.#preflight?.showConnectFailure(errorCode(err));
      });
  }

  #onDisconnect(signalling: Signalling, reason: string): void {
    this.#connectionCount += 1;
    // The server drops a peer's transports with its socket; new ones come on reconnect.
    this.#closeMedia(`socket ${reason}`);
    // No restart of the closed transports is pending any more: reconnecting says the rest.
    this.#notices.dismiss('media-restoring');
    if (this.#screen === 'end') return;

    // The server closes a socket on purpose only after saying why: removal,
    // refusal and the end of the review show the end screen (above) and stay
    // final; a session that is moving is come back to.
    if (reason === 'io server disconnect') {
      if (this.#sessionMoving) this.#comeBack(signalling);
      return;
    }

    // socket.io reconnects by itself; the server keeps an admitted seat for a dropped connection.
    this.#showReconnecting();
  }

  /**
   * The server closed this connection because the review's session is
   * closing under it: connects again with the same link after a pause that
   * grows with each try, until the review's next session seats the page.
   * socket.io does not reconnect after a disconnect the server asked for.
   */
  #comeBack(signalling: Signalling): void {
    this.#showReconnecting();
    const pause = Math.min(
      COME_BACK_FIRST_MS * 2 ** this.#comeBackTries,
      COME_BACK_MAX_MS,
    );
    this.#comeBackTries += 1;
    clearTimeout(this.#comeBackTimer);
    this.#comeBackTimer = setTimeout(() => {
      const current = this.#signalling === signalling && this.#screen !== 'end';
      if (current && !signalling.socket.connected) signalling.socket.connect();
    }, pause);
  }

  /** Seated again after the session moved: the notices of the move give way. */
  #cameBack(): void {
    this.#sessionMoving = false;
    this.#comeBackTries = 0;
    for (const code of SESSION_MOVING_NOTICES) this.#notices.dismiss(code);
    this.#showReconnected();
  }

  /** The connection is back after it was lost: the reconnecting notice gives way. */
  #showReconnected(): void {
    if (!this.#reconnecting) return;

    this.#reconnecting = false;
    this.#room?.setConnectionLost(false);
    this.#notices.dismiss('reconnecting');
    this.#notices.show('reconnected', 'info', 'notice.reconnected');
  }

  /** Tells the person the connection is being restored, until #onConnect says it is. */
  #showReconnecting(): void {
    this.#reconnecting = true;
    this.#room?.setConnectionLost(true);
    this.#notices.show('reconnecting', 'warning', 'notice.reconnecting', undefined, {
      lasting: true,
    });
  }

  #onSnapshot(snapshot: SessionSnapshot): void {
    const wasDegraded = this.#snapshot?.recording.state === 'degraded';
    if (wasDegraded && snapshot.recording.state !== 'degraded') {
      this.#notices.dismiss('RECORDING_DEGRADED');
      this.#notices.show('recording-restored', 'info', 'notice.recordingRestored');
    }

    this.#snapshot = snapshot;
    if (this.#sessionMoving) this.#cameBack();
    if (snapshot.consentGiven) this.#preflight?.showConsentGiven();
    this.#checkMediaPath();
    if (this.#joined) this.#route(snapshot);
  }

  /**
   * Once the camera works and the server has seated this connection, checks
   * once that video reaches the media server. It runs beside the pre-flight
   * and stops when the person goes on: it informs, it never holds them back.
   */
  #checkMediaPath(): void {
    const preflight = this.#preflight;
    const signalling = this.#signalling;
    const [track] = this.#localStream?.getVideoTracks() ?? [];
    if (!preflight || !signalling || !track || !this.#snapshot || this.#mediaPathCheck)
      return;

    const check = new AbortController();
    this.#mediaPathCheck = check;
    preflight.showMediaPathChecking();
    void probeMediaPath(signalling, track, check.signal).then((figures) => {
      if (check.signal.aborted) return;

      this.#mediaPathFigures = figures;
      preflight.showMediaPath(figures);
    });
  }

  async #join(choice: PreflightChoice): Promise<void> {
    const signalling = this.#signalling;
    if (!signalling) return;

    if (choice.consent && !this.#snapshot?.consentGiven) {
      await signalling.request('consent:give', { consent: true });
    }

    this.#joined = true;
    this.#mediaPathCheck?.abort();
    this.#levelMeter?.close();
    this.#levelMeter = undefined;
    this.#preflight = undefined;
    if (this.#snapshot) this.#route(this.#snapshot);
    else this.#show('lobby', renderLobby(this.#text));
  }

  #route(snapshot: SessionSnapshot): void {
    if (this.#screen === 'end') return;

    if (snapshot.state === 'ended' || snapshot.state === 'cancelled') {
      this.#end(snapshot.state === 'cancelled' ? 'cancelled' : 'ended');
      return;
    }

    switch (snapshot.you.seat) {
      case 'lobby':
        if (this.#screen !== 'lobby') this.#show('lobby', renderLobby(this.#text));
        return;
      case 'admitted':
        this.#enterRoom(snapshot);
        return;
      case 'refused':
      case 'removed':
        this.#end(snapshot.you.seat);
        return;
      case 'left':
        return;
    }
  }

  #enterRoom(snapshot: SessionSnapshot): void {
    const stream = this.#localStream;
    const signalling = this.#signalling;
    if (!stream || !signalling) return;

    // A reconnect may seat the person under a new peer id: rebuild the room for it.
    if (this.#room && this.#roomPeerId !== snapshot.you.peerId) {
      this.#room.close();
      this.#room = undefined;
    }

    if (!this.#room) {
      this.#roomPeerId = snapshot.you.peerId;
      const chairActions =
        snapshot.you.role === 'chair' ? this.#chairActions(signalling) : undefined;
      this.#room = new RoomScreen(
        this.#text,
        snapshot.you.peerId,
        stream,
        {
          toggleMicrophone: () => this.#toggle('microphone'),
          toggleCamera: () => this.#toggle('camera'),
          toggleScreen: () => this.#toggleScreen(),
        },
        chairActions,
      );
      this.#show('room', this.#room.element);
      this.#measureClock(signalling);
      clearInterval(this.#clockTimer);
      this.#clockTimer = setInterval(
        () => this.#measureClock(signalling),
        CLOCK_RESYNC_MS,
      );
    }

    this.#room.update(snapshot);
    if (this.#media) this.#consumeOthers(this.#media, snapshot);
    else this.#openMedia(signalling, stream);
  }

  #openMedia(signalling: Signalling, stream: MediaStream): void {
    if (this.#mediaOpening) return;

    this.#mediaOpening = true;
    const connection = this.#connectionCount;
    MediaSession.open(signalling, {
      onRemoteMedia: (media) => this.#room?.attachRemote(media),
      onRemoteMediaEnded: (producerId) => this.#room?.detachRemote(producerId),
      onRestoring: () => {
        this.#recovery.iceRestarts += 1;
        this.#notices.show(
          'media-restoring',
          'warning',
          'notice.mediaRestoring',
          undefined,
          { lasting: true },
        );
      },
      onRestored: () => {
        this.#recovery.restoredWithoutRejoin += 1;
        this.#notices.dismiss('media-restoring');
        this.#notices.show('media-restored', 'info', 'notice.mediaRestored');
      },
      onRejoinNeeded: () => this.#rejoin(),
    })
      .then(async (media) => {
        // The connection it was opened on is gone, and its transports with it.
        if (connection !== this.#connectionCount) {
          media.close('connection replaced while opening');
          return;
        }

        this.#media = media;
        await media.publishLocal(stream);
        if (this.#screenTrack?.readyState === 'live') {
          await media.publishScreen(this.#screenTrack);
        }
        for (const source of ['microphone', 'camera'] as const) {
          if (!this.#wantSending[source]) await media.setSending(source, false);
        }
        this.#updateSendingControls();
        if (this.#snapshot) this.#consumeOthers(media, this.#snapshot);
      })
      .catch((err: unknown) => this.#reportFailure('media', err))
      .finally(() => {
        this.#mediaOpening = false;
        // A snapshot of the new connection may have come while this was opening.
        const reconnected = this.#signalling?.socket.connected === true;
        if (connection !== this.#connectionCount && reconnected && this.#snapshot) {
          this.#route(this.#snapshot);
        }
      });
  }

  #consumeOthers(media: MediaSession, snapshot: SessionSnapshot): void {
    for (const participant of snapshot.participants) {
      if (participant.peerId === snapshot.you.peerId || participant.seat !== 'admitted')
        continue;

      for (const producer of participant.producers) {
        media
          .consume({ ...producer, peerId: participant.peerId })
          .catch((err: unknown) => this.#reportFailure('consume', err));
      }
    }
  }

  /**
   * ICE restart did not bring media back: open a fresh connection, which takes
   * over the seat (the server closes the old one as 'replaced'), then drop the
   * old socket. Closing the old one first would count as leaving the room.
   */
  #rejoin(): void {
    const previous = this.#signalling;
    const token = this.#token;
    if (!previous || !token || this.#screen === 'end') return;

    this.#recovery.rejoins += 1;
    this.#connectionCount += 1;
    this.#closeMedia('rejoin');
    // From here on it is a reconnection like any other: say so until it is back.
    this.#notices.dismiss('media-restoring');
    this.#showReconnecting();
    previous.socket.off();
    const fresh = connectSignalling(window.location.origin, token);
    this.#signalling = fresh;
    this.#listen(fresh);
    fresh.socket.once('session:snapshot', () => previous.close());
  }

  #toggle(source: 'microphone' | 'camera'): void {
    this.#wantSending[source] = !this.#wantSending[source];
    this.#updateSendingControls();
    this.#media
      ?.setSending(source, this.#wantSending[source])
      .catch((err: unknown) => this.#reportFailure(source, err));
  }

  #toggleScreen(): void {
    const media = this.#media;
    if (!media) return;

    const action = media.isSending('screen')
      ? this.#stopSharing()
      : captureScreen().then((track) => this.#startSharing(media, track));
    action
      .catch((err: unknown) => this.#reportFailure('screen', err))
      .finally(() => this.#updateSendingControls());
  }

  /**
   * The page keeps the captured screen, not the media session: after a
   * reconnection the same capture is published again, without asking the
   * person to pick a screen in the middle of their review.
   */
  async #startSharing(media: MediaSession, track: MediaStreamTrack): Promise<void> {
    this.#screenTrack = track;
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => {
      if (this.#screenTrack !== track) return;

      this.#stopSharing()
        .catch((err: unknown) => this.#reportFailure('screen', err))
        .finally(() => this.#updateSendingControls());
    });

    await media.publishScreen(track);
  }

  async #stopSharing(): Promise<void> {
    const track = this.#screenTrack;
    this.#screenTrack = undefined;
    track?.stop();
    await this.#media?.stopScreen();
  }

  #onMutedByChair(): void {
    this.#notices.show('muted', 'warning', 'notice.muted');
    this.#wantSending.microphone = false;
    this.#updateSendingControls();
    this.#media
      ?.setSending('microphone', false)
      .catch((err: unknown) => this.#reportFailure('microphone', err));
  }

  #onWarning(warning: Parameters<ServerToClientEvents['clock:warning']>[0]): void {
    this.#notices.show('clock-warning', 'warning', 'room.warning', {
      time: formatRemaining(warning.secondsLeft * 1000),
    });
  }

  #updateSendingControls(): void {
    const screen = this.#media?.isSending('screen') ?? false;
    this.#room?.setSending({ ...this.#wantSending, screen });
    this.#room?.showOwnScreen(screen ? this.#screenTrack : undefined);
  }

  #chairActions(signalling: Signalling): ChairActions {
    const send = <E extends RequestName>(event: E, payload: RequestPayload<E>): void => {
      signalling
        .request(event, payload)
        .catch((err: unknown) => this.#reportFailure(event, err));
    };

    return {
      admit: (peerId) => send('chair:admit', { peerId }),
      refuse: (peerId) => send('chair:refuse', { peerId }),
      mute: (peerId) => send('chair:mute', { peerId }),
      remove: (peerId) => send('chair:remove', { peerId }),
      start: () => send('chair:start', {}),
      end: () => send('chair:end', {}),
    };
  }

  #end(reason: PageEndReason): void {
    if (this.#screen === 'end') return;

    this.#show('end', renderEndScreen(this.#text, reason));
    this.#release(`ended: ${reason}`);
  }

  /** The link does not open the review: why, in words to act on, with nothing left open. */
  #refuseJoin(problem: JoinProblem, code?: string): void {
    this.#release(`join refused: ${problem}`);
    this.#show(
      'join',
      renderJoinError(this.#text, problem, {
        ...(code ? { code } : {}),
        onRetry: () => {
          this.start().catch((err: unknown) => this.#reportFailure('join', err));
        },
      }),
    );
  }

  /** Lets go of the media, the room, the camera and the socket. Idempotent. */
  #release(reason: string): void {
    clearTimeout(this.#comeBackTimer);
    this.#mediaPathCheck?.abort();
    // A retried join opens a new pre-flight, which checks again.
    this.#mediaPathCheck = undefined;
    this.#closeMedia(reason);
    this.#room?.close();
    this.#room = undefined;
    clearInterval(this.#clockTimer);
    this.#levelMeter?.close();
    this.#levelMeter = undefined;
    for (const track of this.#localStream?.getTracks() ?? []) track.stop();
    this.#screenTrack?.stop();
    this.#screenTrack = undefined;
    this.#signalling?.close();
  }

  #closeMedia(reason: string): void {
    this.#media?.close(reason);
    this.#media = undefined;
  }

  #reportFailure(action: string, err: unknown): void {
    console.warn(`${action} failed`, err);
    this.#notices.show(`${action}-failed`, 'error', 'notice.actionFailed', {
      reason: errorCode(err),
    });
  }

  #show(screen: ScreenName, content: HTMLElement): void {
    this.#screen = screen;
    this.#root.dataset.screen = screen;
    this.#root.replaceChildren(content);
  }
}
