/**
 * The review page as the browser tests drive it, whichever browser and driver
 * hold it (playwright-core for Chromium, puppeteer-core for Firefox): steps
 * that click through the page, and reads of its DOM and of its read-only
 * `window.__sarapta` handle. The assertions wait with expect.poll, because
 * media and snapshots arrive when they arrive.
 */
import { expect } from 'vitest';
import type { ConsumerFigures } from '../../client/media/media-session.ts';
import type { SessionSnapshot } from '../../server/signalling/protocol.ts';

/** How long media may take to flow after a step (ICE, DTLS, first key frame). */
export const MEDIA_TIMEOUT_MS = 30_000;

/** What the steps need from a page; each driver adapts its own page to it. */
export interface ReviewPage {
  name: string;
  browserName: 'chromium' | 'firefox';
  consoleLines: string[];
  goto(url: string): Promise<void>;
  /** Reloads the page, as a person pressing F5 would; resolves once it has loaded. */
  reload(): Promise<void>;
  evaluate<T>(read: () => T | Promise<T>): Promise<T>;
  click(selector: string): Promise<void>;
  waitFor(selector: string, timeoutMs?: number): Promise<void>;
  screenshot(file: string): Promise<void>;
}

/** Join screen -> pre-flight (consent for the attestee) -> join. */
export async function passPreflight(page: ReviewPage, attestee: boolean): Promise<void> {
  await page.click('[data-testid=continue]');
  await page.waitFor('[data-testid=preflight-screen]');
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          document
            .querySelector('[data-testid=connectivity-status]')
            ?.getAttribute('data-i18n'),
        ),
      { timeout: MEDIA_TIMEOUT_MS },
    )
    .toBe('preflight.connected');

  // The fake microphone sounds: the level meter must move.
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            parseFloat(
              document.querySelector<HTMLElement>('[data-testid=level-bar]')?.style
                .width ?? '',
            ) || 0,
        ),
      { timeout: MEDIA_TIMEOUT_MS },
    )
    .toBeGreaterThan(0);

  if (attestee) {
    const consented = await page.evaluate(
      () => document.querySelector<HTMLInputElement>('[data-testid=consent]')?.checked,
    );
    if (!consented) await page.click('[data-testid=consent]');
  }

  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            document.querySelector<HTMLButtonElement>('[data-testid=join]')?.disabled ===
            false,
        ),
      { timeout: MEDIA_TIMEOUT_MS },
    )
    .toBe(true);
  await page.click('[data-testid=join]');
}

/** The name of the screen on show: join, preflight, lobby, room or end. */
export function screenOf(page: ReviewPage): Promise<string | undefined> {
  return page.evaluate(() => window.__sarapta?.screen());
}

/** The page's latest snapshot from the server; fails if it has none yet. */
export async function snapshotOf(page: ReviewPage): Promise<SessionSnapshot> {
  const snapshot = await page.evaluate(() => window.__sarapta?.snapshot());
  if (!snapshot) throw new Error(`${page.name} has no snapshot yet`);

  return snapshot;
}

/** The page's view of the recording as 'tracks writing/tracks expected', e.g. '6/6'. */
export async function recordingProgressOf(page: ReviewPage): Promise<string> {
  const { recording } = await snapshotOf(page);

  return `${recording.tracksWriting}/${recording.tracksExpected}`;
}

/** How many people are in the room and connected, as a snapshot says. */
export function presentCount(snapshot: SessionSnapshot): number {
  return snapshot.participants.filter((p) => p.seat === 'admitted' && p.connected).length;
}

/** The peer ids of everyone else in the room and connected, as the page sees them. */
export async function otherPeerIds(page: ReviewPage): Promise<string[]> {
  const snapshot = await snapshotOf(page);

  return snapshot.participants
    .filter(
      (p) => p.seat === 'admitted' && p.connected && p.peerId !== snapshot.you.peerId,
    )
    .map((p) => p.peerId);
}

/** The figure that grows while media is decoded: frames for video, samples for audio. */
export function progressOf(figures: ConsumerFigures | undefined): number {
  if (!figures) return 0;

  return figures.kind === 'video'
    ? (figures.framesDecoded ?? 0)
    : (figures.totalSamplesReceived ?? 0);
}

/** What the page receives of `peerId`'s `source`, if it consumes it. */
export async function figuresOf(
  page: ReviewPage,
  peerId: string,
  source: string,
): Promise<ConsumerFigures | undefined> {
  const all = await page.evaluate(() => window.__sarapta?.consumerFigures() ?? []);

  return all.find((f) => f.peerId === peerId && f.source === source);
}

/** Waits until `page` decodes `peerId`'s `source`, then checks that it keeps growing. */
export async function expectFlowing(
  page: ReviewPage,
  peerId: string,
  source: string,
  kind: 'audio' | 'video',
): Promise<void> {
  const what = `${page.name} (${page.browserName}) decodes ${source} of ${peerId}`;
  await expect
    .poll(async () => progressOf(await figuresOf(page, peerId, source)), {
      timeout: MEDIA_TIMEOUT_MS,
      message: what,
    })
    .toBeGreaterThan(0);

  const first = await figuresOf(page, peerId, source);
  expect(first?.kind).toBe(kind);
  await expect
    .poll(async () => progressOf(await figuresOf(page, peerId, source)), {
      timeout: MEDIA_TIMEOUT_MS,
      message: `${what}, and keeps decoding it`,
    })
    .toBeGreaterThan(progressOf(first));
}

/** Each of two pages decodes the other's camera and microphone, and keeps decoding them. */
export async function expectMediaBothWays(a: ReviewPage, b: ReviewPage): Promise<void> {
  const aPeerId = (await snapshotOf(a)).you.peerId;
  const bPeerId = (await snapshotOf(b)).you.peerId;

  await expectFlowing(a, bPeerId, 'camera', 'video');
  await expectFlowing(a, bPeerId, 'microphone', 'audio');
  await expectFlowing(b, aPeerId, 'camera', 'video');
  await expectFlowing(b, aPeerId, 'microphone', 'audio');
}
