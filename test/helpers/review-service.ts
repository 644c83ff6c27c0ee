/**
 * The real service as the browser tests run it: the review page built from
 * the current sources into a private folder, the service started on a free
 * HTTP port against the suite's S3 with a short review limit, and reviews
 * created over the operator API. Closing stops the service and removes the
 * folders it made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { startSarapta, type Sarapta } from '../../server/app.ts';
import { configSchema, type Config } from '../../server/config/config.ts';
import { createLogger } from '../../server/log/logger.ts';
import { testS3, uniqueBucketName } from './s3-server.ts';

const OPERATOR_KEY = 'browser-test-operator-key';
const CLIENT_DIR = path.resolve(import.meta.dirname, '../../client');

/** How one browser test wants the service. */
export interface BrowserTestServiceOptions {
  /** Names the temporary folders, the bucket and the token secret. */
  name: string;
  limitSeconds: number;
  warningsSeconds: number[];
  /** A WebRTC port range of its own, so test files never share ports. */
  rtcMinPort: number;
  rtcMaxPort: number;
  /** TURN servers and ICE policy handed to the browsers. */
  ice?: Partial<Pick<Config['media'], 'turnServers' | 'iceTransportPolicy'>>;
}

/** One join link per person, as the operator API returns them. */
export interface JoinLink {
  role: string;
  url: string;
}

/** The running service and what the tests do with it. */
export interface BrowserTestService {
  service: Sarapta;
  /** Creates a remote review of one attestee, the chair and one expert. */
  createReview(subject: string): Promise<{ reviewId: string; links: JoinLink[] }>;
  /** Cancels a review over the operator API, as an operator would. */
  cancelReview(reviewId: string): Promise<void>;
  close(reason: string): Promise<void>;
}

/** Builds the review page and starts the service. */
export async function startBrowserTestService(
  options: BrowserTestServiceOptions,
): Promise<BrowserTestService> {
  const tempDirs: string[] = [];
  const makeTempDir = (purpose: string): string => {
    const dir = fs.mkdtempSync(
      path.join(os.tmpdir(), `sarapta-${options.name}-${purpose}-`),
    );
    tempDirs.push(dir);
    return dir;
  };

  const clientDist = makeTempDir('client');
  await build({
    configFile: path.join(CLIENT_DIR, 'vite.config.ts'),
    build: {
      outDir: clientDist,
      emptyOutDir: true,
      rollupOptions: { input: { join: path.join(CLIENT_DIR, 'join.html') } },
    },
    logLevel: 'warn',
  });

  const s3 = testS3();
  const config = configSchema.parse({
    logLevel: 'warn',
    dataDir: makeTempDir('data'),
    http: { host: '127.0.0.1', port: 0 },
    auth: {
      operatorKey: OPERATOR_KEY,
      tokenSecret: `${options.name}-test-token-secret-0123456789abcdef`,
    },
    media: {
      workers: 1,
      rtcMinPort: options.rtcMinPort,
      rtcMaxPort: options.rtcMaxPort,
      ...options.ice,
    },
    review: {
      limitSeconds: options.limitSeconds,
      warningsSeconds: options.warningsSeconds,
    },
    s3: {
      endpoint: s3.endpoint,
      region: s3.region,
      bucket: uniqueBucketName(options.name),
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    },
  });
  const service = await startSarapta(config, {
    logger: createLogger({ level: 'warn' }),
    clientDistDir: clientDist,
  });

  return {
    service,
    createReview: (subject) => createReview(service.url, subject),
    cancelReview: (reviewId) => cancelReview(service.url, reviewId),
    async close(reason) {
      await service.close(reason);
      for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Cuts the socket of `personId` under socket.io, as a network failure would;
 * socket.io's own disconnect() would be a deliberate close, which the page
 * accepts without reconnecting.
 */
export function cutConnectionOf(service: Sarapta, personId: string): void {
  const socket = [...service.signalling.io.of('/').sockets.values()].find(
    (s) => s.data.identity.person.personId === personId,
  );
  if (!socket) throw new Error(`${personId} has no connection to cut`);

  socket.conn.close();
}

/** The join link of the person with `role`. */
export function linkFor(links: JoinLink[], role: string): string {
  const link = links.find((l) => l.role === role);
  if (!link) throw new Error(`no join link for ${role}`);

  return link.url;
}

async function createReview(
  url: string,
  subject: string,
): Promise<{ reviewId: string; links: JoinLink[] }> {
  const response = await fetch(`${url}/api/reviews`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${OPERATOR_KEY}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      subject,
      claimedCategory: 'teacher-expert',
      format: 'remote',
      scheduledStart: new Date().toISOString(),
      attestee: { displayName: 'Aigerim Sultanova' },
      chair: { displayName: 'Bolat Nurlanov' },
      experts: [{ displayName: 'Dana Seitkali' }],
    }),
  });
  if (response.status !== 201) {
    throw new Error(
      `creating a review answered ${response.status}: ${await response.text()}`,
    );
  }
  const body = (await response.json()) as {
    data: { review: { reviewId: string }; links: JoinLink[] };
  };

  return { reviewId: body.data.review.reviewId, links: body.data.links };
}

async function cancelReview(url: string, reviewId: string): Promise<void> {
  const response = await fetch(`${url}/api/reviews/${reviewId}/cancel`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR_KEY}` },
  });
  if (response.status !== 200) {
    throw new Error(
      `cancelling a review answered ${response.status}: ${await response.text()}`,
    );
  }
}
