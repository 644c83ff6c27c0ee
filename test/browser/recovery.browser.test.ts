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
import {
  launchBrowser,
  seatChairAndAttestee,
  type PersonPage,
} from '../helpers/browser.ts';
import {
  expectMediaBothWays,
  MEDIA_TIMEOUT_MS,
  presentCount,
  screenOf,
  snapshotOf,
  type ReviewPage,
} from '../helpers/review-page.ts';
import {
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
let reviewId = '';
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
    const created = await testService.createReview('Attestation of a history teacher');
    const { links } = created;
    reviewId = created.reviewId;

    Object.assign(people, await seatChairAndAttestee(browser, links));

    await expectMediaBothWays(people.chair, people.attestee);
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
    await expectMediaBothWays(people.chair, people.attestee);

    // The review's record holds each outage once, from the first restart to
    // the browser's word that the transport is connected again.
    const attestee = (await snapshotOf(people.attestee)).you;
    const restoredOutages = async () => {
      const outages = await outagesOf(attestee.personId);
      return outages.length > 0 && outages.every((outage) => outage.restored);
    };
    await expect
      .poll(restoredOutages, {
        timeout: 5_000,
        message: 'the attestee outage is stored as interrupted, then restored',
      })
      .toBe(true);
    // Which transports the page restarts depends on which noticed the drop
    // before the worker came back; each is stored once.
    const outages = await outagesOf(attestee.personId);
    expect(new Set(outages.map((outage) => outage.transportId)).size).toBe(
      outages.length,
    );
    for (const outage of outages) {
      expect(outage).toMatchObject({
        peerId: attestee.peerId,
        cause: 'ice-restart',
        by: 'browser',
      });
      expect(outage.lostForMs).toBeGreaterThan(0);
    }
  });

  it('rejoins into the same seat when the outage outlasts the ICE restart', async () => {
    const seatsBefore = await seatsOf(people.chair);
    const rejoinsBefore = (await recoveryOf(people.attestee)).rejoins;
    const attestee = seatsBefore.find((seat) => seat.role === 'attestee');
    if (!attestee) throw new Error('the attestee had no seat');
    const outagesBefore = (await outagesOf(attestee.personId)).length;

    stopWorker();
    await expect
      .poll(async () => (await recoveryOf(people.attestee)).rejoins, {
        timeout: MEDIA_TIMEOUT_MS + RESTORE_GRACE_MS,
        interval: 200,
        message: 'the attestee page gives up on the ICE restart and rejoins',
      })
      .toBeGreaterThan(rejoinsBefore);
    resumeWorker();

    // The chair's page lost its path too and may still be inside its own
    // grace: it settles either way (restored, or rejoined with a new peer id)
    // before the peer ids below are read.
    for (const person of ['chair', 'attestee'] as const) {
      await expect
        .poll(() => screenOf(people[person]), { timeout: MEDIA_TIMEOUT_MS })
        .toBe('room');
      await expect
        .poll(() => restoringNoticesOn(people[person]), {
          timeout: MEDIA_TIMEOUT_MS + RESTORE_GRACE_MS,
          message: `${person} page settles after the outage`,
        })
        .toBe(0);
    }

    // The same people hold the same seats, connected, each once; only the peer ids are new.
    await expect
      .poll(async () => presentCount(await snapshotOf(people.chair)), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe(2);
    expect(withoutPeers(await seatsOf(people.chair))).toEqual(withoutPeers(seatsBefore));
    await expectMediaBothWays(people.chair, people.attestee);

    // The abandoned connection's outage stays open in the record: the rejoin
    // that follows it is what ended it.
    const outages = (await outagesOf(attestee.personId)).slice(outagesBefore);
    expect(outages.length).toBeGreaterThan(0);
    for (const outage of outages) {
      expect(outage).toMatchObject({ peerId: attestee.peerId, restored: false });
    }
    const log = await testService.service.reviewStore.listEvents(reviewId);
    const lastInterruption = log.findLast(
      (event) =>
        event.type === 'media-interrupted' && event.data?.peerId === attestee.peerId,
    );
    const rejoin = log.findLast(
      (event) => event.type === 'rejoin' && event.personId === attestee.personId,
    );
    expect(rejoin?.seq).toBeGreaterThan(lastInterruption?.seq ?? Infinity);
  });
});

interface Outage {
  peerId: unknown;
  transportId: unknown;
  direction: unknown;
  cause: unknown;
  restored: boolean;
  by?: unknown;
  lostForMs?: number;
}

/**
 * The media outages stored for a person, one per interrupted transport, each
 * with its restoration if one followed, in the order they began.
 */
async function outagesOf(personId: string): Promise<Outage[]> {
  const log = await testService.service.reviewStore.listEvents(reviewId);
  const outages: Outage[] = [];
  for (const event of log) {
    if (event.personId !== personId || !event.data) continue;
    const { peerId, transportId, direction, cause } = event.data;

    if (event.type === 'media-interrupted') {
      outages.push({ peerId, transportId, direction, cause, restored: false });
    } else if (event.type === 'media-restored') {
      const open = outages.find((o) => o.transportId === transportId && !o.restored);
      if (!open)
        throw new Error(`restored without an interruption: ${String(transportId)}`);
      open.restored = true;
      open.by = event.data.by;
      open.lostForMs = Number(event.data.lostForMs);
    }
  }

  return outages;
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

/** How many "restoring media" notices the page shows (one while any restart is pending). */
async function restoringNoticesOn(page: ReviewPage): Promise<number> {
  return page.evaluate(
    () =>
      document.querySelectorAll('[data-testid=notice][data-code=media-restoring]').length,
  );
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
