/**
 * The recording light everyone sees: on while the recorder writes, a warning
 * while it is degraded, off before the first track is written. In a live
 * review a recording that is not running was interrupted (the connection or
 * the session was lost), and the light says so rather than "not started".
 */
import type { ReviewState } from '../../server/review/review-types.ts';
import type { RecordingState } from '../../server/signalling/protocol.ts';
import type { ReviewMessageKey } from '../i18n/review-messages/index.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

/** What the light shows: its message and the state it is styled after. */
export interface RecordingLight {
  key: ReviewMessageKey;
  state: RecordingState | 'interrupted';
}

/** What the page knows that decides the light. */
export interface RecordingSituation {
  recording: RecordingState;
  review: ReviewState;
  /** This page's connection to the server is lost and being restored. */
  connectionLost: boolean;
}

/** The light for a situation. */
export function recordingLight(situation: RecordingSituation): RecordingLight {
  const { recording, review, connectionLost } = situation;
  const running =
    recording === 'recording' || recording === 'finalising' || recording === 'degraded';
  // The server's last word cannot be trusted while we cannot hear it.
  if (review === 'live' && (connectionLost || !running)) {
    return { key: 'room.recordingInterrupted', state: 'interrupted' };
  }

  if (recording === 'degraded')
    return { key: 'room.recordingDegraded', state: recording };
  if (running) return { key: 'room.recording', state: recording };
  return { key: 'room.notRecording', state: recording };
}

export class RecordingIndicator {
  /** The indicator's element. */
  readonly element = element('span', {
    testId: 'recording-indicator',
    className: 'recording',
  });
  readonly #text: ReviewText;
  #situation: RecordingSituation = {
    recording: 'idle',
    review: 'lobby',
    connectionLost: false,
  };

  constructor(text: ReviewText) {
    this.#text = text;
  }

  /** Shows the recorder's state from a snapshot. */
  update(recording: RecordingState, review: ReviewState): void {
    this.#show({ ...this.#situation, recording, review });
  }

  /** The page lost (true) or regained (false) its connection to the server. */
  setConnectionLost(connectionLost: boolean): void {
    this.#show({ ...this.#situation, connectionLost });
  }

  #show(situation: RecordingSituation): void {
    this.#situation = situation;
    const light = recordingLight(situation);
    this.element.dataset.state = light.state;
    this.#text.set(this.element, light.key);
  }
}
