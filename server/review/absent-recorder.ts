/**
 * The recorder used when no recording service is attached: it records
 * nothing and says so, so the start rule keeps every review from going live
 * unrecorded.
 */
import type {
  RecorderFactory,
  RecorderStatus,
  ReviewRecorderPort,
} from './recorder-port.ts';

const NOTHING: RecorderStatus = { state: 'idle', tracksWriting: 0, tracksExpected: 0 };

/** A recorder that never records; reviews using it cannot start. */
export class AbsentRecorder implements ReviewRecorderPort {
  async addTrack(): Promise<void> {
    // Nothing is captured: status() keeps tracksExpected at 0, which blocks the start.
  }

  removeTrack(): void {
    // No track was added, so there is none to remove.
  }

  status(): RecorderStatus {
    return { ...NOTHING };
  }

  on(): void {
    // The status never changes, so listeners are never called.
  }

  async stop(): Promise<void> {
    // Nothing to finalise.
  }

  async suspend(): Promise<void> {
    // Nothing to keep for later.
  }
}

/** Factory for AbsentRecorder. */
export const createAbsentRecorder: RecorderFactory = () => new AbsentRecorder();
