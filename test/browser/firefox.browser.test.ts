/**
 * The remote review across browsers: the chair and the attestee in Chromium,
 * the expert in Firefox, against the real service. The expert passes the
 * pre-flight and waits in the lobby, the chair admits, Firefox decodes the
 * others' audio and video and Chromium decodes Firefox's, and the time limit
 * ends the review in Firefox too.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser as ChromiumBrowser, Page as ChromiumPage } from 'playwright-core';
import type { Browser as FirefoxBrowser, Page as FirefoxPage } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../server/signalling/protocol.ts';
import type { ConsumerFigures } from '../../client/media/media-session.ts';
import { launchBrowser, openPersonPage } from '../helpers/browser.ts';
import { launchFirefox, openFirefoxPersonPage } from '../helpers/firefox.ts';
import {
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
  type JoinLink,
} from '../helpers/review-service.ts';

/** Long enough to join, admit, start and check media both ways; short enough to wait out. */
const LIMIT_SECONDS = 45;
const WARNINGS_SECONDS = [10];
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

/** How long media may take to flow after a step (ICE, DTLS, first key frame). */
const MEDIA_TIMEOUT_MS = 30_000;

type Person = 'chair' | 'attestee' | 'expert';

/**
 * What the steps below need from a page, whichever browser and driver hold it:
 * everything is read through the page's DOM and its `window.__sarapta` handle.
 */
interface ReviewPage {
  name: string;
  browserName: 'chromium' | 'firefox';
  consoleLines: string[];
  goto(url: string): Promise<void>;
  evaluate<T>(read: () => T | Promise<T>): Promise<T>;
  click(selector: string): Promise<void>;
  waitFor(selector: string, timeoutMs?: number): Promise<void>;
  screenshot(file: string): Promise<void>;
}

let testService: BrowserTestService;
let chromium: ChromiumBrowser;
let firefox: FirefoxBrowser;
const people = {} as Record<Person, ReviewPage>;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });

  testService = await startBrowserTestService({
    name: 'firefox',
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: WARNINGS_SECONDS,
    rtcMinPort: 48000,
    rtcMaxPort: 48999,
  });

  chromium = await launchBrowser();
  firefox = await launchFirefox();
});

afterAll(async () => {
  // Each page's console goes next to the screenshots, to read when a step fails.
  for (const person of Object.values(people)) {
    fs.writeFileSync(
      artifact(`${person.name}-console.log`),
      person.consoleLines.join('\n'),
    );
  }
  await firefox?.close();
  await chromium?.close();
  await testService?.close('firefox test finished');
});

describe('a remote review with the expert in Firefox', () => {
  it('lets the Firefox expert pass the pre-flight into the lobby', async () => {
    const links = await createReview();

    people.chair = await openChromiumPage('chair');
    people.attestee = await openChromiumPage('attestee');
    people.expert = await openFirefoxPage('expert');

    for (const person of ['chair', 'attestee', 'expert'] as const) {
      await people[person].goto(linkFor(links, person));
      await passPreflight(people[person], person === 'attestee');
    }

    await expect.poll(() => screenOf(people.chair)).toBe('room');
    await people.attestee.waitFor('[data-testid=lobby-screen]');
    await people.expert.waitFor('[data-testid=lobby-screen]');
    await people.expert.screenshot(artifact('lobby.png'));
  });

  it('lets the chair admit the Firefox expert and start once every track is recorded', async () => {
    const chair = people.chair;
    await chair.click(
      '[data-testid=lobby-entry][data-role=attestee] [data-testid=admit]',
    );
    await chair.click('[data-testid=lobby-entry][data-role=expert] [data-testid=admit]');

    await people.attestee.waitFor('[data-testid=room-screen]');
    await people.expert.waitFor('[data-testid=room-screen]');

    // "Every track recorded" includes the microphone and camera Firefox sends.
    await expect
      .poll(() => chair.evaluate(isStartEnabled), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(true);
    const snapshot = await snapshotOf(chair);
    const expert = snapshot.participants.find((p) => p.role === 'expert');
    expect(expert?.producers.map((p) => p.source).sort()).toEqual([
      'camera',
      'microphone',
    ]);

    await chair.click('[data-testid=start]');
    await expect.poll(async () => (await snapshotOf(chair)).state).toBe('live');
  });

  it("decodes the Chromium pages' audio and video in Firefox", async () => {
    const expert = people.expert;
    await expect
      .poll(() => otherPeerIds(expert), { timeout: MEDIA_TIMEOUT_MS })
      .toHaveLength(2);

    for (const peerId of await otherPeerIds(expert)) {
      await expectFlowing(expert, peerId, 'camera', 'video');
      await expectFlowing(expert, peerId, 'microphone', 'audio');
    }
    await expert.screenshot(artifact('room.png'));
  });

  it("decodes Firefox's audio and video in both Chromium pages", async () => {
    const expertPeerId = (await snapshotOf(people.expert)).you.peerId;

    for (const person of ['chair', 'attestee'] as const) {
      await expectFlowing(people[person], expertPeerId, 'camera', 'video');
      await expectFlowing(people[person], expertPeerId, 'microphone', 'audio');
    }
  });

  it('ends the review in Firefox at the time limit', async () => {
    const expert = people.expert;

    await expert.waitFor('[data-testid=end-screen]', LIMIT_SECONDS * 1000);

    const reason = await expert.evaluate(() =>
      document.querySelector('[data-testid=end-screen]')?.getAttribute('data-reason'),
    );
    expect(reason).toBe('time-limit');
    await expert.screenshot(artifact('end.png'));
  });
});

async function createReview(): Promise<JoinLink[]> {
  const created = await testService.createReview('Attestation of a physics teacher');

  return created.links;
}

async function openChromiumPage(name: string): Promise<ReviewPage> {
  const { page, consoleLines } = await openPersonPage(chromium, name);

  return chromiumReviewPage(name, page, consoleLines);
}

function chromiumReviewPage(
  name: string,
  page: ChromiumPage,
  consoleLines: string[],
): ReviewPage {
  return {
    name,
    browserName: 'chromium',
    consoleLines,
    goto: async (url) => {
      await page.goto(url);
    },
    evaluate: (read) => page.evaluate(read),
    click: (selector) => page.locator(selector).click(),
    waitFor: (selector, timeoutMs) =>
      page.locator(selector).first().waitFor({ timeout: timeoutMs }),
    screenshot: async (file) => {
      await page.screenshot({ path: file });
    },
  };
}

async function openFirefoxPage(name: string): Promise<ReviewPage> {
  const { page, consoleLines } = await openFirefoxPersonPage(firefox, name);

  return firefoxReviewPage(name, page, consoleLines);
}

function firefoxReviewPage(
  name: string,
  page: FirefoxPage,
  consoleLines: string[],
): ReviewPage {
  return {
    name,
    browserName: 'firefox',
    consoleLines,
    goto: async (url) => {
      await page.goto(url);
    },
    evaluate: (read) => page.evaluate(read) as Promise<Awaited<ReturnType<typeof read>>>,
    click: (selector) => page.locator(selector).click(),
    waitFor: async (selector, timeoutMs) => {
      await page.waitForSelector(selector, { visible: true, timeout: timeoutMs });
    },
    screenshot: async (file) => {
      await page.screenshot({ path: file as `${string}.png` });
    },
  };
}

/** Join screen -> pre-flight (consent for the attestee) -> join. */
async function passPreflight(page: ReviewPage, attestee: boolean): Promise<void> {
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

/** Runs in the page: whether the chair's start button can be pressed. */
function isStartEnabled(): boolean {
  return (
    document.querySelector<HTMLButtonElement>('[data-testid=start]')?.disabled === false
  );
}

function screenOf(page: ReviewPage): Promise<string | undefined> {
  return page.evaluate(() => window.__sarapta?.screen());
}

async function snapshotOf(page: ReviewPage): Promise<SessionSnapshot> {
  const snapshot = await page.evaluate(() => window.__sarapta?.snapshot());
  if (!snapshot) throw new Error(`${page.name} has no snapshot yet`);

  return snapshot;
}

async function otherPeerIds(page: ReviewPage): Promise<string[]> {
  const snapshot = await snapshotOf(page);

  return snapshot.participants
    .filter(
      (p) => p.seat === 'admitted' && p.connected && p.peerId !== snapshot.you.peerId,
    )
    .map((p) => p.peerId);
}

/** The figure that grows while media is decoded: frames for video, samples for audio. */
function progressOf(figures: ConsumerFigures | undefined): number {
  if (!figures) return 0;

  return figures.kind === 'video'
    ? (figures.framesDecoded ?? 0)
    : (figures.totalSamplesReceived ?? 0);
}

async function figuresOf(
  page: ReviewPage,
  peerId: string,
  source: string,
): Promise<ConsumerFigures | undefined> {
  const all = await page.evaluate(() => window.__sarapta?.consumerFigures() ?? []);

  return all.find((f) => f.peerId === peerId && f.source === source);
}

/** Waits until `page` decodes `peerId`'s `source`, then checks that it keeps growing. */
async function expectFlowing(
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

function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, `firefox-${name}`);
}
