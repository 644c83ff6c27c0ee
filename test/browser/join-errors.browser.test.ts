/**
 * Invitation links that do not open their review, in real Chromium against
 * the real service: each shows a page that says what is wrong in the
 * person's language and what to do, never a bare error code, and asks for
 * no camera. A server that cannot be reached offers to try again; a link
 * that is wrong, expired or for a review that is over does not.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/review-messages/en.ts';
import { kk } from '../../client/i18n/review-messages/kk.ts';
import { ru } from '../../client/i18n/review-messages/ru.ts';
import type { JoinProblem } from '../../client/review/join-problem.ts';
import { launchBrowser, openPersonPage, type PersonPage } from '../helpers/browser.ts';
import {
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
} from '../helpers/review-service.ts';

const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

const MESSAGES = { en, kk, ru } as const;
type Language = keyof typeof MESSAGES;
const LOCALE_OF: Record<Language, string> = { en: 'en-US', kk: 'kk-KZ', ru: 'ru-RU' };

let testService: BrowserTestService;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  testService = await startBrowserTestService({
    name: 'join-errors',
    limitSeconds: 1800,
    warningsSeconds: [60],
    rtcMinPort: 48500,
    rtcMaxPort: 48999,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await testService?.close('join-errors browser test finished');
});

describe('invitation links that do not open the review', () => {
  it('explains a link without its access key', async () => {
    const { links } = await testService.createReview('Attestation of a biology teacher');
    const url = linkFor(links, 'attestee').replace(/#.*$/, '');

    const page = await openAt(url, 'en');

    await expectProblem(page, 'no-token', 'en');
  });

  it('explains a damaged or foreign link in Russian, without a retry', async () => {
    const { links } = await testService.createReview('Attestation of a biology teacher');
    // The last characters of the signature changed, as when a link is cut short.
    const damaged = linkFor(links, 'expert').replace(/.{4}$/, 'AAAA');

    const page = await openAt(damaged, 'ru');

    await expectProblem(page, 'invalid', 'ru');
    expect(await page.page.getByTestId('retry').count()).toBe(0);
    await page.page.screenshot({ path: artifact('invalid-ru.png') });
  });

  it('explains an expired link in Kazakh', async () => {
    const { links } = await testService.createReview('Attestation of a biology teacher');
    const { tokens } = testService.service;
    const claims = await tokens.verifyJoin(tokenIn(linkFor(links, 'attestee')));
    const expired = await tokens.signJoin(claims, new Date(Date.now() - 60_000));

    const page = await openAt(
      linkFor(links, 'attestee').replace(/#token=.*$/, `#token=${expired}`),
      'kk',
    );

    await expectProblem(page, 'expired', 'kk');
    await page.page.screenshot({ path: artifact('expired-kk.png') });
  });

  it('says a review is over before asking for the camera', async () => {
    const { reviewId, links } = await testService.createReview(
      'Attestation of a biology teacher',
    );
    // As the end of a review leaves it (the ending itself is tested elsewhere).
    await testService.service.reviewStore.changeState(reviewId, {
      state: 'ended',
      endedAt: new Date().toISOString(),
      endReason: 'chair',
    });

    const page = await openAt(linkFor(links, 'attestee'), 'en');

    await expectProblem(page, 'ended', 'en');
  });

  it('says a review was cancelled by the operator, in Kazakh', async () => {
    const { reviewId, links } = await testService.createReview(
      'Attestation of a biology teacher',
    );
    await testService.cancelReview(reviewId);

    const page = await openAt(linkFor(links, 'expert'), 'kk');

    await expectProblem(page, 'cancelled', 'kk');
  });

  it('says so when the review ends while the person is in the equipment check', async () => {
    const { reviewId, links } = await testService.createReview(
      'Attestation of a biology teacher',
    );
    await testService.service.reviewStore.changeState(reviewId, {
      state: 'ended',
      endedAt: new Date().toISOString(),
      endReason: 'chair',
    });
    const page = await openPersonPage(browser, 'late-attestee');
    // The join screen was read before the end; the socket then meets an ended review.
    await page.page.route('**/api/session', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as {
        data: { review: { state: string } };
      };
      body.data.review.state = 'lobby';
      await route.fulfill({ response, json: body });
    });
    await page.goto(linkFor(links, 'attestee'));
    await page.page.getByTestId('continue').click();

    await expectProblem(page, 'ended', 'en');
    await page.context.close();
  });

  it('offers to try again when the server cannot be reached, and joins once it can', async () => {
    const { links } = await testService.createReview('Attestation of a biology teacher');
    const page = await openPersonPage(browser, 'offline-attestee', {
      locale: LOCALE_OF.ru,
    });
    await page.page.route('**/api/session', (route) =>
      route.abort('internetdisconnected'),
    );
    await page.goto(linkFor(links, 'attestee'));

    await expectProblem(page, 'unreachable', 'ru');
    await page.page.screenshot({ path: artifact('unreachable-ru.png') });

    await page.page.unroute('**/api/session');
    await page.page.getByTestId('retry').click();
    await page.page.getByTestId('continue').waitFor();
    expect(await page.page.getByTestId('review-subject').textContent()).toContain(
      'Attestation of a biology teacher',
    );
    await page.context.close();
  });
});

async function openAt(url: string, language: Language): Promise<PersonPage> {
  const page = await openPersonPage(browser, `link-${language}`, {
    locale: LOCALE_OF[language],
  });
  await page.goto(url);

  return page;
}

/** The page shows `problem` in `language`, worded as the translations say. */
async function expectProblem(
  page: PersonPage,
  problem: JoinProblem,
  language: Language,
): Promise<void> {
  const explanation = page.page.getByTestId('join-error');
  await explanation.waitFor();

  expect(await explanation.getAttribute('data-problem')).toBe(problem);
  expect(await explanation.textContent()).toBe(
    MESSAGES[language][`join.problem.${problem}`],
  );
  // Nothing was asked of the camera for a link that leads nowhere.
  expect(await page.page.getByTestId('preflight-screen').count()).toBe(0);
}

function tokenIn(url: string): string {
  const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in ${url}`);

  return token;
}

function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, `join-error-${name}`);
}
