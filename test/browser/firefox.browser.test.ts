/**
 * The remote review across browsers: the chair and the expert in Chromium,
 * the attestee in Firefox, against the real service. The attestee is the one
 * in Firefox because the attestee is the one who consents to the recording
 * and shows documents: Firefox's consent, screen sharing, reload and
 * reconnect are the paths a teacher on Firefox takes. The attestee consents
 * in the pre-flight and waits in the lobby, the chair admits, Firefox decodes
 * the others' audio and video and Chromium decodes Firefox's, the attestee
 * shares a screen, reloads into the same seat, survives a dropped connection,
 * and the time limit ends the review in Firefox too.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPersonPage } from '../helpers/browser.ts';
import {
  launchWindowedFirefox,
  openFirefoxPersonPage,
  type WindowedFirefox,
} from '../helpers/firefox.ts';
import {
  expectFlowing,
  MEDIA_TIMEOUT_MS,
  otherPeerIds,
  passPreflight,
  presentCount,
  recordingProgressOf,
  screenOf,
  snapshotOf,
  type ReviewPage,
} from '../helpers/review-page.ts';
import {
  cutConnectionOf,
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
  type JoinLink,
} from '../helpers/review-service.ts';

/**
 * Long enough to check media both ways, share a screen, reload and reconnect
 * after the start; short enough to wait out.
 */
const LIMIT_SECONDS = 75;
const WARNINGS_SECONDS = [10];

/** Three people, each with a microphone and a camera. */
const TRACKS_BEFORE_SCREEN_SHARE = 6;

const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

type Person = 'chair' | 'attestee' | 'expert';

let testService: BrowserTestService;
let chromium: ChromiumBrowser;
let firefox: WindowedFirefox;
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
  // Windowed on a virtual display: headless Firefox cannot share a screen.
  firefox = await launchWindowedFirefox();
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

describe('a remote review with the attestee in Firefox', () => {
  it('lets the Firefox attestee consent in the pre-flight and wait in the lobby', async () => {
    const links = await createReview();

    people.chair = await openPersonPage(chromium, 'chair');
    people.attestee = await openFirefoxPersonPage(firefox.browser, 'attestee');
    people.expert = await openPersonPage(chromium, 'expert');

    for (const person of ['chair', 'attestee', 'expert'] as const) {
      await people[person].goto(linkFor(links, person));
      await passPreflight(people[person], person === 'attestee');
    }

    await expect.poll(() => screenOf(people.chair)).toBe('room');
    await people.attestee.waitFor('[data-testid=lobby-screen]');
    await people.expert.waitFor('[data-testid=lobby-screen]');
    await people.attestee.screenshot(artifact('lobby.png'));
  });

  it('lets the chair admit the Firefox attestee and start once every track is recorded', async () => {
    const chair = people.chair;
    await chair.click(
      '[data-testid=lobby-entry][data-role=attestee] [data-testid=admit]',
    );
    await chair.click('[data-testid=lobby-entry][data-role=expert] [data-testid=admit]');

    await people.attestee.waitFor('[data-testid=room-screen]');
    await people.expert.waitFor('[data-testid=room-screen]');

    // "Every track recorded" includes the microphone and camera Firefox sends.
    // The start counts only the tracks produced so far: wait for all of them,
    // or a camera produced a moment later makes the server refuse the start.
    await expect
      .poll(() => recordingProgressOf(chair), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(`${TRACKS_BEFORE_SCREEN_SHARE}/${TRACKS_BEFORE_SCREEN_SHARE}`);
    const snapshot = await snapshotOf(chair);
    const attestee = snapshot.participants.find((p) => p.role === 'attestee');
    expect(attestee?.producers.map((p) => p.source).sort()).toEqual([
      'camera',
      'microphone',
    ]);
    // The start also needs the consent given in Firefox.
    expect(snapshot.consentGiven).toBe(true);
    await expect
      .poll(() => chair.evaluate(isStartEnabled), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(true);

    await chair.click('[data-testid=start]');
    await expect.poll(async () => (await snapshotOf(chair)).state).toBe('live');
  });

  it("decodes the Chromium pages' audio and video in Firefox", async () => {
    const attestee = people.attestee;
    await expect
      .poll(() => otherPeerIds(attestee), { timeout: MEDIA_TIMEOUT_MS })
      .toHaveLength(2);

    for (const peerId of await otherPeerIds(attestee)) {
      await expectFlowing(attestee, peerId, 'camera', 'video');
      await expectFlowing(attestee, peerId, 'microphone', 'audio');
    }
    await attestee.screenshot(artifact('room.png'));
  });

  it("decodes Firefox's audio and video in both Chromium pages", async () => {
    const attesteePeerId = (await snapshotOf(people.attestee)).you.peerId;

    for (const person of ['chair', 'expert'] as const) {
      await expectFlowing(people[person], attesteePeerId, 'camera', 'video');
      await expectFlowing(people[person], attesteePeerId, 'microphone', 'audio');
    }
  });

  it('shows the screen shared from Firefox in both Chromium pages', async () => {
    const attestee = people.attestee;
    const attesteePeerId = (await snapshotOf(attestee)).you.peerId;

    await attestee.click('[data-testid=toggle-screen]');

    await expect
      .poll(() => attestee.evaluate(isSharingScreen), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(true);
    for (const person of ['chair', 'expert'] as const) {
      await people[person].waitFor('[data-testid=screen-tile]');
      await expectFlowing(people[person], attesteePeerId, 'screen', 'video');
    }
    await people.chair.screenshot(artifact('room-screen-share.png'));
  });

  it('takes the Firefox attestee back into the same seat after a reload', async () => {
    const chair = people.chair;
    const attestee = people.attestee;
    const personId = (await snapshotOf(attestee)).you.personId;

    await attestee.reload();
    await passPreflight(attestee, true);
    await attestee.waitFor('[data-testid=room-screen]');

    await expect
      .poll(async () => presentCount(await snapshotOf(chair)), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe(3);
    const seats = (await snapshotOf(chair)).participants.filter(
      (p) => p.role === 'attestee',
    );
    expect(seats.map((p) => p.personId)).toEqual([personId]);

    await expectMediaBothWays(attestee, chair);
  });

  it('reconnects the Firefox attestee after a dropped connection', async () => {
    const attestee = people.attestee;
    const personId = (await snapshotOf(attestee)).you.personId;

    cutConnectionOf(testService.service, personId);

    await attestee.waitFor('[data-testid=notice][data-code=reconnecting]');
    await attestee.waitFor(
      '[data-testid=notice][data-code=reconnected]',
      MEDIA_TIMEOUT_MS,
    );
    await expect.poll(() => screenOf(attestee)).toBe('room');

    await expectMediaBothWays(attestee, people.chair);
  });

  it('ends the review in Firefox at the time limit', async () => {
    const attestee = people.attestee;

    await attestee.waitFor('[data-testid=end-screen]', LIMIT_SECONDS * 1000);

    const reason = await attestee.evaluate(() =>
      document.querySelector('[data-testid=end-screen]')?.getAttribute('data-reason'),
    );
    expect(reason).toBe('time-limit');
    await attestee.screenshot(artifact('end.png'));
  });
});

/** `a` decodes `b`'s camera and microphone, and `b` decodes `a`'s. */
async function expectMediaBothWays(a: ReviewPage, b: ReviewPage): Promise<void> {
  const aPeerId = (await snapshotOf(a)).you.peerId;
  const bPeerId = (await snapshotOf(b)).you.peerId;

  for (const [viewer, peerId] of [
    [a, bPeerId],
    [b, aPeerId],
  ] as const) {
    await expectFlowing(viewer, peerId, 'camera', 'video');
    await expectFlowing(viewer, peerId, 'microphone', 'audio');
  }
}

async function createReview(): Promise<JoinLink[]> {
  const created = await testService.createReview('Attestation of a physics teacher');

  return created.links;
}

/** Runs in the page: whether the person's screen is being sent. */
function isSharingScreen(): boolean {
  return (
    document
      .querySelector('[data-testid=toggle-screen]')
      ?.getAttribute('data-sending') === 'true'
  );
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
