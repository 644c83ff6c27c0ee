/**
 * A review cancelled while its attestee waits in the lobby, nobody admitted,
 * so no media was ever captured: the real service (mediasoup worker,
 * recorder, sealer, S3) seals it as an empty recording (a manifest with the
 * people and events, zero tracks, no composite, hash-chained like any other),
 * leaves no seal to retry, and the archive API shows the review as cancelled
 * and its recording as empty, with nothing to play.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainHead,
  chainItems,
  type RecordingManifest,
} from '../../../recording/manifest.ts';
import type { RecordingDetail } from '../../../server/archive/recording-detail.ts';
import type { RecordingProgress } from '../../../server/archive/recording-progress.ts';
import { startSarapta, type Sarapta } from '../../../server/app.ts';
import { configSchema } from '../../../server/config/config.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import { testS3, uniqueBucketName } from '../../helpers/s3-server.ts';

const OPERATOR_KEY = 'cancelled-review-operator-key';

let dataDir: string;
let service: Sarapta;
let archivistToken: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-cancelled-'));
  const s3 = testS3();
  const config = configSchema.parse({
    logLevel: 'silent',
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    auth: {
      operatorKey: OPERATOR_KEY,
      tokenSecret: 'cancelled-review-test-token-secret-0123456789',
    },
    media: { workers: 1, workerBin: process.env.MEDIASOUP_WORKER_BIN },
    s3: {
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: uniqueBucketName('cancelled'),
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    },
  });
  service = await startSarapta(config, { logger: createSilentLogger() });
  archivistToken = await service.tokens.signArchivist(
    { archivistId: 'archivist-cancel' },
    600,
  );
}, 120_000);

afterAll(async () => {
  await service?.close('test-finished');
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function operator(
  method: string,
  route: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${service.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${OPERATOR_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function archive(method: string, route: string): Promise<Response> {
  return fetch(`${service.url}/api/archive${route}`, {
    method,
    headers: {
      authorization: `Bearer ${archivistToken}`,
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    body: method === 'POST' ? '{}' : undefined,
  });
}

/** Connects a person's page as the pre-flight does, and waits to be seated. */
async function connect(linkUrl: string): Promise<() => void> {
  const token = new URL(linkUrl).hash.replace(/^#token=/, '');
  const socket = io(service.url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('session:snapshot', () => resolve());
    socket.once('connect_error', reject);
  });

  return () => socket.disconnect();
}

describe('a review cancelled with nobody admitted', () => {
  it('is sealed as an empty recording that the archive shows as cancelled and empty', async () => {
    const created = await operator('POST', '/api/reviews', {
      subject: 'Биология, 10 сынып',
      claimedCategory: 'teacher-expert',
      scheduledStart: new Date(Date.now() + 3600_000).toISOString(),
      attestee: { displayName: 'Аружан Бекова' },
      chair: { displayName: 'Нұрлан Әбенов' },
      experts: [{ displayName: 'Дана Омарова' }],
    });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as {
      data: {
        review: { reviewId: string };
        links: { role: string; url: string; personId?: string }[];
      };
    };
    const reviewId = data.review.reviewId;
    const attesteeLink = data.links.find((link) => link.role === 'attestee');
    if (!attesteeLink) throw new Error('no attestee link');

    // The attestee waits in the lobby; the chair never comes, so nobody is admitted.
    const leave = await connect(attesteeLink.url);
    const cancelled = await operator('POST', `/api/reviews/${reviewId}/cancel`, {});
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    leave();

    await expect
      .poll(
        async () => {
          const reply = await archive('GET', `/progress?reviewId=${reviewId}`);
          const { items } = (await reply.json()) as { items: RecordingProgress[] };
          return items[0]?.status;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe('empty');

    const detail = (await (
      await archive('GET', `/recordings/${reviewId}`)
    ).json()) as RecordingDetail;
    expect(detail.review.state).toBe('cancelled');
    expect(detail.recording).toMatchObject({
      status: 'empty',
      state: 'sealed',
      sealing: null,
      nothingRecorded: true,
    });
    expect(detail.recording.sealedAt).not.toBeNull();
    expect(detail.composite).toBeNull();
    expect(detail.tracks).toEqual([]);
    const end = detail.events.find((event) => event.type === 'end');
    expect(end?.data).toMatchObject({ reason: 'cancelled' });
    expect(detail.events.map((event) => event.type)).toContain('join');

    // The manifest is the evidence: people and events, zero tracks, no composite, chained.
    const manifestKey = detail.recording.manifestKey;
    if (!manifestKey) throw new Error('no manifest key');
    const manifest = JSON.parse(
      (await service.objectStore.getBuffer(manifestKey)).toString('utf8'),
    ) as RecordingManifest;
    expect(manifest.tracks).toEqual([]);
    expect(manifest.composite).toBeUndefined();
    expect(manifest.participants.map((p) => p.displayName)).toContain('Аружан Бекова');
    expect(manifest.events.map((e) => e.type)).toEqual(detail.events.map((e) => e.type));
    const { chain, ...unchained } = manifest;
    expect(chain.head).toBe(chainHead(chainItems(unchained)));
    expect(detail.recording.chainHead).toBe(chain.head);

    // Nothing to play or download, and the integrity check passes on the manifest.
    const playback = await archive('POST', `/recordings/${reviewId}/playback`);
    expect(playback.status, await playback.clone().text()).toBe(404);
    const verify = (await (
      await archive('POST', `/recordings/${reviewId}/verify`)
    ).json()) as { ok: boolean; objectsChecked: number };
    expect(verify.ok).toBe(true);

    // Sealed once: no failed attempt counted, nothing waiting to be tried again.
    expect(service.recording?.sealRetriesWaiting).toBe(0);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/sarapta_recording_seals_total\{outcome="sealed"\} 1\b/);
    expect(metrics).not.toMatch(
      /sarapta_recording_seals_total\{outcome="failed"\} [1-9]/,
    );

    const found = (await (await archive('GET', '/recordings?status=empty')).json()) as {
      items: { reviewId: string; reviewState: string }[];
    };
    expect(found.items).toEqual([
      expect.objectContaining({ reviewId, reviewState: 'cancelled' }),
    ]);
  }, 120_000);
});
