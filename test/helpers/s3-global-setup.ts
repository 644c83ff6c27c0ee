/**
 * Vitest global setup of the integration and browser projects: starts one
 * Ceph RGW on memstore for the whole run (on free ports, because other RGW
 * instances may be running on the defaults), warms it up, and provides its
 * endpoint to the tests (see s3-server.ts).
 *
 * Set SARAPTA_TEST_S3_ENDPOINT, SARAPTA_TEST_S3_ACCESS_KEY_ID and
 * SARAPTA_TEST_S3_SECRET_ACCESS_KEY to run against an S3 that is already
 * running instead; lifecycle tests then run at that server's pace.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_S3_REGION } from '../../server/config/defaults.ts';
import { createLogger } from '../../server/log/logger.ts';
import { EmbeddedS3 } from '../../storage/embedded-s3/embedded-s3.ts';
import { ObjectStore } from '../../storage/object-store.ts';
import { freePort } from './free-port.ts';
import type { TestS3 } from './s3-server.ts';

/** One lifecycle "day" of the test RGW, in seconds: lifecycle tests take seconds. */
const LIFECYCLE_DAY_SECONDS = 10;

/** The server shared by every project of this process, and how many projects use it. */
interface SharedServer {
  ready: Promise<TestS3>;
  users: number;
  stop(): Promise<void>;
}

// Each project loads this module separately, so the one server hangs off the process.
const SHARED = Symbol.for('sarapta.test.s3');
const registry = globalThis as { [SHARED]?: SharedServer };

/** Starts (or joins) the suite's S3 and provides it; the returned teardown leaves it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  registry[SHARED] ??= startSharedServer();
  const shared = registry[SHARED];
  shared.users += 1;

  project.provide('testS3', await shared.ready);

  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;

    delete registry[SHARED];
    await shared.stop();
  };
}

function startSharedServer(): SharedServer {
  const external = process.env.SARAPTA_TEST_S3_ENDPOINT;
  if (external) {
    const s3: TestS3 = {
      endpoint: external,
      region: DEFAULT_S3_REGION,
      accessKeyId: requiredEnv('SARAPTA_TEST_S3_ACCESS_KEY_ID'),
      secretAccessKey: requiredEnv('SARAPTA_TEST_S3_SECRET_ACCESS_KEY'),
      lifecycleDaySeconds: undefined,
    };
    return { ready: Promise.resolve(s3), users: 0, stop: async () => undefined };
  }

  // Short path: Ceph's admin sockets live under it, and socket paths are capped at 108 bytes.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-s3-'));
  let server: EmbeddedS3 | undefined;

  const ready = (async (): Promise<TestS3> => {
    server = new EmbeddedS3({
      dir,
      store: 'memstore',
      rgwPort: await freePort(),
      monPort: await freePort(),
      accessKey: 'sarapta-test',
      secretKey: 'sarapta-test-secret',
      lcDebugIntervalSeconds: LIFECYCLE_DAY_SECONDS,
      logger: createLogger({ level: process.env.SARAPTA_TEST_S3_LOG_LEVEL ?? 'warn' }),
    });
    const endpoint = await server.start();
    const s3: TestS3 = {
      ...endpoint,
      region: DEFAULT_S3_REGION,
      lifecycleDaySeconds: LIFECYCLE_DAY_SECONDS,
    };
    await warmUp(s3);
    return s3;
  })();

  return {
    ready,
    users: 0,
    stop: async () => {
      await server?.stop('test run finished');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The first bucket and the first object of a new cluster take seconds each
 * (RGW creates its pools then); paying that here keeps it out of test timings.
 */
async function warmUp(s3: TestS3): Promise<void> {
  const store = new ObjectStore({
    ...s3,
    bucket: 'warm-up',
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
  });
  try {
    await store.ensureBucket();
    await store.putLocked({
      key: 'warm-up.txt',
      body: Buffer.from('warm'),
      contentType: 'text/plain',
      retainUntil: new Date(Date.now() + 60_000),
    });
  } finally {
    store.close();
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} must be set together with SARAPTA_TEST_S3_ENDPOINT`);
  return value;
}
