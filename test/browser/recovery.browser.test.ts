/**
 * Media recovery in real Chromium against the real service: when the media
 * path breaks, the page first restarts ICE on its transports, and only if
 * that has not brought them back within its grace period does it rejoin with
 * a new connection, into the same seat.
 *
 * The break is made by stopping the mediasoup worker (SIGSTOP): for the
 * browser that is exactly a path that drops every packet, the socket.io
 * connection (served by the Node process) stays up, and SIGCONT heals it at
 * a chosen moment. The kernel here has no tc filters or netem to drop
 * packets on loopback, and the worker's channel has no request timeout, so a
 * stopped worker only delays its replies.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecoveryCounts } from '../../client/review/review-app.ts';
import { launchBrowser, openPersonPage, type PersonPage } from '../helpers/browser.ts';
import {
  expectFlowing,
  MEDIA_TIMEOUT_MS,
  passPreflight,
  presentCount,
  screenOf,
  snapshotOf,
  type ReviewPage,
} from '../helpers/review-page.ts';
import {
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
} from '../helpers/review-service.ts';

/** The review is never started here, so its clock never runs. */
const LIMIT_SECONDS = 600;

/**
 * The page's grace for an ICE restart (RESTORE_GRACE_MS in
 * client/media/media-session.ts). The first test resumes the worker well
 * inside it, the second well after it.
 */
const RESTORE_GRACE_MS = 8_000;

type Person = 'chair' | 'attestee';

let testService: BrowserTestService;
let browser: Browser;
let workerPid = 0;
let workerStopped = false;
const people = {} as Record<Person, PersonPage>;

beforeAll(async () => {
  testService = await startBrowserTestService({
    name: 'recovery',
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: [],
    rtcMinPort: 49000,
    rtcMaxPort: 49499,
  });
  const [worker] = testService.service.pool.workers;
  if (!worker) throw new Error('the service started no media worker');
  workerPid = worker.pid;

  browser = await launchBrowser();
});

afterAll(async () => {
  // A failed step must not leave the worker stopped for the shutdown.
  resumeWorker();
  await browser?.close();
  await testService?.close('recovery test finished');
});

describe('media recovery in the browser', () => {
  it('seats the chair and the attestee with media flowing both ways', async () => {
    const { links } = await testService.createReview('Attestation of a history teacher');

    for (const person of ['chair', 'attestee'] as const) {
      people[person] = await openPersonPage(browser, person);
      await people[person].goto(linkFor(links, person));
      await passPreflight(people[person], person === 'attestee');
    }
    await people.chair.click(
      '[data-testid=lobby-entry][data-role=attestee] [data-testid=admit]',
    );
    await people.attestee.waitFor('[data-testid=room-screen]');

    await expectMediaBothWays();
    expect(await recoveryOf(people.attestee)).toEqual({
      iceRestarts: 0,
      restoredWithoutRejoin: 0,
      rejoins: 0,
    });
  });

  it('restores a short media outage by an ICE restart, without rejoining', async () => {
    const seatsBefore = await seatsOf(people.chair);

    stopWorker();
    // The page notices the dead path (ICE consent) and begins its restarts.
    await expect
      .poll(async () => (await recoveryOf(people.attestee)).iceRestarts, {
        timeout: MEDIA_TIMEOUT_MS,
        interval: 200,
        message: 'the attestee page begins an ICE restart',
      })
      .toBeGreaterThan(0);
    await people.attestee.waitFor('[data-testid=notice][data-code=media-restoring]');
    resumeWorker();

    await expect
      .poll(async () => (await recoveryOf(people.attestee)).restoredWithoutRejoin, {
        timeout: RESTORE_GRACE_MS,
        interval: 200,
        message: 'the ICE restart reconnects the attestee transports within the grace',
      })
      .toBeGreaterThan(0);
    await people.attestee.waitFor('[data-testid=notice][data-code=media-restored]');
    expect(
      await people.attestee.evaluate(
        () =>
          document.querySelectorAll('[data-testid=notice][data-code=media-restoring]')
            .length,
      ),
    ).toBe(0);

    // Neither page rejoined: the same peers hold the same seats, and media flows again.
    for (const person of ['chair', 'attestee'] as const) {
      expect((await recoveryOf(people[person])).rejoins).toBe(0);
    }
    expect(await seatsOf(people.chair)).toEqual(seatsBefore);
    await expectMediaBothWays();
  });

  it('rejoins into the same seat when the outage outlasts the ICE restart', async () => {
    const seatsBefore = await seatsOf(people.chair);
    const rejoinsBefore = (await recoveryOf(people.attestee)).rejoins;

    stopWorker();
    await expect
      .poll(async () => (await recoveryOf(people.attestee)).rejoins, {
        timeout: MEDIA_TIMEOUT_MS + RESTORE_GRACE_MS,
        interval: 200,
        message: 'the attestee page gives up on the ICE restart and rejoins',
      })
      .toBeGreaterThan(rejoinsBefore);
    resumeWorker();

    // The same people hold the same seats, connected, each once; only the peer ids are new.
    for (const person of ['chair', 'attestee'] as const) {
      await expect
        .poll(() => screenOf(people[person]), { timeout: MEDIA_TIMEOUT_MS })
        .toBe('room');
    }
    await expect
      .poll(async () => presentCount(await snapshotOf(people.chair)), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe(2);
    expect(withoutPeers(await seatsOf(people.chair))).toEqual(withoutPeers(seatsBefore));
    await expectMediaBothWays();
  });
});

/** Each page decodes the other's camera and microphone, and keeps decoding them. */
async function expectMediaBothWays(): Promise<void> {
  const chairPeerId = (await snapshotOf(people.chair)).you.peerId;
  const attesteePeerId = (await snapshotOf(people.attestee)).you.peerId;

  await expectFlowing(people.chair, attesteePeerId, 'camera', 'video');
  await expectFlowing(people.chair, attesteePeerId, 'microphone', 'audio');
  await expectFlowing(people.attestee, chairPeerId, 'camera', 'video');
  await expectFlowing(people.attestee, chairPeerId, 'microphone', 'audio');
}

interface Seat {
  personId: string;
  role: string;
  seat: string;
  peerId: string;
}

/** Who holds which seat under which peer id, as the page's snapshot says, in a stable order. */
async function seatsOf(page: ReviewPage): Promise<Seat[]> {
  const { participants } = await snapshotOf(page);

  return participants
    .map(({ personId, role, seat, peerId }) => ({ personId, role, seat, peerId }))
    .sort((a, b) => a.personId.localeCompare(b.personId));
}

/** The seats without the peer ids, which a rejoin renews. */
function withoutPeers(seats: Seat[]): Omit<Seat, 'peerId'>[] {
  return seats.map(({ personId, role, seat }) => ({ personId, role, seat }));
}

async function recoveryOf(page: ReviewPage): Promise<RecoveryCounts> {
  const counts = await page.evaluate(() => window.__sarapta?.recovery());
  if (!counts) throw new Error(`${page.name} has no debug handle`);

  return counts;
}

function stopWorker(): void {
  process.kill(workerPid, 'SIGSTOP');
  workerStopped = true;
}

function resumeWorker(): void {
  if (!workerStopped) return;

  process.kill(workerPid, 'SIGCONT');
  workerStopped = false;
}
