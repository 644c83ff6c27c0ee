/**
 * The pre-flight: the person sees and hears their own camera and microphone,
 * the page proves it can reach the server (socket connected, a clock:sync
 * round trip answered), and the attestee gives explicit consent to the
 * recording. Joining is possible only when all three are done.
 *
 * It also shows whether video gets through to the media server, and how
 * (client/media/media-probe.ts). That check only informs: a blocked path is
 * told with what to do about it, and the way to the lobby stays open.
 */
import type { Role } from '../../server/review/review-types.ts';
import type { MediaProbeFigures } from '../media/media-probe.ts';
import { element } from './dom.ts';
import type { ReviewMessageKey } from '../i18n/review-messages/index.ts';
import type { ReviewText } from './review-text.ts';

/** getUserMedia's error names that a person can fix, and how. */
const MEDIA_FAILURE_ADVICE: Readonly<Record<string, ReviewMessageKey>> = {
  NotAllowedError: 'preflight.mediaDenied',
  SecurityError: 'preflight.mediaDenied',
  NotFoundError: 'preflight.mediaMissing',
  OverconstrainedError: 'preflight.mediaMissing',
  NotReadableError: 'preflight.mediaBusy',
  AbortError: 'preflight.mediaBusy',
};

/** Each outcome of the media-path check and the message that tells it. */
const MEDIA_PATH_MESSAGES: Readonly<
  Record<MediaProbeFigures['outcome'], ReviewMessageKey>
> = {
  udp: 'preflight.mediaPathUdp',
  tcp: 'preflight.mediaPathTcp',
  relay: 'preflight.mediaPathRelay',
  blocked: 'preflight.mediaPathBlocked',
  silent: 'preflight.mediaPathSilent',
  unavailable: 'preflight.mediaPathUnavailable',
};

/** What the pre-flight reports back when the person joins. */
export interface PreflightChoice {
  /** True when the attestee ticked the consent box (others never see it). */
  consent: boolean;
}

export class PreflightScreen {
  /** The screen's root element. */
  readonly element: HTMLElement;
  readonly #text: ReviewText;
  readonly #mediaStatus = element('p', { testId: 'media-status' });
  readonly #preview = element('video', { testId: 'preview' });
  readonly #levelBar = element('div', { testId: 'level-bar', className: 'level-bar' });
  readonly #connectivityStatus = element('p', { testId: 'connectivity-status' });
  readonly #mediaPathStatus = element('p', { testId: 'media-path-status' });
  readonly #consent = element('input', { testId: 'consent' });
  readonly #joinButton = element('button', { testId: 'join' });
  readonly #needsConsent: boolean;
  #mediaReady = false;
  #connected = false;

  constructor(text: ReviewText, role: Role, onJoin: (choice: PreflightChoice) => void) {
    this.#text = text;
    this.#needsConsent = role === 'attestee';

    const heading = element('h1');
    text.set(heading, 'preflight.heading');

    const mediaHeading = element('h2');
    text.set(mediaHeading, 'preflight.media');
    text.set(this.#mediaStatus, 'preflight.mediaWaiting');
    this.#preview.muted = true;
    this.#preview.autoplay = true;
    this.#preview.playsInline = true;
    const levelLabel = element('span');
    text.set(levelLabel, 'preflight.level');
    const meter = element('div', { className: 'level-meter' }, this.#levelBar);

    const connectivityHeading = element('h2');
    text.set(connectivityHeading, 'preflight.connectivity');
    text.set(this.#connectivityStatus, 'preflight.connecting');
    text.set(this.#mediaPathStatus, 'preflight.mediaPathWaiting');

    const consentRow = this.#renderConsent();

    text.set(this.#joinButton, 'preflight.join');
    this.#joinButton.disabled = true;
    this.#joinButton.addEventListener('click', () => {
      this.#joinButton.disabled = true;
      onJoin({ consent: this.#needsConsent && this.#consent.checked });
    });

    this.element = element(
      'section',
      { testId: 'preflight-screen' },
      heading,
      mediaHeading,
      this.#preview,
      element('div', { className: 'level-row' }, levelLabel, meter),
      this.#mediaStatus,
      connectivityHeading,
      this.#connectivityStatus,
      this.#mediaPathStatus,
      ...(consentRow ? [consentRow] : []),
      this.#joinButton,
    );
  }

  /** The camera and microphone are available: show the preview. */
  showMedia(stream: MediaStream): void {
    this.#preview.srcObject = stream;
    this.#text.set(this.#mediaStatus, 'preflight.mediaOk');
    this.#mediaReady = true;
    this.#updateJoinButton();
  }

  /**
   * The camera or microphone could not be opened; `reason` is the browser's
   * error name. The common causes are told as what to do about them.
   */
  showMediaFailure(reason: string): void {
    this.#mediaStatus.classList.add('error');
    this.#mediaStatus.dataset.code = reason;
    const advice = MEDIA_FAILURE_ADVICE[reason];
    if (advice) this.#text.set(this.#mediaStatus, advice);
    else this.#text.set(this.#mediaStatus, 'preflight.mediaFailed', { reason });
  }

  /** The microphone level, 0..1. */
  showLevel(level: number): void {
    this.#levelBar.style.width = `${Math.round(level * 100)}%`;
  }

  /** The server answered a clock:sync; `roundTripMs` is the best round trip. */
  showConnected(roundTripMs: number): void {
    this.#connectivityStatus.classList.remove('error');
    this.#text.set(this.#connectivityStatus, 'preflight.connected', {
      ms: Math.round(roundTripMs),
    });
    this.#connected = true;
    this.#updateJoinButton();
  }

  /** The server could not be reached; `code` is kept for support and tests. */
  showConnectFailure(code: string): void {
    this.#connectivityStatus.classList.add('error');
    this.#connectivityStatus.dataset.code = code;
    this.#text.set(this.#connectivityStatus, 'preflight.connectFailed');
    this.#connected = false;
    this.#updateJoinButton();
  }

  /** The media-path check has begun. */
  showMediaPathChecking(): void {
    this.#mediaPathStatus.dataset.outcome = 'checking';
    this.#text.set(this.#mediaPathStatus, 'preflight.mediaPathChecking');
  }

  /** The media-path check's outcome, in words; it never changes whether joining is possible. */
  showMediaPath(figures: MediaProbeFigures): void {
    const { outcome } = figures;
    const reached = outcome === 'udp' || outcome === 'tcp' || outcome === 'relay';
    this.#mediaPathStatus.classList.toggle('error', !reached);
    this.#mediaPathStatus.dataset.outcome = outcome;
    this.#text.set(this.#mediaPathStatus, MEDIA_PATH_MESSAGES[outcome], {
      kbps: Math.round(figures.bitrate / 1000),
      code: figures.code ?? '',
    });
  }

  /** Consent was already recorded (a rejoin after a reload): no need to ask again. */
  showConsentGiven(): void {
    if (!this.#needsConsent || this.#consent.checked) return;

    this.#consent.checked = true;
    this.#consent.disabled = true;
    this.#updateJoinButton();
  }

  #renderConsent(): HTMLElement | undefined {
    if (!this.#needsConsent) return undefined;

    this.#consent.type = 'checkbox';
    this.#consent.id = 'consent';
    this.#consent.addEventListener('change', () => this.#updateJoinButton());
    const label = element('label');
    label.htmlFor = 'consent';
    this.#text.set(label, 'preflight.consent');

    return element('p', { className: 'consent' }, this.#consent, label);
  }

  #updateJoinButton(): void {
    const consentOk = !this.#needsConsent || this.#consent.checked;
    this.#joinButton.disabled = !(this.#mediaReady && this.#connected && consentOk);
  }
}
