/**
 * A recorder for room tests that need no ffmpeg: it reports a track as
 * writing as soon as it is added (or only when told, with `autoWrite: false`)
 * and remembers what happened, in order, for assertions.
 */
import { EventEmitter } from 'node:events';
import type { Producer } from 'mediasoup/types';
import type {
  RecorderStatus,
  ReviewRecorderPort,
  TrackInfo,
} from '../../../server/review/recorder-port.ts';

/** What the test recorder saw, in order. */
export type RecorderEntry =
  | { kind: 'add'; producerId: string; info: TrackInfo }
  | { kind: 'remove'; producerId: string }
  | { kind: 'stop'; reason: string; producersOpenAtStop: number }
  | { kind: 'suspend'; reason: string };

/** A ReviewRecorderPort that records nothing but its calls. */
export class TestRecorder implements ReviewRecorderPort {
  readonly log: RecorderEntry[] = [];
  readonly #events = new EventEmitter<{ status: [RecorderStatus] }>();
  readonly #tracks = new Map<string, { producer: Producer; writing: boolean }>();
  readonly #autoWrite: boolean;
  #stopped = false;

  constructor(options: { autoWrite?: boolean } = {}) {
    this.#autoWrite = options.autoWrite ?? true;
  }

  async addTrack(producer: Producer, info: TrackInfo): Promise<void> {
    this.log.push({ kind: 'add', producerId: producer.id, info });
    this.#tracks.set(producer.id, { producer, writing: false });
    this.#emit();
    if (this.#autoWrite) this.markWriting(producer.id);
  }

  removeTrack(producerId: string): void {
    this.log.push({ kind: 'remove', producerId });
    this.#tracks.delete(producerId);
    this.#emit();
  }

  /** Pretends the capture of a track has written its first media. */
  markWriting(producerId: string): void {
    const track = this.#tracks.get(producerId);
    if (!track) return;

    track.writing = true;
    this.#emit();
  }

  status(): RecorderStatus {
    const tracks = [...this.#tracks.values()];
    return {
      state: this.#stopped ? 'sealed' : tracks.length > 0 ? 'recording' : 'idle',
      tracksWriting: tracks.filter((t) => t.writing).length,
      tracksExpected: tracks.length,
    };
  }

  on(_event: 'status', listener: (status: RecorderStatus) => void): void {
    this.#events.on('status', listener);
  }

  async stop(reason: string): Promise<void> {
    if (this.#stopped) return;

    this.#stopped = true;
    const producersOpenAtStop = [...this.#tracks.values()].filter(
      (t) => !t.producer.closed,
    ).length;
    this.log.push({ kind: 'stop', reason, producersOpenAtStop });
    this.#emit();
  }

  async suspend(reason: string): Promise<void> {
    if (this.#stopped) return;

    this.#stopped = true;
    this.log.push({ kind: 'suspend', reason });
    this.#emit();
  }

  #emit(): void {
    this.#events.emit('status', this.status());
  }
}
