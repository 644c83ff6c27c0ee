/**
 * The recording light everyone sees: on while the recorder writes, a warning
 * while it is degraded, off before the first track is written.
 */
import type { SessionSnapshot } from '../../server/signalling/protocol.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

export class RecordingIndicator {
  /** The indicator's element. */
  readonly element = element('span', {
    testId: 'recording-indicator',
    className: 'recording',
  });
  readonly #text: ReviewText;

  constructor(text: ReviewText) {
    this.#text = text;
  }

  /** Shows the recorder's state from a snapshot. */
  update(recording: SessionSnapshot['recording']): void {
    this.element.dataset.state = recording.state;

    if (recording.state === 'degraded') {
      this.#text.set(this.element, 'room.recordingDegraded');
    } else if (recording.state === 'recording' || recording.state === 'finalising') {
      this.#text.set(this.element, 'room.recording');
    } else {
      this.#text.set(this.element, 'room.notRecording');
    }
  }
}
