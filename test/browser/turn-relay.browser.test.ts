/**
 * Strict networks in real Chromium: with the relay-only ICE policy, the
 * chair's and the attestee's media go through a real TURN relay (Debian's
 * coturn), reached over TCP as from a school network that lets nothing else
 * out, with credentials the service minted per connection from the secret
 * it shares with the relay. Each page decodes the other's audio and video.
 *
 * That the path is relayed is read on the server: mediasoup sees every
 * browser transport's packets come from a port in coturn's relay range,
 * where a direct path would show the browser's own port.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import type { Browser } from 'playwright-core';
import type { WebRtcTransport } from 'mediasoup/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  seatChairAndAttestee,
  type PersonPage,
} from '../helpers/browser.ts';
import {
  expectMediaBothWays,
  MEDIA_TIMEOUT_MS,
  snapshotOf,
} from '../helpers/review-page.ts';
import {
  startBrowserTestService,
  type BrowserTestService,
} from '../helpers/review-service.ts';
import { startTurnRelay, type TurnRelay } from '../helpers/turn-server.ts';

/** The review is never started here, so its clock never runs. */
const LIMIT_SECONDS = 600;
const TURN_PORT = 46600;
const RELAY_MIN_PORT = 46500;
const RELAY_MAX_PORT = 46599;
const TURN_SECRET = 'turn-relay-test-shared-secret';

type Person = 'chair' | 'attestee';

let relay: TurnRelay;
let testService: BrowserTestService;
let browser: Browser;
const people = {} as Record<Person, PersonPage>;
/** Every browser transport the media worker creates, by browser peer id. */
const browserTransports = new Map<string, WebRtcTransport[]>();

beforeAll(async () => {
  relay = await startTurnRelay({
    listeningPort: TURN_PORT,
    relayMinPort: RELAY_MIN_PORT,
    relayMaxPort: RELAY_MAX_PORT,
    secret: TURN_SECRET,
  });
  testService = await startBrowserTestService({
    name: 'turn-relay',
    limitSeconds: LIMIT_SECONDS,
    warningsSeconds: [],
    rtcMinPort: 46000,
    rtcMaxPort: 46499,
    ice: {
      turnServers: [
        { urls: `turn:127.0.0.1:${TURN_PORT}?transport=tcp`, secret: TURN_SECRET },
      ],
      iceTransportPolicy: 'relay',
    },
  });
  const [worker] = testService.service.pool.workers;
  if (!worker) throw new Error('the service started no media worker');
  worker.observer.on('newrouter', (router) => {
    router.observer.on('newtransport', (transport) => {
      // Browser transports carry their peer; the recorder's PlainTransports do not.
      const peerId = transport.appData.peerId;
      if (typeof peerId !== 'string') return;
      const list = browserTransports.get(peerId) ?? [];
      list.push(transport as WebRtcTransport);
      browserTransports.set(peerId, list);
    });
  });

  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await testService?.close('turn relay test finished');
  await relay?.close();
});

describe('media through a TURN relay', () => {
  it('seats the chair and the attestee, who decode each other through the relay', async () => {
    const { links } = await testService.createReview('Attestation of a biology teacher');
    Object.assign(people, await seatChairAndAttestee(browser, links));

    await expectMediaBothWays(people.chair, people.attestee);
  });

  it('receives every browser transport from the relay, never directly', async () => {
    for (const person of ['chair', 'attestee'] as const) {
      const { peerId } = (await snapshotOf(people[person])).you;
      const transports = browserTransports.get(peerId) ?? [];
      expect(transports.map((t) => t.appData.direction).sort()).toEqual(['recv', 'send']);

      for (const transport of transports) {
        await expect
          .poll(() => transport.iceSelectedTuple?.remotePort ?? 0, {
            timeout: MEDIA_TIMEOUT_MS,
            message: `${person} ${String(transport.appData.direction)} transport has a path`,
          })
          .toBeGreaterThan(0);
        const tuple = transport.iceSelectedTuple;
        expect(tuple?.remoteIp).toBe('127.0.0.1');
        expect(tuple?.remotePort).toBeGreaterThanOrEqual(RELAY_MIN_PORT);
        expect(tuple?.remotePort).toBeLessThanOrEqual(RELAY_MAX_PORT);
      }
    }
  });

  it('was let through the relay on the minted credentials, one user per connection', async () => {
    const log = relay.log();
    for (const person of ['chair', 'attestee'] as const) {
      const { peerId } = (await snapshotOf(people[person])).you;
      // coturn names the user of every request it authenticated: <expiry>:<peer id>.
      expect(log, `coturn log:\n${log}`).toMatch(
        new RegExp(`user <\\d+:${peerId}>: incoming packet ALLOCATE processed, success`),
      );
    }
  });
});
