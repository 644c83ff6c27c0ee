/**
 * The room on a small laptop screen, in real Chromium against the real
 * service: with the attestee's screen shared, the room still fits a
 * 1280x720 (and a 1366x768) viewport. The shared screen is large but leaves
 * the faces, the chair's Mute and Remove buttons, everyone's own controls
 * and the status line (clock, recording light) in view; the attestee sees a
 * small preview of what she shares; a notice does not cover the status line;
 * and an expert the chair removes is told that they were removed, not that
 * the review ended.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/review-messages/en.ts';
import { launchBrowser, openPersonPage, type PersonPage } from '../helpers/browser.ts';
import {
  expectFlowing,
  MEDIA_TIMEOUT_MS,
  passPreflight,
  screenOf,
  snapshotOf,
} from '../helpers/review-page.ts';
import {
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
} from '../helpers/review-service.ts';

const LIMIT_SECONDS = 1800;
const WARNINGS_SECONDS = [60];
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

/** Small laptop screens, as the browser's viewport (the page, without browser chrome). */
const SMALL = { width: 1280, height: 720 };
const COMMON_LAPTOP = { width: 1366, height: 768 };

type Person = 'chair' | 'attestee' | 'expert';
type Box = { x: number; y: number; width: number; height: number };

let testService: BrowserTestService;
let browser: Browser;
const people = {} as Record<Person, PersonPage>;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });

  testService = await startBrowserTestService({
    name: 'room-layout',
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: WARNINGS_SECONDS,
    rtcMinPort: 43000,
    rtcMaxPort: 43499,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const person of Object.values(people)) {
    fs.writeFileSync(
      artifact(`${person.name}-console.log`),
      person.consoleLines.join('\n'),
    );
  }
  await browser?.close();
  await testService?.close('room-layout browser test finished');
});

describe('the room on a small laptop screen', () => {
  it('seats all three, and the attestee shares her screen', async () => {
    const { links } = await testService.createReview('Attestation of a biology teacher');
    for (const person of ['chair', 'attestee', 'expert'] as const) {
      people[person] = await openPersonPage(browser, person);
      await people[person].page.setViewportSize(SMALL);
      await people[person].goto(linkFor(links, person));
      await passPreflight(people[person], person === 'attestee');
    }
    await expect.poll(() => screenOf(people.chair)).toBe('room');
    for (const person of ['attestee', 'expert'] as const) {
      await people.chair.page
        .locator(`[data-testid=lobby-entry][data-role=${person}] [data-testid=admit]`)
        .click();
      await people[person].page.getByTestId('room-screen').waitFor();
    }

    const attestee = people.attestee;
    await attestee.page.getByTestId('toggle-screen').click();
    await expect
      .poll(
        () => attestee.page.getByTestId('toggle-screen').getAttribute('data-sending'),
        {
          timeout: MEDIA_TIMEOUT_MS,
        },
      )
      .toBe('true');
    const attesteePeerId = (await snapshotOf(attestee)).you.peerId;
    for (const viewer of [people.chair, people.expert]) {
      await viewer.page.getByTestId('screen-tile').waitFor();
      await expectFlowing(viewer, attesteePeerId, 'screen', 'video');
    }
  });

  it.each([
    ['1280x720', SMALL],
    ['1366x768', COMMON_LAPTOP],
  ])(
    "keeps the chair's buttons, own controls and status in view at %s",
    async (size, viewport) => {
      const { page } = people.chair;
      await page.setViewportSize(viewport);

      const others = page.locator('[data-testid=tile][data-own=false]');
      await expect.poll(() => others.count()).toBe(2);
      for (const tile of await others.all()) {
        await expectInView(page, tile.getByTestId('mute'));
        await expectInView(page, tile.getByTestId('remove'));
      }
      await expectOwnControlsInView(page);
      await expectInView(page, page.getByTestId('recording-indicator'));
      await expectInView(page, page.getByTestId('start'));

      // The screen is large but bounded: above the faces, never under them.
      const screen = await boxOf(page.getByTestId('screen-tile'));
      const faces = await boxOf(page.getByTestId('tiles'));
      expect(screen.y + screen.height).toBeLessThanOrEqual(faces.y);
      expect(screen.height).toBeGreaterThan(viewport.height * 0.35);
      expect(await pageScrollHeight(page)).toBeLessThanOrEqual(viewport.height);

      await page.screenshot({ path: artifact(`chair-${size}.png`) });
    },
  );

  it('shows the attestee a small preview of her own shared screen, labelled as hers', async () => {
    const { page } = people.attestee;
    const preview = page.getByTestId('own-screen-tile');

    await expectInView(page, preview);
    expect(await preview.locator('figcaption').textContent()).toBe(en['room.yourScreen']);
    await expect
      .poll(
        () =>
          preview
            .locator('video')
            .evaluate((video: HTMLVideoElement) => video.videoWidth),
        { timeout: MEDIA_TIMEOUT_MS },
      )
      .toBeGreaterThan(0);
    // Her own screen is not shown large to her: the faces keep the room.
    expect(await page.getByTestId('screen-tile').count()).toBe(0);
    await expectOwnControlsInView(page);

    await page.screenshot({ path: artifact('attestee-1280x720.png') });
  });

  it('shows a notice without covering the clock and the recording light', async () => {
    const { page } = people.attestee;
    await people.chair.page
      .locator('[data-testid=tile][data-role=attestee] [data-testid=mute]')
      .click();

    const notice = page.locator('[data-testid=notice][data-code=muted]');
    await notice.waitFor();
    const noticeBox = await boxOf(notice);
    for (const status of ['recording-indicator', 'countdown']) {
      const statusBox = await boxOf(page.getByTestId(status));
      expect(overlaps(noticeBox, statusBox), status).toBe(false);
    }
    await expectOwnControlsInView(page);

    await page.screenshot({ path: artifact('attestee-notice.png') });
  });

  it('tells a removed expert that they were removed, not that the review ended', async () => {
    await people.chair.page
      .locator('[data-testid=tile][data-role=expert] [data-testid=remove]')
      .click();

    const { page } = people.expert;
    const end = page.getByTestId('end-screen');
    await end.waitFor({ timeout: MEDIA_TIMEOUT_MS });
    expect(await end.getAttribute('data-reason')).toBe('removed');
    expect(await page.getByTestId('end-heading').textContent()).toBe(
      en['end.heading.removed'],
    );
    expect(await page.getByTestId('end-reason').textContent()).toBe(
      en['end.reason.removed'],
    );
    // The review itself goes on for the others.
    expect(await screenOf(people.attestee)).toBe('room');
  });
});

async function expectOwnControlsInView(page: Page): Promise<void> {
  for (const control of ['toggle-mic', 'toggle-camera', 'toggle-screen']) {
    await expectInView(page, page.getByTestId(control));
  }
}

/** The element is visible and wholly inside the viewport, without scrolling. */
async function expectInView(page: Page, locator: Locator): Promise<void> {
  const viewport = page.viewportSize();
  const box = await boxOf(locator);
  const where = `${await locator.getAttribute('data-testid')} at ${JSON.stringify(box)}`;

  expect(box.x, where).toBeGreaterThanOrEqual(0);
  expect(box.y, where).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, where).toBeLessThanOrEqual(viewport?.width ?? 0);
  expect(box.y + box.height, where).toBeLessThanOrEqual(viewport?.height ?? 0);
}

async function boxOf(locator: Locator): Promise<Box> {
  await locator.waitFor();
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element has no box');

  return box;
}

function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

function pageScrollHeight(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollHeight);
}

function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, `room-layout-${name}`);
}
