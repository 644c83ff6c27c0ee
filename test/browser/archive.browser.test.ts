/**
 * The archive page, end to end, in real Chromium against the archive API on
 * the real S3: an archivist finds a review, plays it, seeks from the events
 * timeline (placed from the composite's own start, with the lobby before it
 * listed but not seekable), reads the tracks by person and source, opens and
 * closes a dispute case, and sees each step in the audit log, in Russian too;
 * a review cancelled with nobody admitted shows as cancelled with nothing
 * recorded; an expert's join token gets no access; a tampered log entry is
 * found.
 *
 * Runs inside a loopback-only network namespace (scripts/test.sh).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseSync } from '../../server/store/database.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { launchBrowser, openPersonPage, type PersonPage } from '../helpers/browser.ts';
import {
  archiveTestStore,
  emptyBucket,
  openArchiveTestDatabase,
  writeRecording,
  type WrittenRecording,
} from '../integration/archive/archive-fixtures.ts';
import {
  startArchiveTestApp,
  type ArchiveTestApp,
} from '../integration/archive/archive-test-app.ts';

const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../test-artifacts');
/**
 * The composite's length. Its 0:00 is the chair's admission, 3 s before the
 * start; the start, warning and end sit 0 s, 5 s and 8 s after the start, so
 * 3 s, 8 s and 11 s into it.
 */
const COMPOSITE_SECONDS = 12;
const RECORDING_START_SECONDS = -3;
const WARNING_OFFSET_SECONDS = 8;

let tempDir: string;
let store: ObjectStore;
let db: DatabaseSync;
let app: ArchiveTestApp;
let browser: Browser;
let archivist: PersonPage;
let recording: WrittenRecording;

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-archive-browser-'));
  const clientDist = path.join(tempDir, 'dist');
  await build({
    configFile: path.resolve(import.meta.dirname, '../../client/vite.config.ts'),
    build: { outDir: clientDist, emptyOutDir: true },
    logLevel: 'warn',
  });

  store = await archiveTestStore();
  db = openArchiveTestDatabase();
  recording = await writeRecording(store, db, {
    retainUntil: new Date(Date.now() + 10_000),
    subject: 'Химия, 8 сынып',
    compositeBody: playableComposite(tempDir),
    recordingStartSeconds: RECORDING_START_SECONDS,
    lobbyEvents: true,
    splitMicrophone: true,
    people: [
      { personId: 'p-attestee', displayName: 'Гүлнар Серікқызы', role: 'attestee' },
      { personId: 'p-chair', displayName: 'Ержан Қасымов', role: 'chair' },
      { personId: 'p-expert', displayName: 'Мария Ким', role: 'expert' },
    ],
  });
  app = await startArchiveTestApp({ db, store, staticDir: clientDist });
  browser = await launchBrowser();
  archivist = await openPersonPage(browser, 'archivist');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  db?.close();
  if (store) {
    await emptyBucket(store);
    store.close();
  }
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});

/** A real H.264 MP4 the browser can decode and seek in (keyframe every second). */
function playableComposite(dir: string): Buffer {
  const file = path.join(dir, 'composite.mp4');
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=320x240:rate=15`,
    '-t',
    String(COMPOSITE_SECONDS),
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '15',
    '-movflags',
    '+faststart',
    '-y',
    file,
  ]);
  return fs.readFileSync(file);
}

function failureContext(person: PersonPage): string {
  return person.consoleLines.join('\n');
}

async function auditActions(page: Page): Promise<string[]> {
  await page.getByTestId('audit-show').click();
  await page.getByTestId('audit-entry').first().waitFor();
  return page
    .getByTestId('audit-entry')
    .evaluateAll((items) =>
      items.map((item) => (item as HTMLElement).dataset.action ?? ''),
    );
}

describe('archive page', () => {
  it('finds the review by the attestee name and shows its status', async () => {
    const token = await app.tokens.signArchivist(
      { archivistId: 'archivist-browser' },
      600,
    );
    const { page } = archivist;
    await page.goto(`${app.baseUrl}/archive.html#token=${token}`);

    await page.getByTestId('search-attestee').fill('гүлнар');
    await page.getByTestId('search-submit').click();

    const result = page.getByTestId('result');
    await expect
      .poll(() => result.count(), { message: failureContext(archivist) })
      .toBe(1);
    expect(await result.getAttribute('data-review-id')).toBe(recording.reviewId);
    expect(await page.getByTestId('result-status').getAttribute('data-status')).toBe(
      'sealed',
    );
    expect(page.url()).not.toContain('token=');
  });

  it('plays the recording and seeks to an event from the timeline', async () => {
    const { page } = archivist;
    const ranges: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/archive/media/')) ranges.push(response.status());
    });

    await page.getByTestId('result-open').click();
    await page.getByTestId('timeline-event').first().waitFor();
    const player = page.getByTestId('player');
    await expect
      .poll(() => player.evaluate((video: HTMLVideoElement) => video.duration), {
        timeout: 20_000,
      })
      .toBeCloseTo(COMPOSITE_SECONDS, 0);

    await player.evaluate((video: HTMLVideoElement) => {
      video.muted = true;
      return video.play();
    });
    await expect
      .poll(() => player.evaluate((video: HTMLVideoElement) => video.currentTime), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0.5);

    await page
      .locator('[data-testid="timeline-event"][data-type="warning"]')
      .getByTestId('timeline-seek')
      .click();
    await expect
      .poll(() =>
        player.evaluate((video: HTMLVideoElement) =>
          video.seeking ? -1 : video.currentTime,
        ),
      )
      .toBeGreaterThanOrEqual(WARNING_OFFSET_SECONDS);
    const position = await player.evaluate(
      (video: HTMLVideoElement) => video.currentTime,
    );
    expect(position).toBeLessThan(WARNING_OFFSET_SECONDS + 2);
    expect(ranges).toContain(206);

    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'archive-page.png'),
      fullPage: true,
    });
  });

  it('lists the lobby before the recording, unseekable, with Almaty time and position', async () => {
    const { page } = archivist;
    const rows = await page.getByTestId('timeline-event').evaluateAll((items) =>
      items.map((item) => ({
        type: (item as HTMLElement).dataset.type,
        place: (item as HTMLElement).dataset.place,
        seekable: item.querySelector('[data-testid="timeline-seek"]') !== null,
        text: item.textContent ?? '',
      })),
    );

    expect(rows.map((r) => [r.type, r.place, r.seekable])).toEqual([
      ['created', 'before', false],
      ['join', 'before', false],
      ['consent', 'before', false],
      ['join', 'before', false],
      ['admit', 'in', true],
      ['start', 'in', true],
      ['warning', 'in', true],
      ['end', 'in', true],
    ]);
    // The fixture's review starts at 05:00 UTC, 10:00 in Almaty, 3 s into the video.
    const start = rows.find((r) => r.type === 'start')?.text ?? '';
    expect(start).toContain('10:00:00');
    expect(start).toContain('▶ 00:03');
    expect(start).toContain('Review started');
    const waiting = rows[1]?.text ?? '';
    expect(waiting).toContain('09:58:00');
    expect(waiting).toContain('before the recording');
    expect(waiting).toContain('Connected (opened the link, pre-flight check)');
    expect(rows.at(-1)?.text).toContain('Review ended by the chair');
    expect(await page.getByTestId('review-state').getAttribute('data-state')).toBe(
      'ended',
    );
  });

  it('shows one entry per person and source, with the segments folded', async () => {
    const { page } = archivist;
    const tracks = page.getByTestId('track');
    expect(await tracks.count()).toBe(2);
    const microphone = page.locator('[data-testid="track"][data-source="microphone"]');
    expect(await microphone.getAttribute('data-series')).toBe('2');
    expect(await microphone.getByTestId('track-summary').textContent()).toContain(
      '2 segments; gaps: 1',
    );
    expect(await microphone.getByTestId('track-gaps').textContent()).toContain('4 s');

    const folded = microphone.getByTestId('track-segments');
    expect(await folded.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
    expect(await microphone.getByTestId('segment-play').first().isVisible()).toBe(false);
    await folded.locator('summary').click();
    expect(await microphone.getByTestId('segment-play').first().isVisible()).toBe(true);
  });

  it('opens and closes a dispute case and records each step in the audit log', async () => {
    const { page } = archivist;
    await page.getByTestId('case-number').fill('D-2026-301');
    await page.getByTestId('case-reason').fill('Appeal against the council decision');
    await page.getByTestId('case-open').click();

    await page.locator('[data-testid="case"][data-open="true"]').waitFor();
    expect(await page.getByTestId('recording-status').getAttribute('data-status')).toBe(
      'held',
    );

    await page.getByTestId('case-close').click();
    await page.locator('[data-testid="case"][data-open="false"]').waitFor();
    expect(await page.getByTestId('recording-status').getAttribute('data-status')).toBe(
      'sealed',
    );

    const actions = await auditActions(page);
    for (const action of [
      'search',
      'view',
      'playback',
      'case-open',
      'hold',
      'case-close',
      'release',
    ]) {
      expect(actions, failureContext(archivist)).toContain(action);
    }
  });

  it('speaks Russian and Kazakh: track sources and audit actions translated', async () => {
    const { page } = archivist;
    await page.getByTestId('language').selectOption('ru');
    const titles = await page
      .getByTestId('track')
      .evaluateAll((items) =>
        items.map((item) => item.querySelector('strong')?.textContent),
      );
    expect(titles.sort()).toEqual([
      'Гүлнар Серікқызы: камера',
      'Гүлнар Серікқызы: микрофон',
    ]);
    const audit = await page.getByTestId('audit-entries').textContent();
    expect(audit).toContain('просмотр карточки записи');
    expect(audit).toContain('воспроизведение');
    expect(audit).not.toMatch(/: (view|playback|search) /);

    await page.getByTestId('language').selectOption('kk');
    expect(
      await page
        .locator('[data-testid="track"][data-source="microphone"] strong')
        .textContent(),
    ).toBe('Гүлнар Серікқызы: микрофон');
    expect(await page.getByTestId('audit-entries').textContent()).toContain('ойнату');
    // Opened again in Kazakh, dates are numeric, as written in Kazakhstan.
    await page.getByTestId('result-open').first().click();
    await page.locator('[data-testid="timeline-event"] time').first().waitFor();
    await expect
      .poll(() =>
        page.locator('[data-testid="timeline-event"] time').first().textContent(),
      )
      .toBe('02.03.2026, 09:50:00');
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'archive-page-kk.png'),
      fullPage: true,
    });
    await page.getByTestId('language').selectOption('en');
  });

  it('shows a review cancelled with nobody admitted as cancelled, with nothing recorded', async () => {
    const cancelled = await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 10_000),
      subject: 'География, 7 сынып',
      scheduledStart: new Date('2026-03-03T06:30:00Z'),
      lobbyEvents: true,
      empty: true,
      reviewState: 'cancelled',
      people: [
        { personId: 'p-attestee-3', displayName: 'Әсел Жұмабаева', role: 'attestee' },
        { personId: 'p-chair-3', displayName: 'Ержан Қасымов', role: 'chair' },
      ],
    });
    const { page } = archivist;

    await page.getByTestId('search-attestee').fill('әсел');
    await page.getByTestId('search-submit').click();
    const row = page.locator(
      `[data-testid="result"][data-review-id="${cancelled.reviewId}"]`,
    );
    await row.waitFor();
    expect(await row.getByTestId('result-status').getAttribute('data-status')).toBe(
      'empty',
    );
    expect(await row.getByTestId('result-review-state').getAttribute('data-state')).toBe(
      'cancelled',
    );
    // 06:30 UTC is 11:30 in Almaty: the result shows the time beside the date.
    expect(await row.getByTestId('result-open').textContent()).toContain('11:30');
    expect(await row.getByTestId('result-sealing').isVisible()).toBe(false);

    await row.getByTestId('result-open').click();
    await expect
      .poll(() => page.getByTestId('recording-status').getAttribute('data-status'))
      .toBe('empty');
    expect(await page.getByTestId('review-state').textContent()).toBe(
      'Review: cancelled',
    );
    expect(await page.getByTestId('recording-status').textContent()).toBe(
      'Nothing was recorded',
    );
    expect(await page.getByTestId('recording-message').textContent()).toContain(
      'Nobody was admitted',
    );
    expect(await page.getByTestId('recording-sealing').isVisible()).toBe(false);
    expect(await page.getByTestId('player').count()).toBe(0);
    expect(await page.getByTestId('download').count()).toBe(0);
    expect(await page.getByTestId('track').count()).toBe(0);
    const events = await page
      .getByTestId('timeline-event')
      .evaluateAll((items) =>
        items.map((item) => [
          (item as HTMLElement).dataset.place,
          item.querySelector('[data-testid="timeline-seek"]') !== null,
        ]),
      );
    expect(events.length).toBeGreaterThan(0);
    expect(events.every(([place, seekable]) => place === 'none' && !seekable)).toBe(true);
    expect(await page.getByTestId('timeline-event').last().textContent()).toContain(
      'Review cancelled',
    );

    await page.getByTestId('verify').click();
    await expect
      .poll(() => page.getByTestId('verify-result').getAttribute('data-ok'))
      .toBe('true');
    expect(await page.getByTestId('verify-result').textContent()).toContain(
      'no media was recorded',
    );
    await page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'archive-page-nothing-recorded.png'),
      fullPage: true,
    });
  });

  it('shows a sealing recording with its progress, then as sealed once done', async () => {
    const sealing = await writeRecording(store, db, {
      retainUntil: new Date(Date.now() + 60_000),
      subject: 'Физика, 9 сынып',
      people: [
        { personId: 'p-attestee-2', displayName: 'Айжан Төлеуова', role: 'attestee' },
        { personId: 'p-chair-2', displayName: 'Ержан Қасымов', role: 'chair' },
      ],
    });
    db.prepare(
      `UPDATE recordings SET state = 'finalising', seal_stage = 'composing',
         seal_fraction = 0.45, seal_updated_at = ? WHERE review_id = ?`,
    ).run(new Date().toISOString(), sealing.reviewId);
    const { page } = archivist;

    await page.getByTestId('search-attestee').fill('айжан');
    await page.getByTestId('search-submit').click();

    const progress = page.getByTestId('result-sealing');
    await expect
      .poll(() => progress.textContent(), { message: failureContext(archivist) })
      .toContain('45');
    expect(await progress.isVisible()).toBe(true);

    db.prepare(
      `UPDATE recordings SET state = 'sealed', seal_stage = 'sealed', seal_fraction = 1
         WHERE review_id = ?`,
    ).run(sealing.reviewId);

    // The page refreshes sealing rows by itself; no new search is needed.
    await expect
      .poll(() => page.getByTestId('result-status').getAttribute('data-status'), {
        timeout: 15_000,
      })
      .toBe('sealed');
    expect(await progress.isVisible()).toBe(false);
  });

  it('gives an expert join token no access', async () => {
    const expert = await openPersonPage(browser, 'expert');
    const joinToken = await app.tokens.signJoin(
      { reviewId: recording.reviewId, personId: 'p-expert', role: 'expert' },
      new Date(Date.now() + 600_000),
    );

    await expert.page.goto(`${app.baseUrl}/archive.html#token=${joinToken}`);

    const message = expert.page.getByTestId('token-message');
    await message.waitFor();
    expect(await message.getAttribute('data-state')).toBe('error');
    expect(await message.textContent()).toBe('This key does not open the archive.');
    expect(await expert.page.getByTestId('search-form').count()).toBe(0);
    await expert.context.close();
  });

  it('detects a tampered audit log entry', async () => {
    const { page } = archivist;
    await page.getByTestId('audit-verify').click();
    await expect
      .poll(() => page.getByTestId('audit-result').getAttribute('data-ok'))
      .toBe('true');

    const viewSeq = (
      db.prepare("SELECT MIN(seq) AS seq FROM audit_log WHERE action = 'view'").get() as {
        seq: number;
      }
    ).seq;
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'nobody' WHERE seq = ?").run(viewSeq);

    await page.getByTestId('audit-verify').click();
    await expect
      .poll(() => page.getByTestId('audit-result').getAttribute('data-ok'))
      .toBe('false');
    expect(await page.getByTestId('audit-result').textContent()).toContain(
      `entry ${viewSeq}`,
    );
  });
});
