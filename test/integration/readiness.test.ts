import type { AddressInfo } from 'node:net';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import express from 'express';
import * as mediasoup from 'mediasoup';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { databaseCheck } from '../../server/health/checks/database-check.ts';
import { ffmpegCheck } from '../../server/health/checks/ffmpeg-check.ts';
import { mediasoupWorkersCheck } from '../../server/health/checks/mediasoup-workers-check.ts';
import { s3Check } from '../../server/health/checks/s3-check.ts';
import { createHealthRouter } from '../../server/health/health-router.ts';
import type { ReadinessCheck, ReadinessReport } from '../../server/health/readiness.ts';
import { createSilentLogger } from '../../server/log/logger.ts';
import { openDatabase } from '../../server/store/database.ts';
import { ObjectStore } from '../../storage/object-store.ts';
import { freePort } from '../helpers/free-port.ts';
import { testObjectStoreOptions, uniqueBucketName } from '../helpers/s3-server.ts';

/** Serves the health router over real HTTP; closed when the test ends. */
async function serveHealth(checks: readonly ReadinessCheck[]): Promise<string> {
  const app = express().use(
    createHealthRouter({ checks, checkTimeoutMs: 3000, logger: createSilentLogger() }),
  );
  const server = app.listen(0, '127.0.0.1');
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise((resolve) => server.once('listening', resolve));

  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readyz(checks: readonly ReadinessCheck[]) {
  const reply = await fetch(`${await serveHealth(checks)}/readyz`);
  return { status: reply.status, body: (await reply.json()) as ReadinessReport };
}

function store(options: ConstructorParameters<typeof ObjectStore>[0]): ObjectStore {
  const created = new ObjectStore(options);
  onTestFinished(() => created.close());
  return created;
}

async function openWorker(): Promise<mediasoup.types.Worker> {
  const worker = await mediasoup.createWorker({ logLevel: 'error' });
  onTestFinished(() => worker.close());
  return worker;
}

function openMemoryDatabase() {
  const db = openDatabase(':memory:', []);
  onTestFinished(() => {
    if (db.isOpen) db.close();
  });
  return db;
}

let lockedBucket: string;

beforeAll(async () => {
  lockedBucket = uniqueBucketName('health-locked');
  const setupStore = new ObjectStore(testObjectStoreOptions(lockedBucket));
  try {
    await setupStore.ensureBucket();
  } finally {
    setupStore.close();
  }
});

/** Every check against a working component. */
async function healthyChecks(): Promise<Record<string, ReadinessCheck>> {
  const worker = await openWorker();
  return {
    'mediasoup-workers': mediasoupWorkersCheck(() => [worker]),
    s3: s3Check(store(testObjectStoreOptions(lockedBucket)), {
      allowWithoutObjectLock: false,
    }),
    database: databaseCheck(openMemoryDatabase()),
    ffmpeg: ffmpegCheck('/usr/bin/ffmpeg'),
  };
}

/** Asserts /readyz is 503 with exactly `failing` failed, its reason matching `reason`. */
async function expectOnlyFailing(
  checks: Record<string, ReadinessCheck>,
  failing: string,
  reason: RegExp,
): Promise<void> {
  const { status, body } = await readyz(Object.values(checks));

  expect(status).toBe(503);
  expect(body.ok).toBe(false);
  const failed = Object.entries(body.checks).filter(([, outcome]) => !outcome.ok);
  expect(failed.map(([name]) => name)).toEqual([failing]);
  expect(body.checks[failing]?.error).toMatch(reason);
}

describe('health router', () => {
  it('GET /healthz answers 200 even when a check fails', async () => {
    const failing = { name: 'broken', check: () => Promise.reject(new Error('down')) };
    const reply = await fetch(`${await serveHealth([failing])}/healthz`);

    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ ok: true });
  });

  it('GET /readyz answers 200 with every check ok when all components work', async () => {
    const { status, body } = await readyz(Object.values(await healthyChecks()));

    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      checks: {
        'mediasoup-workers': { ok: true },
        s3: { ok: true },
        database: { ok: true },
        ffmpeg: { ok: true },
      },
    });
  });

  it('GET /readyz answers 503 naming the S3 check when nothing listens at the endpoint', async () => {
    const checks = await healthyChecks();
    const stopped = {
      ...testObjectStoreOptions(lockedBucket),
      endpoint: `http://127.0.0.1:${await freePort()}`,
    };
    checks.s3 = s3Check(store(stopped), { allowWithoutObjectLock: false });

    await expectOnlyFailing(checks, 's3', /GetObjectLockConfiguration failed|no answer/);
  });

  it('GET /readyz answers 503 naming the S3 check when the bucket has no Object Lock', async () => {
    const plainBucket = uniqueBucketName('health-plain');
    const plain = store(testObjectStoreOptions(plainBucket));
    await plain.client.send(new CreateBucketCommand({ Bucket: plainBucket }));
    const checks = await healthyChecks();
    checks.s3 = s3Check(plain, { allowWithoutObjectLock: false });

    await expectOnlyFailing(checks, 's3', /has no Object Lock/);
  });

  it('GET /readyz accepts a bucket without Object Lock when the operator allowed it', async () => {
    const plainBucket = uniqueBucketName('health-allowed');
    const plain = store(testObjectStoreOptions(plainBucket));
    await plain.client.send(new CreateBucketCommand({ Bucket: plainBucket }));
    const checks = await healthyChecks();
    checks.s3 = s3Check(plain, { allowWithoutObjectLock: true });

    expect((await readyz(Object.values(checks))).status).toBe(200);
  });

  it('GET /readyz answers 503 naming the database check when the database is closed', async () => {
    const db = openMemoryDatabase();
    db.close();
    const checks = await healthyChecks();
    checks.database = databaseCheck(db);

    await expectOnlyFailing(checks, 'database', /not open/);
  });

  it('GET /readyz answers 503 naming the ffmpeg check when ffmpeg is not at its path', async () => {
    const checks = await healthyChecks();
    checks.ffmpeg = ffmpegCheck('/nonexistent/ffmpeg');

    await expectOnlyFailing(checks, 'ffmpeg', /\/nonexistent\/ffmpeg -version failed/);
  });

  it('GET /readyz answers 503 naming the worker check when the worker was closed', async () => {
    const worker = await openWorker();
    worker.close();
    const checks = await healthyChecks();
    checks['mediasoup-workers'] = mediasoupWorkersCheck(() => [worker]);

    await expectOnlyFailing(checks, 'mediasoup-workers', /is closed/);
  });

  it('GET /readyz answers 503 naming the worker check when the worker process died', async () => {
    const worker = await openWorker();
    const died = new Promise((resolve) => worker.once('died', resolve));
    process.kill(worker.pid, 'SIGKILL');
    await died;
    const checks = await healthyChecks();
    checks['mediasoup-workers'] = mediasoupWorkersCheck(() => [worker]);

    await expectOnlyFailing(checks, 'mediasoup-workers', /died/);
  });

  it('GET /readyz answers 503 when there is no worker at all', async () => {
    const checks = await healthyChecks();
    checks['mediasoup-workers'] = mediasoupWorkersCheck(() => []);

    await expectOnlyFailing(checks, 'mediasoup-workers', /no mediasoup worker/);
  });

  it('GET /readyz counts a check that does not answer in time as failed', async () => {
    const checks = await healthyChecks();
    checks.database = {
      name: 'database',
      check: () => new Promise<void>(() => undefined),
    };

    await expectOnlyFailing(checks, 'database', /no answer within 3000 ms/);
  });
});
