/**
 * The recording light: in a live review a recorder that is not running, or a
 * connection that is lost, reads as an interruption that resumes, never as
 * "not started yet".
 */
import { describe, expect, it } from 'vitest';
import { recordingLight } from '../../../client/review/recording-indicator.ts';

describe('recordingLight()', () => {
  it('says not recording yet before the review is live', () => {
    expect(
      recordingLight({ recording: 'idle', review: 'lobby', connectionLost: false }),
    ).toEqual({ key: 'room.notRecording', state: 'idle' });
  });

  it('shows recording and degraded from the server while connected', () => {
    expect(
      recordingLight({ recording: 'recording', review: 'live', connectionLost: false }),
    ).toEqual({ key: 'room.recording', state: 'recording' });
    expect(
      recordingLight({ recording: 'degraded', review: 'live', connectionLost: false }),
    ).toEqual({ key: 'room.recordingDegraded', state: 'degraded' });
  });

  it('says interrupted while a live review’s connection is lost', () => {
    expect(
      recordingLight({ recording: 'recording', review: 'live', connectionLost: true }),
    ).toEqual({ key: 'room.recordingInterrupted', state: 'interrupted' });
  });

  it('says interrupted while a live review’s next session starts its recorder', () => {
    for (const recording of ['idle', 'starting'] as const) {
      expect(
        recordingLight({ recording, review: 'live', connectionLost: false }).key,
      ).toBe('room.recordingInterrupted');
    }
  });
});
