/**
 * Starts the real service (real mediasoup worker, real socket.io, SQLite in a
 * temporary directory) for review tests, creates reviews over HTTP and
 * connects socket.io clients as the people of a review. Everything a helper
 * creates is closed when the test finishes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as mediasoup from 'mediasoup';
import type { Worker } from 'mediasoup/types';
import { io, type Socket } from 'socket.io-client';
import { expect, onTestFinished } from 'vitest';
import { startSarapta, type Sarapta, type SaraptaDeps } from '../../../server/app.ts';
import { configSchema, type Config } from '../../../server/config/config.ts';
import { createSilentLogger } from '../../../server/log/logger.ts';
import type { CreatedReview, JoinLink } from '../../../server/review/review-service.ts';
import type { Role } from '../../../server/review/review-types.ts';
import type {
  Ack,
  ClientToServerEvents,
  ServerToClientEvents,
  SessionSnapshot,
} from '../../../server/signalling/protocol.ts';
import { TestRecorder } from './test-recorder.ts';
import { ObjectStore } from '../../../storage/object-store.ts';
import { testObjectStoreOptions } from '../../helpers/s3-server.ts';

export const OPERATOR_KEY = 'test-operator-key-0123456789';
/** One bucket for every review-logic test: they record nothing into it. */
const REVIEW_TESTS_BUCKET = 'review-tests';

/** A socket.io client typed with the review contract. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A started service plus the recorders it created, by review id. */
export interface TestService {
  app: Sarapta;
  recorders: Map<string, TestRecorder>;
}

/** Starts the service on a free port with one media worker. Closed after the test. */
export async function startTestService(
  overrides: {
    review?: Partial<Config['review']>;
    media?: Partial<Config['media']>;
    autoWrite?: boolean;
    /** A data folder of a service started before (a restart); the caller removes it. */
    dataDir?: string;
  } = {},
  deps: SaraptaDeps = {},
): Promise<TestService> {
  let dataDir = overrides.dataDir;
  if (!dataDir) {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-review-'));
    onTestFinished(() => fs.rmSync(fresh, { recursive: true, force: true }));
    dataDir = fresh;
  }

  const config = configSchema.parse({
    logLevel: 'silent',
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    auth: { operatorKey: OPERATOR_KEY },
    media: {
      workers: 1,
      workerBin: process.env.MEDIASOUP_WORKER_BIN,
      ...overrides.media,
    },
    review: overrides.review ?? {},
  });
  const recorders = new Map<string, TestRecorder>();
  const objectStore = new ObjectStore(testObjectStoreOptions(REVIEW_TESTS_BUCKET));
  const app = await startSarapta(config, {
    logger: createSilentLogger(),
    objectStore,
    createRecorder: (reviewId) => {
      const recorder = new TestRecorder({ autoWrite: overrides.autoWrite ?? true });
      recorders.set(reviewId, recorder);
      return recorder;
    },
    ...deps,
  });
  onTestFinished(async () => {
    await app.close('test-finished');
    objectStore.close();
  });

  return { app, recorders };
}

/** Resolves with the error code the server put in connect_error. */
export function refusalCode(service: TestService, token: unknown): Promise<string> {
  const socket = openSocket(service, token);

  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the socket was let in')));
    socket.once('connect_error', (err) => {
      resolve((err as Error & { data?: { code?: string } }).data?.code ?? 'no code');
    });
  });
}

/** Creates a remote review with one expert over the HTTP API. */
export async function createReview(
  service: TestService,
  body: Record<string, unknown> = {},
): Promise<CreatedReview> {
  const response = await fetch(`${service.app.url}/api/reviews`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${OPERATOR_KEY}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      subject: 'Physics, grade 9',
      claimedCategory: 'teacher-expert',
      scheduledStart: new Date(Date.now() + 3600_000).toISOString(),
      attestee: { displayName: 'Aigerim Sadykova' },
      chair: { displayName: 'Nurlan Abenov' },
      experts: [{ displayName: 'Dana Omarova' }],
      ...body,
    }),
  });
  const reply = (await response.json()) as { ok: boolean; data: CreatedReview };
  if (response.status !== 201) throw new Error(`create failed: ${JSON.stringify(reply)}`);

  return reply.data;
}

/** One entry of a review's event log, as the operator API returns it. */
export interface LoggedEvent {
  type: string;
  at: string;
  personId?: string;
  data?: Record<string, unknown>;
}

/** A review's state and its event log, read over the operator API. */
export async function readReviewLog(
  service: TestService,
  reviewId: string,
): Promise<{ review: { state: string; endReason?: string }; events: LoggedEvent[] }> {
  const response = await fetch(`${service.app.url}/api/reviews/${reviewId}`, {
    headers: { authorization: `Bearer ${OPERATOR_KEY}` },
  });
  const reply = (await response.json()) as {
    data: { review: { state: string; endReason?: string }; events: LoggedEvent[] };
  };

  return reply.data;
}

/** The join token inside a link's fragment. */
export function tokenOf(link: JoinLink): string {
  return new URL(link.url).hash.replace(/^#token=/, '');
}

/** The link of the first person with `role`. */
export function linkFor(review: CreatedReview, role: Role): JoinLink {
  const link = review.links.find((l) => l.role === role);
  if (!link) throw new Error(`no ${role} in review`);

  return link;
}

/** A connected participant: its socket and the latest snapshot it received. */
export interface TestPeer {
  socket: ClientSocket;
  snapshot: SessionSnapshot;
  /** Sends a message and resolves with its acknowledgement. */
  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Ack<AckData<E>>>;
  /** Resolves with the next `event` the server sends. */
  next<E extends keyof ServerToClientEvents>(
    event: E,
    match?: (...args: Parameters<ServerToClientEvents[E]>) => boolean,
  ): Promise<Parameters<ServerToClientEvents[E]>[0]>;
}

type AckData<E extends keyof ClientToServerEvents> = Parameters<
  ClientToServerEvents[E]
>[1] extends (reply: Ack<infer T>) => void
  ? T
  : never;

/** Opens a socket without waiting for anything; closed after the test. */
export function openSocket(service: TestService, token: unknown): ClientSocket {
  const socket: ClientSocket = io(service.app.url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  onTestFinished(() => {
    socket.disconnect();
  });

  return socket;
}

/** Connects with a join link and waits for the first snapshot. */
export async function join(service: TestService, link: JoinLink): Promise<TestPeer> {
  const socket = openSocket(service, tokenOf(link));
  const peer: TestPeer = {
    socket,
    snapshot: undefined as unknown as SessionSnapshot,
    request: (event, payload) =>
      new Promise((resolve) => {
        const emit = socket.emit.bind(socket) as (...args: unknown[]) => void;
        emit(event, payload, resolve);
      }),
    next: (event, match) =>
      new Promise((resolve) => {
        const listener = (...args: unknown[]) => {
          const typed = args as Parameters<ServerToClientEvents[typeof event]>;
          if (match && !match(...typed)) return;
          socket.off(event as 'notice', listener as never);
          resolve(typed[0] as never);
        };
        socket.on(event as 'notice', listener as never);
      }),
  };
  socket.on('session:snapshot', (snapshot) => {
    peer.snapshot = snapshot;
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('session:snapshot', () => resolve());
    socket.once('connect_error', reject);
  });

  return peer;
}

/** Resolves once a peer's snapshot satisfies `predicate` (checking the current one first). */
export async function snapshotWhere(
  peer: TestPeer,
  predicate: (snapshot: SessionSnapshot) => boolean,
): Promise<SessionSnapshot> {
  if (predicate(peer.snapshot)) return peer.snapshot;

  return peer.next('session:snapshot', predicate);
}

/** Unwraps a successful acknowledgement, failing the test with the error otherwise. */
export function ok<T>(reply: Ack<T>): T {
  if (!reply.ok)
    throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);

  return reply.data;
}

/** A syntactically valid DTLS fingerprint: connect() accepts it without a handshake. */
export const FAKE_DTLS = {
  role: 'client' as const,
  fingerprints: [
    { algorithm: 'sha-256' as const, value: Array(32).fill('AB').join(':') },
  ],
};

/** RTP parameters of a browser's Opus microphone track. */
export function opusParameters(ssrc: number) {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        rtcpFeedback: [],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: `peer-${ssrc}`, reducedSize: true },
  };
}

/** RTP parameters of a browser's VP8 camera track. */
export function vp8Parameters(ssrc: number) {
  return {
    mid: '1',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: `peer-${ssrc}`, reducedSize: true },
  };
}

/** Creates and connects a transport, then produces a track; resolves with the producer id. */
export async function produceTrack(
  peer: TestPeer,
  source: 'microphone' | 'camera',
  ssrc: number,
): Promise<string> {
  const transport = ok(
    await peer.request('media:createTransport', { direction: 'send' }),
  );
  ok(
    await peer.request('media:connectTransport', {
      transportId: transport.id,
      dtlsParameters: FAKE_DTLS,
    }),
  );
  const produced = ok(
    await peer.request('media:produce', {
      transportId: transport.id,
      kind: source === 'microphone' ? 'audio' : 'video',
      rtpParameters: (source === 'microphone'
        ? opusParameters(ssrc)
        : vp8Parameters(ssrc)) as never,
      source,
    }),
  );

  return produced.producerId;
}

/** The chair, the attestee admitted with consent and a microphone: a review ready to start. */
export async function readyReview(service: TestService) {
  const review = await createReview(service);
  const chair = await join(service, linkFor(review, 'chair'));
  const attestee = await join(service, linkFor(review, 'attestee'));
  ok(await chair.request('chair:admit', { peerId: attestee.snapshot.you.peerId }));
  await snapshotWhere(attestee, (s) => s.you.seat === 'admitted');
  ok(await attestee.request('consent:give', { consent: true }));
  const microphone = await produceTrack(attestee, 'microphone', 1111);

  return { review, chair, attestee, microphone };
}

/** Resolves when the server has closed this peer's connection, with socket.io's reason. */
export function disconnected(peer: TestPeer): Promise<string> {
  return new Promise((resolve) => peer.socket.once('disconnect', resolve));
}

/** Every mediasoup worker started from now on (the pool's and its replacements), in order. */
export function watchWorkers(): Worker[] {
  const workers: Worker[] = [];
  const onWorker = (worker: Worker) => workers.push(worker);
  mediasoup.observer.on('newworker', onWorker);
  onTestFinished(() => {
    mediasoup.observer.off('newworker', onWorker);
  });

  return workers;
}

/** Kills a media worker the way a crash does (SIGKILL). */
export function killWorker(worker: Worker | undefined): void {
  if (!worker) throw new Error('no such worker');
  process.kill(worker.pid, 'SIGKILL');
}

/** The service's /metrics text. */
export async function scrapeMetrics(service: TestService): Promise<string> {
  const response = await fetch(`${service.app.url}/metrics`);
  expect(response.status).toBe(200);

  return response.text();
}

/** The value of one sample line of a scrape, e.g. `sarapta_peers{role="chair"}`. */
export function metricSample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));

  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
