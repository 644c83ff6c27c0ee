/**
 * The pre-flight's media-path check in real Chromium against the real
 * service: before anyone admits them, an attestee sees whether their video
 * reaches the media server and how, as the server measured it.
 *
 * - An open network: the video arrives over UDP at a non-zero rate, and the
 *   chair already in the room never sees or receives that track, nor does
 *   the recording count it.
 * - A network where only a TURN relay gets through (relay-only ICE policy, a
 *   real coturn over TCP): the video arrives through the relay.
 * - A blocked network (relay-only ICE policy and a TURN server that does not
 *   answer, so no path can form): the page says so and what to do, and the
 *   way to the lobby stays open.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/i18n/review-messages/en.ts';
import { launchBrowser, openPersonPage, type PersonPage } from '../helpers/browser.ts';
import {
  MEDIA_TIMEOUT_MS,
  passPreflight,
  screenOf,
  snapshotOf,
  type ReviewPage,
} from '../helpers/review-page.ts';
import {
  linkFor,
  startBrowserTestService,
  type BrowserTestService,
} from '../helpers/review-service.ts';
import { startTurnRelay, type TurnRelay } from '../helpers/turn-server.ts';

/** The reviews here are never started. */
const LIMIT_SECONDS = 600;
const TURN_PORT = 45900;
const RELAY_MIN_PORT = 45910;
const RELAY_MAX_PORT = 45989;
const TURN_SECRET = 'preflight-probe-test-shared-secret';
/** Nothing listens here: a TURN server that never answers. */
const DEAD_TURN_PORT = 45999;
const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');

let browser: Browser;
const pages: PersonPage[] = [];

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const page of pages) {
    fs.writeFileSync(
      path.join(ARTIFACTS_DIR, `preflight-probe-${page.name}-console.log`),
      page.consoleLines.join('\n'),
    );
  }
  await browser?.close();
});

/** Opens `role`'s link and goes on to the pre-flight, without joining. */
async function openPreflight(
  links: { role: string; url: string }[],
  role: string,
  name: string,
): Promise<PersonPage> {
  const page = await openPersonPage(browser, name);
  pages.push(page);
  await page.goto(linkFor(links, role));
  await page.click('[data-testid=continue]');
  await page.waitFor('[data-testid=preflight-screen]');

  return page;
}

/** Waits for the media-path check to finish; resolves with the outcome it shows. */
async function mediaPathOutcome(page: ReviewPage): Promise<string> {
  const shown = () =>
    page.evaluate(
      () =>
        document
          .querySelector('[data-testid=media-path-status]')
          ?.getAttribute('data-outcome') ?? 'none',
    );
  await expect
    .poll(shown, {
      timeout: MEDIA_TIMEOUT_MS,
      message: `${page.name}: media path checked`,
    })
    .not.toMatch(/^(none|checking)$/);

  return shown();
}

/** The message key and text of the media-path line. */
function mediaPathText(page: ReviewPage): Promise<{ key: string; text: string }> {
  return page.evaluate(() => {
    const status = document.querySelector('[data-testid=media-path-status]');
    return {
      key: status?.getAttribute('data-i18n') ?? '',
      text: status?.textContent ?? '',
    };
  });
}

describe('on an open network', () => {
  let testService: BrowserTestService;
  let chair: PersonPage;
  let attestee: PersonPage;

  beforeAll(async () => {
    testService = await startBrowserTestService({
      name: 'probe-open',
      limitSeconds: LIMIT_SECONDS,
      warningsSeconds: [],
      rtcMinPort: 45000,
      rtcMaxPort: 45299,
    });
  });

  afterAll(async () => {
    await testService?.close('preflight probe test finished');
  });

  it('shows the attestee that video reaches the server over UDP, at a measured rate', async () => {
    const { links } = await testService.createReview('Attestation of a physics teacher');
    chair = await openPersonPage(browser, 'open-chair');
    pages.push(chair);
    await chair.goto(linkFor(links, 'chair'));
    await passPreflight(chair, false);
    await expect.poll(() => screenOf(chair)).toBe('room');

    attestee = await openPreflight(links, 'attestee', 'open-attestee');

    expect(await mediaPathOutcome(attestee)).toBe('udp');
    const figures = await attestee.evaluate(() => window.__sarapta?.mediaPath());
    expect(figures).toMatchObject({
      outcome: 'udp',
      protocol: 'udp',
      relayed: false,
      browserState: 'connected',
    });
    expect(figures?.bytesReceived).toBeGreaterThan(0);
    expect(figures?.bitrate).toBeGreaterThan(0);
    const kbps = Math.round((figures?.bitrate ?? 0) / 1000);
    expect(await mediaPathText(attestee)).toEqual({
      key: 'preflight.mediaPathUdp',
      text: en['preflight.mediaPathUdp'].replace('{kbps}', String(kbps)),
    });
    await attestee.screenshot(path.join(ARTIFACTS_DIR, 'preflight-probe-udp.png'));
  });

  it('keeps the probed video from the chair, the room and the recording', async () => {
    const chairView = await snapshotOf(chair);
    const waiting = chairView.participants.find((p) => p.role === 'attestee');
    expect(waiting).toMatchObject({ seat: 'lobby', connected: true, producers: [] });
    // The chair's own microphone and camera are all the recording expects.
    const own = chairView.participants.find((p) => p.role === 'chair');
    expect(own?.producers.map((p) => p.source).sort()).toEqual(['camera', 'microphone']);
    expect(chairView.recording.tracksExpected).toBe(2);

    const received = await chair.evaluate(
      () => window.__sarapta?.consumerFigures() ?? [],
    );
    expect(received.filter((f) => f.peerId === waiting?.peerId)).toEqual([]);
  });

  it('lets the attestee go on to the lobby', async () => {
    await attestee.click('[data-testid=consent]');
    await attestee.click('[data-testid=join]');

    await attestee.waitFor('[data-testid=lobby-screen]');
  });
});

describe('where only a TURN relay gets through', () => {
  let relay: TurnRelay;
  let testService: BrowserTestService;

  beforeAll(async () => {
    relay = await startTurnRelay({
      listeningPort: TURN_PORT,
      relayMinPort: RELAY_MIN_PORT,
      relayMaxPort: RELAY_MAX_PORT,
      secret: TURN_SECRET,
    });
    testService = await startBrowserTestService({
      name: 'probe-relay',
      limitSeconds: LIMIT_SECONDS,
      warningsSeconds: [],
      rtcMinPort: 45300,
      rtcMaxPort: 45599,
      ice: {
        turnServers: [
          { urls: `turn:127.0.0.1:${TURN_PORT}?transport=tcp`, secret: TURN_SECRET },
        ],
        iceTransportPolicy: 'relay',
      },
    });
  });

  afterAll(async () => {
    await testService?.close('preflight probe test finished');
    await relay?.close();
  });

  it('shows the attestee that video reaches the server through the relay', async () => {
    const { links } = await testService.createReview('Attestation of a history teacher');
    const attestee = await openPreflight(links, 'attestee', 'relay-attestee');

    expect(await mediaPathOutcome(attestee), `coturn log:\n${relay.log()}`).toBe('relay');
    const figures = await attestee.evaluate(() => window.__sarapta?.mediaPath());
    expect(figures).toMatchObject({ outcome: 'relay', relayed: true });
    expect(figures?.bytesReceived).toBeGreaterThan(0);
    expect((await mediaPathText(attestee)).key).toBe('preflight.mediaPathRelay');
  });
});

describe('on a network that blocks the media path', () => {
  let testService: BrowserTestService;

  beforeAll(async () => {
    testService = await startBrowserTestService({
      name: 'probe-blocked',
      limitSeconds: LIMIT_SECONDS,
      warningsSeconds: [],
      rtcMinPort: 45600,
      rtcMaxPort: 45899,
      ice: {
        turnServers: [
          {
            urls: `turn:127.0.0.1:${DEAD_TURN_PORT}?transport=tcp`,
            username: 'school',
            credential: 'school-password',
          },
        ],
        iceTransportPolicy: 'relay',
      },
    });
  });

  afterAll(async () => {
    await testService?.close('preflight probe test finished');
  });

  it('tells the attestee what to do, and still lets them into the lobby', async () => {
    const { links } = await testService.createReview(
      'Attestation of a chemistry teacher',
    );
    const attestee = await openPreflight(links, 'attestee', 'blocked-attestee');

    expect(await mediaPathOutcome(attestee)).toBe('blocked');
    expect(await attestee.evaluate(() => window.__sarapta?.mediaPath())).toMatchObject({
      outcome: 'blocked',
      bytesReceived: 0,
      relayed: false,
    });
    expect(await mediaPathText(attestee)).toEqual({
      key: 'preflight.mediaPathBlocked',
      text: en['preflight.mediaPathBlocked'],
    });
    // Signalling works all the same; only the media path is blocked.
    expect(
      await attestee.evaluate(() =>
        document
          .querySelector('[data-testid=connectivity-status]')
          ?.getAttribute('data-i18n'),
      ),
    ).toBe('preflight.connected');
    await attestee.screenshot(path.join(ARTIFACTS_DIR, 'preflight-probe-blocked.png'));

    await attestee.click('[data-testid=consent]');
    await attestee.click('[data-testid=join]');
    await attestee.waitFor('[data-testid=lobby-screen]');
    expect((await snapshotOf(attestee)).you.seat).toBe('lobby');
  });
});
