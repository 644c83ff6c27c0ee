/**
 * Seats whose connection is lost, in real Chromium against the real service:
 * a person who drops while waiting stays in the chair's waiting room, marked
 * disconnected, and can be admitted straight into the room for their return;
 * an admitted person who drops keeps their tile in its place, dimmed and
 * labelled, for everyone; they come back with the same link into the same
 * seat and tile; and the chair can remove a seat whose holder is away.
 *
 * Dropping a person means closing their browser context: the socket goes for
 * good, where cutting it under socket.io would be reconnected within a second.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/review-messages/en.ts';
import { ru } from '../../client/i18n/review-messages/ru.ts';
import type { ParticipantView } from '../../server/signalling/protocol.ts';
import { launchBrowser, openPersonPage, type PersonPage } from '../helpers/browser.ts';
import {
  expectFlowing,
  MEDIA_TIMEOUT_MS,
  passPreflight,
  presentCount,
  screenOf,
  snapshotOf,
} from '../helpers/review-page.ts';
import {
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
  type JoinLink,
} from '../helpers/review-service.ts';

/** Long enough that the clock never matters: the review is not started here. */
const LIMIT_SECONDS = 1800;
const WARNINGS_SECONDS = [60];
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

type Person = 'chair' | 'attestee' | 'expert';

/** The chair reads English, the expert Russian: the label is checked in both. */
const LOCALES: Record<Person, string> = {
  chair: 'en-US',
  attestee: 'en-US',
  expert: 'ru-RU',
};

let testService: BrowserTestService;
let browser: Browser;
let reviewId = '';
let links: JoinLink[] = [];
const people = {} as Record<Person, PersonPage>;
/** Every page opened, current or closed, whose console is kept as an artifact. */
const opened: PersonPage[] = [];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });

  testService = await startBrowserTestService({
    name: 'seat-loss',
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: WARNINGS_SECONDS,
    rtcMinPort: 49500,
    rtcMaxPort: 49999,
  });
  browser = await launchBrowser();

  const created = await testService.createReview('Attestation of a history teacher');
  reviewId = created.reviewId;
  links = created.links;
});

afterAll(async () => {
  for (const [index, page] of opened.entries()) {
    fs.writeFileSync(
      artifact(`${page.name}-${index}-console.log`),
      page.consoleLines.join('\n'),
    );
  }
  await browser?.close();
  await testService?.close('seat-loss browser test finished');
});

describe('seats whose connection is lost', () => {
  it('seats the chair and, once admitted, the attestee', async () => {
    await open('chair');
    await passPreflight(people.chair, false);
    await expect.poll(() => screenOf(people.chair)).toBe('room');

    await open('attestee');
    await passPreflight(people.attestee, true);
    await people.attestee.page.getByTestId('lobby-screen').waitFor();
    await lobbyEntry('attestee').locator('[data-testid=admit]').click();

    await people.attestee.page.getByTestId('room-screen').waitFor();
    const attesteePeerId = (await snapshotOf(people.attestee)).you.peerId;
    await expectFlowing(people.chair, attesteePeerId, 'camera', 'video');
  });

  it('keeps a waiting person who dropped in the lobby list, marked, and admits them for their return', async () => {
    await open('expert');
    await passPreflight(people.expert, false);
    await people.expert.page.getByTestId('lobby-screen').waitFor();
    await expect
      .poll(() => lobbyEntry('expert').getAttribute('data-connected'))
      .toBe('true');
    expect(await lobbyEntry('expert').getByTestId('lobby-disconnected').count()).toBe(0);

    await drop('expert');

    const entry = lobbyEntry('expert');
    await expect
      .poll(() => entry.getAttribute('data-connected'), { timeout: MEDIA_TIMEOUT_MS })
      .toBe('false');
    expect(await entry.getByTestId('lobby-disconnected').textContent()).toBe(
      en['chair.lobbyDisconnected'],
    );
    expect(await entry.getByTestId('refuse').isEnabled()).toBe(true);
    await entry.getByTestId('admit').click();

    // Admitted while away: the seat is in the room, waiting for its holder.
    await expect
      .poll(async () => seatOf(await snapshotOf(people.chair), 'expert'))
      .toEqual({ seat: 'admitted', connected: false });
    await expect
      .poll(() => tileOf(people.chair, 'expert').getAttribute('data-connected'))
      .toBe('false');
    expect(await people.chair.page.getByTestId('lobby-entry').count()).toBe(0);

    await open('expert');
    await passPreflight(people.expert, false);
    await people.expert.page.getByTestId('room-screen').waitFor();
    await expect
      .poll(() => tileOf(people.chair, 'expert').getAttribute('data-connected'), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe('true');
    await expect
      .poll(async () => presentCount(await snapshotOf(people.chair)), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe(3);
    const expertPeerId = (await snapshotOf(people.expert)).you.peerId;
    await expectFlowing(people.chair, expertPeerId, 'camera', 'video');
    await expectPictureOn(tileOf(people.chair, 'expert'));
  });

  it("keeps a dropped participant's tile in its place, dimmed and labelled, with only Remove for the chair", async () => {
    const attesteePeerId = (await snapshotOf(people.attestee)).you.peerId;
    await expectFlowing(people.expert, attesteePeerId, 'camera', 'video');
    const placeBefore = await tilePlaceOf(people.chair, 'attestee');
    // Own tile first, then the attestee (admitted before the expert): not last.
    expect(placeBefore).toBe(1);

    await drop('attestee');

    for (const [viewer, text] of [
      [people.chair, en['room.disconnected']],
      [people.expert, ru['room.disconnected']],
    ] as const) {
      const tile = tileOf(viewer, 'attestee');
      await expect
        .poll(() => tile.getAttribute('data-connected'), { timeout: MEDIA_TIMEOUT_MS })
        .toBe('false');
      expect(await tile.getByTestId('tile-disconnected').isVisible()).toBe(true);
      expect(await tile.getByTestId('tile-disconnected').textContent()).toBe(text);
      expect(
        await viewer.page.locator('[data-testid=tile][data-role=attestee]').count(),
      ).toBe(1);
      // Its producers closed with the connection: nothing is left on the tile.
      await expect
        .poll(() =>
          tile
            .locator('video')
            .evaluate((video: HTMLVideoElement) => video.srcObject === null),
        )
        .toBe(true);
      await expect
        .poll(async () => seatOf(await snapshotOf(viewer), 'attestee'))
        .toEqual({ seat: 'admitted', connected: false });
    }
    expect(await tilePlaceOf(people.chair, 'attestee')).toBe(placeBefore);

    const chairTile = tileOf(people.chair, 'attestee');
    expect(await chairTile.getByTestId('remove').isVisible()).toBe(true);
    expect(await chairTile.getByTestId('mute').count()).toBe(0);
    // The expert, still connected, keeps both.
    expect(await tileOf(people.chair, 'expert').getByTestId('mute').count()).toBe(1);
    expect(await tileOf(people.expert, 'attestee').getByTestId('remove').count()).toBe(0);

    await people.chair.page.screenshot({ path: artifact('disconnected.png') });
  });

  it('takes the attestee back into the same seat and the same tile, with media flowing', async () => {
    const placeBefore = await tilePlaceOf(people.chair, 'attestee');

    await open('attestee');
    await passPreflight(people.attestee, true);
    await people.attestee.page.getByTestId('room-screen').waitFor();
    const attesteePeerId = (await snapshotOf(people.attestee)).you.peerId;

    for (const viewer of [people.chair, people.expert]) {
      const tile = tileOf(viewer, 'attestee');
      await expect
        .poll(() => tile.getAttribute('data-peer-id'), { timeout: MEDIA_TIMEOUT_MS })
        .toBe(attesteePeerId);
      expect(await tile.getAttribute('data-connected')).toBe('true');
      expect(await tile.getByTestId('tile-disconnected').isVisible()).toBe(false);
      expect(
        await viewer.page.locator('[data-testid=tile][data-role=attestee]').count(),
      ).toBe(1);

      const attestees = (await snapshotOf(viewer)).participants.filter(
        (p) => p.role === 'attestee',
      );
      expect(attestees).toHaveLength(1);
      expect(attestees[0]).toMatchObject({
        peerId: attesteePeerId,
        seat: 'admitted',
        connected: true,
      });
      await expectFlowing(viewer, attesteePeerId, 'camera', 'video');
      await expectFlowing(viewer, attesteePeerId, 'microphone', 'audio');
      // The media reaches the tile that kept the seat, not one hidden elsewhere.
      await expectPictureOn(tile);
    }
    expect(await tilePlaceOf(people.chair, 'attestee')).toBe(placeBefore);
    expect(await tileOf(people.chair, 'attestee').getByTestId('mute').count()).toBe(1);
  });

  it('lets the chair remove a seat whose holder is away: the seat is removed, the tile goes, the removal is stored', async () => {
    const chairSnapshot = await snapshotOf(people.chair);
    const attestee = chairSnapshot.participants.find((p) => p.role === 'attestee');
    expect(attestee).toBeDefined();

    await drop('attestee');
    const tile = tileOf(people.chair, 'attestee');
    await expect
      .poll(() => tile.getAttribute('data-connected'), { timeout: MEDIA_TIMEOUT_MS })
      .toBe('false');

    await tile.getByTestId('remove').click();

    await expect
      .poll(async () => seatOf(await snapshotOf(people.chair), 'attestee'))
      .toEqual({ seat: 'removed', connected: false });
    for (const viewer of [people.chair, people.expert]) {
      await expect
        .poll(() => viewer.page.locator('[data-testid=tile][data-role=attestee]').count())
        .toBe(0);
    }

    const events = await testService.service.reviewStore.listEvents(reviewId);
    expect(events.filter((e) => e.type === 'remove')).toEqual([
      expect.objectContaining({
        personId: attestee?.personId,
        data: { by: chairSnapshot.you.personId },
      }),
    ]);
  });
});

/** Opens a fresh context and page for `person` at their own link. */
async function open(person: Person): Promise<PersonPage> {
  const page = await openPersonPage(browser, person, { locale: LOCALES[person] });
  opened.push(page);
  people[person] = page;
  await page.goto(linkFor(links, person));

  return page;
}

/** Closes `person`'s browser context, which takes their connection away for good. */
async function drop(person: Person): Promise<void> {
  await people[person].context.close();
}

function lobbyEntry(role: Person): Locator {
  return people.chair.page.locator(`[data-testid=lobby-entry][data-role=${role}]`);
}

function tileOf(viewer: PersonPage, role: Person): Locator {
  return viewer.page.locator(`[data-testid=tile][data-role=${role}]`);
}

/** Waits until the tile's video element plays a picture. */
async function expectPictureOn(tile: Locator): Promise<void> {
  await expect
    .poll(
      () => tile.locator('video').evaluate((video: HTMLVideoElement) => video.videoWidth),
      { timeout: MEDIA_TIMEOUT_MS },
    )
    .toBeGreaterThan(0);
}

/** Where `role`'s tile stands among the person tiles of `viewer`'s room. */
function tilePlaceOf(viewer: PersonPage, role: Person): Promise<number> {
  return viewer.page.evaluate(
    (wanted) =>
      [...document.querySelectorAll<HTMLElement>('[data-testid=tile]')].findIndex(
        (tile) => tile.dataset.role === wanted,
      ),
    role,
  );
}

function seatOf(
  snapshot: { participants: ParticipantView[] },
  role: Person,
): Pick<ParticipantView, 'seat' | 'connected'> | undefined {
  const participant = snapshot.participants.find((p) => p.role === role);

  return participant && { seat: participant.seat, connected: participant.connected };
}

function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, `seat-loss-${name}`);
}
