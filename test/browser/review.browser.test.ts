/**
 * The remote review, end to end, in real Chromium against the real service:
 * chair, attestee and expert join from their links, the chair admits, the
 * attestee consents, the chair starts once every track is recorded, everyone
 * decodes everyone, a shared screen reaches the others at full size, a
 * reload takes the same seat back, the chair mutes, a dropped connection
 * recovers, and the time limit ends the review for all three. The service
 * records for real (ffmpeg into the suite's S3).
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sarapta } from '../../server/app.ts';
import { recordingKeys, type RecordingManifest } from '../../recording/manifest.ts';
import { kk } from '../../client/i18n/review-messages/kk.ts';
import { ru } from '../../client/i18n/review-messages/ru.ts';
import type { ConsumerFigures } from '../../client/media/media-session.ts';
import { launchBrowser, openPersonPage, type PersonPage } from '../helpers/browser.ts';
import {
  expectFlowing,
  figuresOf,
  MEDIA_TIMEOUT_MS,
  otherPeerIds,
  passPreflight,
  presentCount,
  screenOf,
  snapshotOf,
} from '../helpers/review-page.ts';
import {
  cutConnectionOf,
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
  type JoinLink,
} from '../helpers/review-service.ts';

/** A short review: long enough for every step below, short enough to wait out. */
const LIMIT_SECONDS = 60;
const WARNINGS_SECONDS = [20, 10];
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

/** Sealing a one-minute, seven-track review on two busy cores. */
const SEAL_TIMEOUT_MS = 240_000;

/** Three people, each with a microphone and a camera. */
const TRACKS_BEFORE_SCREEN_SHARE = 6;

type Person = 'chair' | 'attestee' | 'expert';

let testService: BrowserTestService;
let service: Sarapta;
let browser: Browser;
let reviewId = '';
const people = {} as Record<Person, PersonPage>;
const tempDirs: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });

  testService = await startBrowserTestService({
    name: 'browser',
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: WARNINGS_SECONDS,
    rtcMinPort: 47000,
    rtcMaxPort: 47999,
  });
  service = testService.service;

  browser = await launchBrowser();
});

afterAll(async () => {
  // Each page's console goes next to the screenshots, to read when a step fails.
  for (const person of Object.values(people)) {
    fs.writeFileSync(
      artifact(`${person.name}-console.log`),
      person.consoleLines.join('\n'),
    );
  }
  await browser?.close();
  await testService?.close('browser test finished');
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a remote review in three browsers', () => {
  it('lets the chair in directly and keeps the attestee and the expert in the lobby', async () => {
    const links = await createReview();

    // The expert's browser prefers Kazakh; the others English.
    const locales: Record<Person, string> = {
      chair: 'en-US',
      attestee: 'en-US',
      expert: 'kk-KZ',
    };
    for (const person of ['chair', 'attestee', 'expert'] as const) {
      people[person] = await openPersonPage(browser, person, { locale: locales[person] });
      await people[person].goto(linkFor(links, person));
      await passPreflight(people[person], person === 'attestee');
    }

    await expect.poll(() => screenOf(people.chair)).toBe('room');
    await people.attestee.page.getByTestId('lobby-screen').waitFor();
    await people.expert.page.getByTestId('lobby-screen').waitFor();
    // Nobody else is in the room and nothing is recorded yet: the chair cannot start.
    expect(await people.chair.page.getByTestId('start').isDisabled()).toBe(true);
    await people.attestee.page.screenshot({ path: artifact('lobby.png') });
  });

  it('speaks the browser language and switches language in place', async () => {
    const lobbyHeading = people.expert.page.getByTestId('lobby-screen').locator('h1');
    await expect.poll(() => lobbyHeading.textContent()).toBe(kk['lobby.heading']);

    await people.expert.page.getByTestId('language').selectOption('ru');

    await expect.poll(() => lobbyHeading.textContent()).toBe(ru['lobby.heading']);
    await expect
      .poll(() => people.expert.evaluate(() => document.documentElement.lang))
      .toBe('ru');
  });

  it('admits both from the chair panel; start is enabled only once every track is recorded', async () => {
    const chair = people.chair;
    await chair.page
      .locator('[data-testid=lobby-entry][data-role=attestee] [data-testid=admit]')
      .click();
    await chair.page
      .locator('[data-testid=lobby-entry][data-role=expert] [data-testid=admit]')
      .click();

    await people.attestee.page.getByTestId('room-screen').waitFor();
    await people.expert.page.getByTestId('room-screen').waitFor();

    // Every person's microphone and camera must be recorded before the start;
    // a track that arrives later makes the server refuse a start clicked early.
    const start = chair.page.getByTestId('start');
    await expect
      .poll(
        async () => {
          const { recording } = await snapshotOf(chair);
          return `${recording.tracksWriting}/${recording.tracksExpected}`;
        },
        { timeout: MEDIA_TIMEOUT_MS },
      )
      .toBe(`${TRACKS_BEFORE_SCREEN_SHARE}/${TRACKS_BEFORE_SCREEN_SHARE}`);
    await expect.poll(() => start.isEnabled(), { timeout: MEDIA_TIMEOUT_MS }).toBe(true);
    expect((await snapshotOf(chair)).consentGiven).toBe(true);

    await start.click();
    await chair.page.waitForFunction(
      () => window.__sarapta?.snapshot()?.state === 'live',
    );
  });

  it("decodes the others' audio and video in every browser", async () => {
    for (const person of ['chair', 'attestee', 'expert'] as const) {
      await expect
        .poll(() => otherPeerIds(people[person]), { timeout: MEDIA_TIMEOUT_MS })
        .toHaveLength(2);
      const others = await otherPeerIds(people[person]);

      for (const peerId of others) {
        await expectFlowing(people[person], peerId, 'camera', 'video');
        await expectFlowing(people[person], peerId, 'microphone', 'audio');
      }
    }

    // Only the chair has chair controls.
    for (const person of ['attestee', 'expert'] as const) {
      await expect(people[person].page.getByTestId('chair-panel').count()).resolves.toBe(
        0,
      );
      await expect(people[person].page.getByTestId('mute').count()).resolves.toBe(0);
    }
    await expect(people.chair.page.getByTestId('mute').count()).resolves.toBe(2);

    await people.expert.page.screenshot({ path: artifact('room.png') });
  });

  it("shows the attestee's shared screen to the others as its own decoded track", async () => {
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

    const sent = await attestee.evaluate(() => window.__sarapta?.sentVideoSizes() ?? []);
    const screenSize = sent.find((size) => size.source === 'screen');
    expect(screenSize?.width).toBeGreaterThan(0);

    for (const person of ['chair', 'expert'] as const) {
      const page = people[person];
      await page.page.getByTestId('screen-tile').waitFor();
      await expectFlowing(page, attesteePeerId, 'screen', 'video');
      // Legible means not downscaled: the others decode the screen at the size it is captured.
      await expect
        .poll(async () => frameSizeOf(await figuresOf(page, attesteePeerId, 'screen')), {
          timeout: MEDIA_TIMEOUT_MS,
        })
        .toEqual({ width: screenSize?.width, height: screenSize?.height });
    }

    await people.chair.page.screenshot({ path: artifact('room-screen-share.png') });
  });

  it("keeps sharing the attestee's screen through a dropped connection", async () => {
    const attestee = people.attestee;
    const personId = (await snapshotOf(attestee)).you.personId;

    cutConnectionOf(service, personId);
    await attestee.page
      .locator('[data-testid=notice][data-code=reconnected]')
      .waitFor({ timeout: MEDIA_TIMEOUT_MS });

    // The same capture is sent again under the new connection, without a new pick.
    const attesteePeerId = (await snapshotOf(attestee)).you.peerId;
    await expect
      .poll(
        async () => {
          const seat = (await snapshotOf(people.chair)).participants.find(
            (p) => p.peerId === attesteePeerId,
          );
          return seat?.producers.map((p) => p.source).sort();
        },
        { timeout: MEDIA_TIMEOUT_MS },
      )
      .toEqual(['camera', 'microphone', 'screen']);
    expect(
      await attestee.page.getByTestId('toggle-screen').getAttribute('data-sending'),
    ).toBe('true');
    await expectFlowing(people.chair, attesteePeerId, 'screen', 'video');
  });

  it('takes the attestee back into the same seat after a reload, without a ghost', async () => {
    const chair = people.chair;
    const before = await snapshotOf(chair);
    const seatsBefore = before.participants.length;

    await people.attestee.page.reload();
    await passPreflight(people.attestee, true);
    await people.attestee.page.getByTestId('room-screen').waitFor();

    await expect
      .poll(async () => presentCount(await snapshotOf(chair)), {
        timeout: MEDIA_TIMEOUT_MS,
      })
      .toBe(3);
    const after = await snapshotOf(chair);
    expect(after.participants).toHaveLength(seatsBefore);
    expect(after.participants.filter((p) => p.role === 'attestee')).toHaveLength(1);

    const attesteePeerId = (await snapshotOf(people.attestee)).you.peerId;
    await expectFlowing(chair, attesteePeerId, 'camera', 'video');
    await expectFlowing(chair, attesteePeerId, 'microphone', 'audio');
  });

  it("lets the chair mute the expert, which stops the expert's microphone", async () => {
    const chair = people.chair;
    const expert = people.expert;
    const expertPeerId = (await snapshotOf(expert)).you.peerId;

    await chair.page
      .locator('[data-testid=tile][data-role=expert] [data-testid=mute]')
      .click();

    await expert.page.locator('[data-testid=notice][data-code=muted]').waitFor();
    await expect
      .poll(() => expert.page.getByTestId('toggle-mic').getAttribute('data-sending'))
      .toBe('false');
    await expect
      .poll(async () => {
        const participant = (await snapshotOf(chair)).participants.find(
          (p) => p.peerId === expertPeerId,
        );
        return participant?.producers.find((p) => p.source === 'microphone')?.paused;
      })
      .toBe(true);
  });

  it('reconnects the expert after a dropped connection and restores media both ways', async () => {
    const expert = people.expert;
    const chairPeerId = (await snapshotOf(people.chair)).you.peerId;
    const expertPersonId = (await snapshotOf(expert)).you.personId;

    cutConnectionOf(service, expertPersonId);

    const reconnecting = expert.page.locator(
      '[data-testid=notice][data-code=reconnecting]',
    );
    await reconnecting.waitFor();
    // It lasts for as long as the connection is away, not a fixed while.
    expect(await reconnecting.getAttribute('data-lasting')).toBe('true');
    await expert.page
      .locator('[data-testid=notice][data-code=reconnected]')
      .waitFor({ timeout: MEDIA_TIMEOUT_MS });
    expect(await reconnecting.count()).toBe(0);
    await expect.poll(() => screenOf(expert)).toBe('room');

    const newExpertPeerId = (await snapshotOf(expert)).you.peerId;
    await expectFlowing(expert, chairPeerId, 'camera', 'video');
    await expectFlowing(expert, chairPeerId, 'microphone', 'audio');
    await expectFlowing(people.chair, newExpertPeerId, 'camera', 'video');
  });

  it('warns before the limit and ends the review for all three at the limit', async () => {
    const endsAt = (await snapshotOf(people.chair)).clock.endsAt;
    expect(endsAt).toBeDefined();

    await people.expert.page
      .locator('[data-testid=notice][data-code=clock-warning]')
      .first()
      .waitFor({ timeout: LIMIT_SECONDS * 1000 });

    const endedAt = await Promise.all(
      (['chair', 'attestee', 'expert'] as const).map(async (person) => {
        const page = people[person];
        await page.page
          .getByTestId('end-screen')
          .waitFor({ timeout: LIMIT_SECONDS * 1000 });
        return {
          person,
          at: Date.now(),
          reason: await page.page.getByTestId('end-screen').getAttribute('data-reason'),
        };
      }),
    );

    for (const { reason, at } of endedAt) {
      expect(reason).toBe('time-limit');
      // The server cuts at endsAt; the page follows it, not its own countdown.
      expect(at).toBeGreaterThanOrEqual((endsAt ?? 0) - 250);
      expect(at - (endsAt ?? 0)).toBeLessThan(2_500);
    }
    await people.attestee.page.screenshot({ path: artifact('end.png') });
  });

  it('seals the recording into S3 as one playable H.264 + AAC file with a manifest', async () => {
    const store = service.objectStore;
    const manifestKey = recordingKeys.manifest(reviewId);
    await expect
      .poll(async () => (await store.head(manifestKey)) !== undefined, {
        timeout: SEAL_TIMEOUT_MS,
        interval: 1000,
      })
      .toBe(true);

    const manifest = JSON.parse(
      (await store.getBuffer(manifestKey)).toString('utf8'),
    ) as RecordingManifest;
    expect(manifest.reviewId).toBe(reviewId);
    // Three people, each with a microphone and a camera, plus the shared screen.
    const sources = manifest.tracks.map((t) => `${t.role}:${t.source}`);
    for (const role of ['chair', 'attestee', 'expert']) {
      expect(sources).toContain(`${role}:microphone`);
      expect(sources).toContain(`${role}:camera`);
    }
    expect(sources).toContain('attestee:screen');
    expect(manifest.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['start', 'warning', 'end']),
    );
    expect(manifest.composite).toBeDefined();

    const compositeFile = path.join(makeTempDir('sarapta-composite-'), 'composite.mp4');
    fs.writeFileSync(
      compositeFile,
      await store.getBuffer(recordingKeys.composite(reviewId)),
    );
    const probe = JSON.parse(
      execFileSync('ffprobe', [
        '-v',
        'error',
        '-print_format',
        'json',
        '-show_streams',
        '-show_format',
        compositeFile,
      ]).toString('utf8'),
    ) as { streams: { codec_name: string }[]; format: { duration: string } };
    const codecs = probe.streams.map((stream) => stream.codec_name);
    expect(codecs).toContain('h264');
    expect(codecs).toContain('aac');
    // The composite spans the recorded wall-clock time, which includes the whole review.
    const first = Math.min(...manifest.tracks.map((t) => Date.parse(t.startedAt)));
    const last = Math.max(...manifest.tracks.map((t) => Date.parse(t.endedAt)));
    const duration = Number(probe.format.duration);
    expect(Math.abs(duration - (last - first) / 1000)).toBeLessThan(1);
    expect(duration).toBeGreaterThanOrEqual(LIMIT_SECONDS - 1);
  });
});

async function createReview(): Promise<JoinLink[]> {
  const created = await testService.createReview('Attestation of a mathematics teacher');
  reviewId = created.reviewId;

  return created.links;
}

function frameSizeOf(figures: ConsumerFigures | undefined): {
  width?: number;
  height?: number;
} {
  return { width: figures?.frameWidth, height: figures?.frameHeight };
}

function artifact(name: string): string {
  return path.join(ARTIFACTS_DIR, `review-${name}`);
}

function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);

  return dir;
}
