/**
 * A live review survives the death of its media worker, in real Chromium
 * against the real service (real recorder, ffmpeg, S3): the worker is killed
 * (SIGKILL) while the chair and the attestee are live, the server moves the
 * review to the pool's replacement worker, and both pages come back into the
 * room by themselves with the same link: media both ways, the same end time,
 * the attestee admitted without the chair doing anything, never the end
 * screen, and the recording continued rather than sealed. A graceful
 * shutdown that follows leaves the pages reconnecting, not ended.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/review-messages/en.ts';
import {
  launchBrowser,
  seatChairAndAttestee,
  type PersonPage,
} from '../helpers/browser.ts';
import {
  expectMediaBothWays,
  MEDIA_TIMEOUT_MS,
  presentCount,
  recordingProgressOf,
  screenOf,
  snapshotOf,
} from '../helpers/review-page.ts';
import {
  startBrowserTestService,
  type BrowserTestService,
} from '../helpers/review-service.ts';

/** Far beyond the test: the clock runs, but the cut is not what is tested here. */
const LIMIT_SECONDS = 600;

/** A microphone and a camera for each of the two people. */
const TRACKS = 4;

type Person = 'chair' | 'attestee';

/** What a page went through, as a MutationObserver installed in it saw. */
interface PageHistory {
  screens: string[];
  notices: string[];
}

declare global {
  interface Window {
    __workerDeathHistory?: PageHistory;
  }
}

let testService: BrowserTestService;
let browser: Browser;
let reviewId = '';
const people = {} as Record<Person, PersonPage>;

beforeAll(async () => {
  testService = await startBrowserTestService({
    name: 'worker-death',
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: [],
    rtcMinPort: 44000,
    rtcMaxPort: 44499,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await testService?.close('worker death test finished');
});

describe('a media worker that dies under a live review, in the browser', () => {
  it('seats the chair and the attestee and starts the review', async () => {
    const created = await testService.createReview('Attestation of a biology teacher');
    reviewId = created.reviewId;
    Object.assign(people, await seatChairAndAttestee(browser, created.links));
    await expectMediaBothWays(people.chair, people.attestee);

    await expect
      .poll(() => recordingProgressOf(people.chair), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(`${TRACKS}/${TRACKS}`);
    const start = people.chair.page.getByTestId('start');
    await expect.poll(() => start.isEnabled(), { timeout: MEDIA_TIMEOUT_MS }).toBe(true);
    await start.click();
    await expect.poll(async () => (await snapshotOf(people.chair)).state).toBe('live');
  });

  it('comes back into the room on the replacement worker by itself, with media both ways and the same end time', async () => {
    const before = await snapshotOf(people.chair);
    const endsAt = before.clock.endsAt;
    expect(endsAt).toBeDefined();
    const peersBefore = await peerIdsOf();
    const tracksBefore = recordedTracks();
    for (const person of ['chair', 'attestee'] as const) {
      await watchHistory(people[person]);
    }
    const [worker] = testService.service.pool.workers;
    if (!worker) throw new Error('the service runs no media worker');

    process.kill(worker.pid, 'SIGKILL');

    // Each page is back in the room under a new connection, both present.
    for (const person of ['chair', 'attestee'] as const) {
      await expect
        .poll(async () => (await snapshotOf(people[person])).you.peerId, {
          timeout: MEDIA_TIMEOUT_MS,
          message: `${person} page comes back by itself`,
        })
        .not.toBe(peersBefore[person]);
      await expect
        .poll(() => screenOf(people[person]), { timeout: MEDIA_TIMEOUT_MS })
        .toBe('room');
    }
    await expect
      .poll(async () => presentCount(await snapshotOf(people.chair)), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe(2);
    expect(testService.service.pool.workers.map((w) => w.pid)).not.toContain(worker.pid);

    await expectMediaBothWays(people.chair, people.attestee);

    // The review went on: live, the same end time, never the end screen; the
    // pages said they were reconnecting and that media was being moved.
    for (const person of ['chair', 'attestee'] as const) {
      const snapshot = await snapshotOf(people[person]);
      expect(snapshot.state).toBe('live');
      expect(snapshot.you.seat).toBe('admitted');
      expect(snapshot.clock.endsAt).toBe(endsAt);
      const history = await historyOf(people[person]);
      expect(history.screens).not.toContain('end');
      expect(history.notices).toEqual(
        expect.arrayContaining(['MEDIA_UNAVAILABLE', 'reconnecting', 'reconnected']),
      );
      expect(
        await people[person].evaluate(
          () =>
            document.querySelectorAll(
              '[data-testid=notice][data-code=reconnecting], [data-testid=notice][data-code=MEDIA_UNAVAILABLE]',
            ).length,
        ),
      ).toBe(0);
    }

    // The new session's recorder records the new tracks into the same,
    // still open recording.
    await expect
      .poll(() => recordingProgressOf(people.chair), { timeout: MEDIA_TIMEOUT_MS })
      .toBe(`${TRACKS}/${TRACKS}`);
    expect(recordingState()).toBe('recording');
    expect(recordedTracks()).toBe(tracksBefore + TRACKS);

    // The record shows the interruption and each return, with no admission.
    const log = await testService.service.reviewStore.listEvents(reviewId);
    const interrupted = log.findIndex((event) => event.type === 'session-interrupted');
    expect(log[interrupted]?.data).toMatchObject({ cause: 'worker-died', state: 'live' });
    const after = log.slice(interrupted + 1);
    expect(after.map((event) => event.type)).toContain('session-resumed');
    expect(
      after.filter((event) => event.type === 'rejoin').map((event) => event.data?.seat),
    ).toEqual(['admitted', 'admitted']);
    expect(after.some((event) => event.type === 'admit')).toBe(false);
  });

  it('shows reconnecting, not the end screen, when the service shuts down under the live review', async () => {
    for (const person of ['chair', 'attestee'] as const) {
      await watchHistory(people[person]);
    }

    await testService.service.close('restart');

    for (const person of ['chair', 'attestee'] as const) {
      await people[person].waitFor('[data-testid=notice][data-code=SERVER_CLOSING]');
      await people[person].waitFor('[data-testid=notice][data-code=reconnecting]');
      expect(await screenOf(people[person])).toBe('room');
      expect((await historyOf(people[person])).screens).not.toContain('end');

      // A planned restart is said as one, not as a media server failure.
      const { page } = people[person];
      expect(
        await page
          .locator('[data-testid=notice][data-code=SERVER_CLOSING]')
          .textContent(),
      ).toBe(en['notice.serverRestarting']);
      expect((await historyOf(people[person])).notices).not.toContain(
        'MEDIA_UNAVAILABLE',
      );
      // The live review's recording is interrupted, not "not started yet".
      const light = page.getByTestId('recording-indicator');
      await expect.poll(() => light.getAttribute('data-state')).toBe('interrupted');
      expect(await light.textContent()).toBe(en['room.recordingInterrupted']);
    }
    // Left live for the next start, not ended.
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(
      path.join(testService.service.config.dataDir, 'sarapta.db'),
    );
    try {
      expect(
        db.prepare('SELECT state FROM reviews WHERE review_id = ?').get(reviewId),
      ).toEqual({ state: 'live' });
    } finally {
      db.close();
    }
  });
});

/** Each person's peer id as their page sees it. */
async function peerIdsOf(): Promise<Record<Person, string>> {
  return {
    chair: (await snapshotOf(people.chair)).you.peerId,
    attestee: (await snapshotOf(people.attestee)).you.peerId,
  };
}

/** Starts keeping every screen the page shows and every notice it puts up. */
async function watchHistory(page: PersonPage): Promise<void> {
  await page.evaluate(() => {
    const screen = document.querySelector<HTMLElement>('[data-testid=screen]');
    const notices = document.querySelector<HTMLElement>('[data-testid=notices]');
    if (!screen || !notices) throw new Error('the page has no screen or notice area');

    const history: PageHistory = { screens: [], notices: [] };
    window.__workerDeathHistory = history;
    new MutationObserver(() => {
      history.screens.push(screen.dataset.screen ?? '');
    }).observe(screen, { attributes: true, attributeFilter: ['data-screen'] });
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node instanceof HTMLElement && node.dataset.code) {
            history.notices.push(node.dataset.code);
          }
        }
      }
    }).observe(notices, { childList: true });
  });
}

async function historyOf(page: PersonPage): Promise<PageHistory> {
  const history = await page.evaluate(() => window.__workerDeathHistory);
  if (!history) throw new Error(`${page.name} keeps no history`);

  return history;
}

function recordingState(): unknown {
  const row = testService.service.db
    .prepare('SELECT state FROM recordings WHERE review_id = ?')
    .get(reviewId);

  return row?.state;
}

function recordedTracks(): number {
  const row = testService.service.db
    .prepare('SELECT COUNT(*) AS tracks FROM recording_tracks WHERE review_id = ?')
    .get(reviewId);

  return Number(row?.tracks ?? 0);
}
