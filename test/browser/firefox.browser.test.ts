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
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPersonPage } from '../helpers/browser.ts';
import { launchFirefox, openFirefoxPersonPage } from '../helpers/firefox.ts';
import {
  expectFlowing,
  MEDIA_TIMEOUT_MS,
  otherPeerIds,
  passPreflight,
  screenOf,
  snapshotOf,
  type ReviewPage,
} from '../helpers/review-page.ts';
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

type Person = 'chair' | 'attestee' | 'expert';

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

    people.chair = await openPersonPage(chromium, 'chair');
    people.attestee = await openPersonPage(chromium, 'attestee');
    people.expert = await openFirefoxPersonPage(firefox, 'expert');

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

/** Runs in the page: whether the chair's start button can be pressed. */
function isStartEnabled(): boolean {
  return (
    document.querySelector<HTMLButtonElement>('[data-testid=start]')?.disabled === false
  );
}

function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, `firefox-${name}`);
}
