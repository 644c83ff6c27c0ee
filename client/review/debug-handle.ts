/**
 * The one global the page exposes: a frozen, read-only `window.__sarapta`
 * that the browser test (and a person debugging) can use to read what each
 * consumer receives. It can observe, never act.
 */
import type { SessionSnapshot } from '../../server/signalling/protocol.ts';
import type { MediaProbeFigures } from '../media/media-probe.ts';
import type { ConsumerFigures } from '../media/media-session.ts';
import type { RecoveryCounts } from './review-app.ts';

/** What the handle reads from the page. */
export interface DebugSources {
  screen(): string;
  snapshot(): SessionSnapshot | undefined;
  consumerFigures(): Promise<ConsumerFigures[]>;
  sentVideoSizes(): { source: string; width: number; height: number }[];
  recovery(): RecoveryCounts;
  /** What the pre-flight's media-path check found; undefined until it has. */
  mediaPath(): MediaProbeFigures | undefined;
}

declare global {
  interface Window {
    /** Read-only view for tests and debugging. */
    readonly __sarapta?: Readonly<DebugSources>;
  }
}

/** Installs the handle once. */
export function installDebugHandle(sources: DebugSources): void {
  Object.defineProperty(window, '__sarapta', {
    value: Object.freeze({
      screen: () => sources.screen(),
      snapshot: () => structuredClone(sources.snapshot()),
      consumerFigures: () => sources.consumerFigures(),
      sentVideoSizes: () => sources.sentVideoSizes(),
      recovery: () => sources.recovery(),
      mediaPath: () => sources.mediaPath(),
    }),
    writable: false,
    configurable: false,
  });
}
