/**
 * The HTTP side: the operator API behind its key, validation and error
 * bodies from the one mapper, the join page, and shutdown leaving live reviews
 * live for the next start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Manager } from 'socket.io-client';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createReview,
  linkFor,
  OPERATOR_KEY,
  ok,
  readyReview,
  startTestService,
  tokenOf,
} from './review-harness.ts';

const VALID = {
  subject: 'History of Kazakhstan, grade 10',
  claimedCategory: 'teacher-researcher',
  scheduledStart: new Date(Date.now() + 86_400_000).toISOString(),
  attestee: { displayName: 'Aigerim' },
  chair: { displayName: 'Nurlan' },
};

/** The parts of a reply these tests read. */
interface ApiReply {
  ok: boolean;
  error: { code: string; details: { issues: { path: string }[] } };
}

async function post(url: string, body: unknown, key: string | null = OPERATOR_KEY) {
  const response = await fetch(`${url}/api/reviews`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  return {
    status: response.status,
    body: (await response.json()) as ApiReply,
  };
}

describe('POST /api/reviews', () => {
  it('needs the operator key', async () => {
    const { app } = await startTestService();

    expect(await post(app.url, VALID, null)).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'UNAUTHENTICATED' } },
    });
    expect((await post(app.url, VALID, 'wrong-key-wrong-key')).status).toBe(401);
    expect((await post(app.url, VALID)).status).toBe(201);
  });

  it('refuses invalid reviews with every problem named', async () => {
    const { app } = await startTestService();

    const invalid = await post(app.url, {
      ...VALID,
      claimedCategory: 'genius',
      experts: 'many',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.error.details.issues.map((i) => i.path)).toEqual([
      'claimedCategory',
      'experts',
    ]);

    const inPersonWithoutDevice = await post(app.url, { ...VALID, format: 'in-person' });
    expect(inPersonWithoutDevice.body.error.details.issues[0]?.path).toBe('roomDevice');

    const longAgo = await post(app.url, {
      ...VALID,
      scheduledStart: '2001-01-01T00:00:00Z',
    });
    expect(longAgo.body.error.code).toBe('VALIDATION_FAILED');

    expect((await post(app.url, '{not json')).body.error.code).toBe('BAD_REQUEST');

    const form = await fetch(`${app.url}/api/reviews`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
      body: new URLSearchParams({ subject: 'Physics' }),
    });
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/must be JSON/) },
    });
    const empty = await fetch(`${app.url}/api/reviews`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
    });
    expect(await empty.json()).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/JSON object/) },
    });
    expect((await post(app.url, { ...VALID, subject: 'x'.repeat(100_000) })).status).toBe(
      413,
    );
  });

  it('answers unknown API paths with a JSON NOT_FOUND', async () => {
    const { app } = await startTestService();

    const response = await fetch(`${app.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('the join page', () => {
  it('is served from the built client', async () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-dist-'));
    onTestFinished(() => fs.rmSync(dist, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dist, 'join.html'), '<!doctype html><title>join</title>');
    const { app } = await startTestService({}, { clientDistDir: dist });

    const page = await fetch(`${app.url}/join`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>join</title>');

    const archive = await fetch(`${app.url}/archive`);
    expect(archive.status).toBe(404);
    expect(
      ((await archive.json()) as { error: { message: string } }).error.message,
    ).toMatch(/not built/);
  });
});

describe('shutdown', () => {
  it('leaves a live review live: recording suspended, browsers told to come back, state stored', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);
    ok(await chair.request('chair:start', {}));
    const told = attestee.next('notice');
    const gone = new Promise((resolve) => attestee.socket.once('disconnect', resolve));
    let ended = 0;
    attestee.socket.on('review:ended', () => ended++);
    const waiting = await createReview(service);

    await service.app.close('test-shutdown');

    expect(await told).toEqual({ code: 'SERVER_CLOSING', level: 'warning' });
    await gone;
    expect(ended).toBe(0);
    const recorderLog = service.recorders.get(review.review.reviewId)?.log ?? [];
    expect(recorderLog.filter((entry) => entry.kind === 'stop')).toEqual([]);
    expect(recorderLog.find((entry) => entry.kind === 'suspend')).toEqual({
      kind: 'suspend',
      reason: 'test-shutdown',
    });
    // The database is closed with the service; a fresh read shows what was stored.
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(path.join(service.app.config.dataDir, 'sarapta.db'));
    onTestFinished(() => db.close());
    const rows = db
      .prepare('SELECT review_id, state, end_reason FROM reviews ORDER BY created_at')
      .all();
    expect(rows).toEqual([
      { review_id: review.review.reviewId, state: 'live', end_reason: null },
      { review_id: waiting.review.reviewId, state: 'scheduled', end_reason: null },
    ]);
    const interruption = db
      .prepare(
        `SELECT data_json FROM review_events WHERE review_id = ? AND type = 'session-interrupted'`,
      )
      .all(review.review.reviewId);
    expect(interruption.map((row) => JSON.parse(String(row.data_json)))).toEqual([
      {
        cause: 'test-shutdown',
        state: 'live',
        connected: [
          linkFor(review, 'chair').personId,
          linkFor(review, 'attestee').personId,
        ],
      },
    ]);
  });

  it('refuses a browser that comes back while it shuts down with SERVER_CLOSING, to try again later', async () => {
    const service = await startTestService();
    const { review, chair, attestee } = await readyReview(service);
    ok(await chair.request('chair:start', {}));
    // The shutdown is held at the recording's suspension, after the sessions were told.
    const recorder = service.recorders.get(review.review.reviewId);
    if (!recorder) throw new Error('the review has no recorder');
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const suspend = recorder.suspend.bind(recorder);
    recorder.suspend = async (reason) => {
      await held;
      return suspend(reason);
    };
    // The listener stops taking connections at once: the coming-back browser's
    // connection is open before, and asks to join over it afterwards.
    const manager = new Manager(service.app.url, {
      transports: ['websocket'],
      reconnection: false,
      autoConnect: false,
    });
    await new Promise<void>((resolve, reject) =>
      manager.open((err) => (err ? reject(err) : resolve())),
    );
    const comingBack = manager.socket('/', {
      auth: { token: tokenOf(linkFor(review, 'expert')) },
    });
    onTestFinished(() => {
      comingBack.disconnect();
    });
    const told = attestee.next('notice');

    const closed = service.app.close('test-shutdown');
    await told;
    const refusal = new Promise<unknown>((resolve, reject) => {
      comingBack.once('connect', () => reject(new Error('the socket was let in')));
      comingBack.once('connect_error', (err) =>
        resolve((err as { data?: unknown }).data),
      );
    });
    comingBack.connect();

    expect(await refusal).toEqual({
      code: 'SERVER_CLOSING',
      message: 'The server is shutting down',
    });
    release();
    await closed;
  });
});
