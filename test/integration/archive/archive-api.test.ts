import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DatabaseSync } from '../../../server/store/database.ts';
import { recordingKeys, sha256Hex } from '../../../recording/manifest.ts';
import type { ObjectStore } from '../../../storage/object-store.ts';
import {
  archiveTestStore,
  emptyBucket,
  openArchiveTestDatabase,
  writeRecording,
  type WrittenRecording,
} from './archive-fixtures.ts';
import { startArchiveTestApp, type ArchiveTestApp } from './archive-test-app.ts';

describe('archive API', () => {
  let store: ObjectStore;
  let db: DatabaseSync;
  let app: ArchiveTestApp;
  let token: string;
  let recording: WrittenRecording;
  const composite = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));

  beforeAll(async () => {
    store = await archiveTestStore();
    db = openArchiveTestDatabase();
    app = await startArchiveTestApp({ db, store });
    token = await app.tokens.signArchivist({ archivistId: 'archivist-7' }, 600);
    recording = await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 5000),
      subject: 'Физика, 9 сынып',
      compositeBody: composite,
      people: [
        { personId: 'p-a', displayName: 'Әйгерім Нұрланқызы', role: 'attestee' },
        { personId: 'p-c', displayName: 'Болат Садықов', role: 'chair' },
        { personId: 'p-e', displayName: 'Дана Омарова', role: 'expert' },
      ],
    });
    await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 5000),
      subject: 'History',
      scheduledStart: new Date('2026-05-10T06:00:00Z'),
    });
  });
  afterAll(async () => {
    await app?.close();
    db?.close();
    await emptyBucket(store);
    store.close();
  });

  async function call(
    method: string,
    path: string,
    body?: unknown,
    bearer = token,
  ): Promise<Response> {
    return fetch(`${app.baseUrl}/api/archive${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('refuses a request without a token and a join token of any role', async () => {
    const anonymous = await fetch(`${app.baseUrl}/api/archive/recordings`);
    expect(anonymous.status).toBe(401);

    for (const role of ['chair', 'expert', 'attestee'] as const) {
      const joinToken = await app.tokens.signJoin(
        { reviewId: recording.reviewId, personId: 'p-c', role },
        new Date(Date.now() + 60_000),
      );
      const reply = await call('GET', '/recordings', undefined, joinToken);
      expect(reply.status).toBe(403);
      expect(((await reply.json()) as { error: { code: string } }).error.code).toBe(
        'FORBIDDEN',
      );
    }
  });

  it('finds a review by a Cyrillic attestee name in another letter case, and by council member', async () => {
    const byAttestee = await (await call('GET', '/recordings?attestee=ӘЙГЕРІМ')).json();
    expect(byAttestee.items.map((i: { reviewId: string }) => i.reviewId)).toEqual([
      recording.reviewId,
    ]);
    expect(byAttestee.items[0]).toMatchObject({
      status: 'sealed',
      attestees: ['Әйгерім Нұрланқызы'],
    });

    const byMember = await (
      await call('GET', '/recordings?member=омарова&status=sealed')
    ).json();
    expect(byMember.items).toHaveLength(1);

    const byDate = await (
      await call('GET', '/recordings?from=2026-05-10&to=2026-05-10')
    ).json();
    expect(byDate.items.map((i: { subject: string }) => i.subject)).toEqual(['History']);
  });

  it('pages search results with a cursor', async () => {
    const first = await (await call('GET', '/recordings?limit=1')).json();
    const second = await (
      await call('GET', `/recordings?limit=1&cursor=${first.nextCursor}`)
    ).json();

    expect(first.items).toHaveLength(1);
    expect(second.items).toHaveLength(1);
    expect(second.items[0].reviewId).not.toBe(first.items[0].reviewId);
    expect(second.nextCursor).toBeNull();
  });

  it('shows a recording with participants, events, tracks and composite', async () => {
    const detail = await (await call('GET', `/recordings/${recording.reviewId}`)).json();

    expect(detail.participants).toHaveLength(3);
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual([
      'start',
      'warning',
      'end',
    ]);
    expect(detail.tracks[0].segments).toHaveLength(2);
    expect(detail.composite.sha256).toBe(sha256Hex(composite));
    expect(detail.recording).toMatchObject({
      status: 'sealed',
      chainHead: recording.manifest.chain.head,
    });
  });

  it('plays the composite through a ticket that supports byte ranges', async () => {
    const playback = await (
      await call('POST', `/recordings/${recording.reviewId}/playback`, {})
    ).json();

    const ranged = await fetch(`${app.baseUrl}${playback.url}`, {
      headers: { range: 'bytes=1000-1999' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(
      `bytes 1000-1999/${composite.length}`,
    );
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(
      composite.subarray(1000, 2000),
    );

    const forged = await fetch(`${app.baseUrl}${playback.url.slice(0, -2)}xx`);
    expect(forged.status).toBe(401);
  });

  it('asks a reason for a download and records it in the audit log', async () => {
    const segmentKey = recording.manifest.tracks[0]?.segments[0]?.key;
    const withoutReason = await call(
      'POST',
      `/recordings/${recording.reviewId}/download`,
      { key: segmentKey },
    );
    expect(withoutReason.status).toBe(400);

    const download = await (
      await call('POST', `/recordings/${recording.reviewId}/download`, {
        key: segmentKey,
        reason: 'Court request 12/2026',
      })
    ).json();
    const file = await fetch(`${app.baseUrl}${download.url}`);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(sha256Hex(Buffer.from(await file.arrayBuffer()))).toBe(
      recording.manifest.tracks[0]?.segments[0]?.sha256,
    );

    const [entry] = app.audit.list({ reviewId: recording.reviewId });
    expect(entry).toMatchObject({
      action: 'download',
      actor: 'archivist-7',
      details: { reason: 'Court request 12/2026' },
    });
  });

  it('refuses to serve an object the manifest does not list', async () => {
    const reply = await call('POST', `/recordings/${recording.reviewId}/playback`, {
      key: 'recordings/other/composite.mp4',
    });
    expect(reply.status).toBe(404);
  });

  it('opens and closes a case, holding and releasing every version', async () => {
    const opened = await call('POST', `/recordings/${recording.reviewId}/cases`, {
      caseNumber: 'D-77',
      reason: 'Appeal',
    });
    expect(opened.status).toBe(201);
    const held = await (await call('GET', '/recordings?caseNumber=D-77')).json();
    expect(held.items[0]).toMatchObject({
      reviewId: recording.reviewId,
      status: 'held',
      openCases: 1,
    });
    expect(
      (await store.head(recordingKeys.manifest(recording.reviewId)))?.legalHold,
    ).toBe(true);

    const { caseId } = await opened.json();
    const closed = await call('POST', `/cases/${caseId}/close`, {
      resolution: 'withdrawn',
    });
    expect(closed.status).toBe(200);
    expect(
      (await store.head(recordingKeys.manifest(recording.reviewId)))?.legalHold,
    ).toBe(false);
  });

  it('shows a recording still being written as live and refuses a case on it', async () => {
    const history = await (await call('GET', '/recordings?subject=history')).json();
    const reviewId = history.items[0].reviewId as string;
    db.prepare("UPDATE recordings SET state = 'recording' WHERE review_id = ?").run(
      reviewId,
    );
    db.prepare("UPDATE reviews SET state = 'live' WHERE review_id = ?").run(reviewId);
    onTestFinished(() => {
      db.prepare("UPDATE recordings SET state = 'sealed' WHERE review_id = ?").run(
        reviewId,
      );
      db.prepare("UPDATE reviews SET state = 'ended' WHERE review_id = ?").run(reviewId);
    });

    const live = await (await call('GET', '/recordings?status=live')).json();
    expect(live.items.map((i: { reviewId: string }) => i.reviewId)).toEqual([reviewId]);
    expect(live.items[0]).toMatchObject({ reviewState: 'live', sealing: null });
    const refused = await call('POST', `/recordings/${reviewId}/cases`, {
      caseNumber: 'D-78',
      reason: 'Too early',
    });
    expect(refused.status).toBe(409);
  });

  it('shows a recording whose review ended as sealing, not live, until it is sealed', async () => {
    const history = await (await call('GET', '/recordings?subject=history')).json();
    const reviewId = history.items[0].reviewId as string;
    // The review has ended; its captures are finalised before the seal begins.
    db.prepare("UPDATE recordings SET state = 'recording' WHERE review_id = ?").run(
      reviewId,
    );
    onTestFinished(() => {
      db.prepare("UPDATE recordings SET state = 'sealed' WHERE review_id = ?").run(
        reviewId,
      );
    });

    expect((await (await call('GET', '/recordings?status=live')).json()).items).toEqual(
      [],
    );
    const sealing = await (await call('GET', '/recordings?status=sealing')).json();
    expect(sealing.items).toEqual([
      expect.objectContaining({
        reviewId,
        reviewState: 'ended',
        status: 'sealing',
        sealing: { stage: 'waiting', percent: 0, updatedAt: null },
      }),
    ]);
    const progress = await (await call('GET', `/progress?reviewId=${reviewId}`)).json();
    expect(progress.items).toEqual([
      {
        reviewId,
        status: 'sealing',
        sealing: { stage: 'waiting', percent: 0, updatedAt: null },
      },
    ]);
  });

  it('shows a review cancelled with nobody admitted as cancelled, with nothing recorded', async () => {
    const empty = await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 5000),
      subject: 'Geography',
      scheduledStart: new Date('2026-04-01T04:00:00Z'),
      lobbyEvents: true,
      empty: true,
      reviewState: 'cancelled',
    });

    const found = await (await call('GET', '/recordings?status=empty')).json();
    expect(found.items).toEqual([
      expect.objectContaining({
        reviewId: empty.reviewId,
        reviewState: 'cancelled',
        status: 'empty',
        sealing: null,
      }),
    ]);
    const detail = await (await call('GET', `/recordings/${empty.reviewId}`)).json();
    expect(detail.review.state).toBe('cancelled');
    expect(detail.recording).toMatchObject({
      status: 'empty',
      nothingRecorded: true,
      chainHead: empty.manifest.chain.head,
    });
    expect(detail.composite).toBeNull();
    expect(detail.tracks).toEqual([]);
    expect(detail.events.at(-1)).toMatchObject({
      type: 'end',
      data: { reason: 'cancelled' },
    });

    const playback = await call('POST', `/recordings/${empty.reviewId}/playback`, {});
    expect(playback.status).toBe(404);
    const verified = await (
      await call('POST', `/recordings/${empty.reviewId}/verify`, {})
    ).json();
    expect(verified).toMatchObject({ ok: true, mismatches: [] });
  });

  it("gives the composite's start, also for a manifest sealed before it was stored", async () => {
    const lobby = await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 5000),
      subject: 'Music',
      recordingStartSeconds: -79,
      lobbyEvents: true,
    });
    const legacy = await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 5000),
      subject: 'Art',
      recordingStartSeconds: -12,
      legacyManifest: true,
    });

    const lobbyDetail = await (await call('GET', `/recordings/${lobby.reviewId}`)).json();
    const firstSegment = lobby.manifest.tracks[0]?.segments[0]?.startedAt;
    expect(lobbyDetail.composite.startedAt).toBe(firstSegment);
    // The review started 79 s into the recording: the chair was admitted then.
    expect(
      (Date.parse(lobbyDetail.review.startedAt) -
        Date.parse(lobbyDetail.composite.startedAt)) /
        1000,
    ).toBe(79);

    const legacyDetail = await (
      await call('GET', `/recordings/${legacy.reviewId}`)
    ).json();
    expect(legacy.manifest.composite?.startedAt).toBeUndefined();
    expect(legacyDetail.composite.startedAt).toBe(
      legacy.manifest.tracks[0]?.segments[0]?.startedAt,
    );
  });

  it('verifies an intact recording and names an object replaced by a new version', async () => {
    const intact = await (
      await call('POST', `/recordings/${recording.reviewId}/verify`)
    ).json();
    expect(intact).toMatchObject({ ok: true, objectsChecked: 3, mismatches: [] });

    await store.putLocked({
      key: recordingKeys.composite(recording.reviewId),
      body: Buffer.from('a different composite'),
      contentType: 'video/mp4',
      retainUntil: new Date(Date.now() + 5000),
    });
    const tampered = await (
      await call('POST', `/recordings/${recording.reviewId}/verify`)
    ).json();

    expect(tampered.ok).toBe(false);
    expect(tampered.mismatches).toEqual([
      {
        key: recordingKeys.composite(recording.reviewId),
        expected: sha256Hex(composite),
        actual: sha256Hex(Buffer.from('a different composite')),
      },
    ]);
  });

  it('exports the audit log as JSON lines and detects a tampered entry', async () => {
    const exported = await call('GET', '/audit/export');
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ action: 'export', actor: 'archivist-7' });
    expect(new Set(lines.map((l: { action: string }) => l.action))).toEqual(
      new Set([
        'search',
        'view',
        'playback',
        'download',
        'case-open',
        'hold',
        'case-close',
        'release',
        'verify',
        'export',
      ]),
    );

    const intact = await (await call('POST', '/audit/verify')).json();
    expect(intact.ok).toBe(true);

    db.exec('DROP TRIGGER audit_log_no_update');
    db.exec("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3");
    const broken = await (await call('POST', '/audit/verify')).json();
    expect(broken).toMatchObject({ ok: false, brokenAt: { seq: 3 } });
  });
});
