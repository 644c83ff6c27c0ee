/**
 * The archive HTTP API, mounted by the server at /api/archive. Every route
 * except the media one needs an archivist token; the media route is opened
 * by the short-lived ticket that playback and download hand out. Every
 * access to evidence is appended to the audit log before it is answered.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { TokenService } from '../auth/tokens.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { DatabaseSync } from '../store/database.ts';
import { recordingKeys } from '../../recording/manifest.ts';
import type { AuditLog } from '../../storage/audit/audit-log.ts';
import { verifyRecording } from '../../storage/audit/recording-verifier.ts';
import type { DisputeCases } from '../../storage/legal-hold/dispute-cases.ts';
import type { ObjectStore } from '../../storage/object-store.ts';
import { ArchiveSearch } from './archive-search.ts';
import { archivistOf, requireArchivist } from './archivist-auth.ts';
import { MediaTickets } from './media-ticket.ts';
import { streamObject } from './media-stream.ts';
import { readRecordingDetail, type RecordingDetail } from './recording-detail.ts';
import { readRecordingProgress } from './recording-progress.ts';
import { RECORDING_STATUSES } from './recording-status.ts';

/** What the archive router needs; the composition root owns each of these. */
export interface ArchiveRouterDeps {
  db: DatabaseSync;
  store: ObjectStore;
  tokens: TokenService;
  audit: AuditLog;
  cases: DisputeCases;
  logger: Logger;
  /** Signs media tickets (the service's token secret is fine). */
  mediaTicketSecret: string;
  /** How long a playback or download link works; default 15 minutes. */
  mediaTicketTtlSeconds?: number;
}

const DEFAULT_MEDIA_TICKET_TTL_SECONDS = 15 * 60;
const JSON_BODY_LIMIT = '16kb';

const text = (max: number) => z.string().trim().min(1).max(max);
const searchQuery = z.object({
  attestee: z.string().max(200).optional(),
  member: z.string().max(200).optional(),
  subject: z.string().max(200).optional(),
  from: z.iso
    .date()
    .or(z.iso.datetime({ offset: true }))
    .optional(),
  to: z.iso
    .date()
    .or(z.iso.datetime({ offset: true }))
    .optional(),
  caseNumber: z.string().max(100).optional(),
  status: z.enum(RECORDING_STATUSES).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
const MAX_PROGRESS_IDS = 100;
const progressQuery = z.object({
  // ?reviewId=a&reviewId=b arrives as an array, a single one as a string.
  reviewId: z
    .string()
    .max(200)
    .or(z.array(z.string().max(200)).min(1).max(MAX_PROGRESS_IDS))
    .transform((ids) => (typeof ids === 'string' ? [ids] : ids)),
});
const playbackBody = z.object({ key: z.string().max(1024).optional() });
const downloadBody = z.object({
  key: z.string().max(1024).optional(),
  reason: text(1000),
});
const openCaseBody = z.object({ caseNumber: text(100), reason: text(2000) });
const closeCaseBody = z.object({ resolution: z.string().trim().max(2000).optional() });
const auditQuery = z.object({
  reviewId: z.string().max(200).optional(),
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** Builds the archive's express Router. */
export function createArchiveRouter(deps: ArchiveRouterDeps): Router {
  const router = express.Router();
  const logger = deps.logger.child({ component: 'archive-api' });
  const search = new ArchiveSearch(deps.db);
  const tickets = new MediaTickets(deps.mediaTicketSecret);
  const ticketTtl = deps.mediaTicketTtlSeconds ?? DEFAULT_MEDIA_TICKET_TTL_SECONDS;

  // Opened by its ticket, not by a bearer token: a <video> cannot send headers.
  router.get('/media/:ticket', async (req, res) => {
    const grant = tickets.verify(req.params.ticket);
    await streamObject(res, {
      store: deps.store,
      key: grant.key,
      range: req.get('range'),
      download: grant.download,
      logger: logger.child({
        recordingId: grant.reviewId,
        archivistId: grant.archivistId,
      }),
    });
  });

  router.use(requireArchivist(deps.tokens));
  router.use(express.json({ limit: JSON_BODY_LIMIT }));

  router.get('/recordings', (req, res) => {
    const query = parse(searchQuery, req.query);
    const page = search.search({
      attestee: query.attestee,
      councilMember: query.member,
      subject: query.subject,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? endOfDay(query.to) : undefined,
      caseNumber: query.caseNumber,
      status: query.status,
      cursor: query.cursor,
      limit: query.limit,
    });
    deps.audit.append({
      actor: archivistOf(res),
      action: 'search',
      details: { query: withoutEmpty(query), hits: page.items.length },
    });
    res.json(page);
  });

  // Polled by the archive page while recordings are sealed; not audited (see the file).
  router.get('/progress', (req, res) => {
    const query = parse(progressQuery, req.query);
    res.json({ items: readRecordingProgress(deps.db, query.reviewId) });
  });

  router.get('/recordings/:reviewId', async (req, res) => {
    const detail = await readRecordingDetail(deps, req.params.reviewId);
    deps.audit.append({
      actor: archivistOf(res),
      action: 'view',
      reviewId: detail.review.reviewId,
    });
    res.json(detail);
  });

  /**
   * Hands out a ticket link to one stored object of a review, and records in
   * the audit log who asked for it and why before answering.
   */
  async function answerWithMediaLink(
    req: Request,
    res: Response,
    access: { reviewId: string; requestedKey: string | undefined; download: boolean },
    auditDetails: Record<string, unknown>,
  ): Promise<void> {
    const detail = await readRecordingDetail(deps, access.reviewId);
    const key = storedKey(detail, access.requestedKey);
    const archivistId = archivistOf(res);

    const issued = tickets.issue(
      { reviewId: detail.review.reviewId, key, archivistId, download: access.download },
      ticketTtl,
    );
    deps.audit.append({
      actor: archivistId,
      action: access.download ? 'download' : 'playback',
      reviewId: detail.review.reviewId,
      details: { key, ...auditDetails },
    });
    res.json({
      url: mediaUrl(req, issued.ticket),
      key,
      expiresAt: issued.expiresAt.toISOString(),
    });
  }

  router.post('/recordings/:reviewId/playback', async (req, res) => {
    const body = parse(playbackBody, req.body ?? {});
    await answerWithMediaLink(
      req,
      res,
      { reviewId: req.params.reviewId, requestedKey: body.key, download: false },
      {},
    );
  });

  router.post('/recordings/:reviewId/download', async (req, res) => {
    const body = parse(downloadBody, req.body ?? {});
    await answerWithMediaLink(
      req,
      res,
      { reviewId: req.params.reviewId, requestedKey: body.key, download: true },
      { reason: body.reason },
    );
  });

  router.post('/recordings/:reviewId/cases', async (req, res) => {
    const body = parse(openCaseBody, req.body ?? {});
    const opened = await deps.cases.open({
      reviewId: req.params.reviewId,
      caseNumber: body.caseNumber,
      reason: body.reason,
      actor: archivistOf(res),
    });
    res.status(201).json(opened);
  });

  router.post('/cases/:caseId/close', async (req, res) => {
    const body = parse(closeCaseBody, req.body ?? {});
    const caseId = parse(z.coerce.number().int().positive(), req.params.caseId);
    const closed = await deps.cases.close({
      caseId,
      actor: archivistOf(res),
      resolution: body.resolution,
    });
    res.json(closed);
  });

  router.post('/recordings/:reviewId/verify', async (req, res) => {
    const row = deps.db
      .prepare(
        'SELECT state, manifest_key, composite_sha256 FROM recordings WHERE review_id = ?',
      )
      .get(req.params.reviewId) as
      | { state: string; manifest_key: string | null; composite_sha256: string | null }
      | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'No recording for this review');
    if (row.state === 'expired')
      throw new AppError('INVALID_STATE', 'This recording has expired and was deleted');

    const result = await verifyRecording(deps.store, req.params.reviewId, {
      manifestKey: row.manifest_key ?? recordingKeys.manifest(req.params.reviewId),
      expectedCompositeSha256: row.composite_sha256,
    });
    deps.audit.append({
      actor: archivistOf(res),
      action: 'verify',
      reviewId: req.params.reviewId,
      details: {
        ok: result.ok,
        objectsChecked: result.objectsChecked,
        mismatches: result.mismatches,
      },
    });
    if (!result.ok) {
      logger.error(
        { recordingId: req.params.reviewId, mismatches: result.mismatches },
        'recording failed verification',
      );
    }
    res.json(result);
  });

  router.get('/audit', (req, res) => {
    const query = parse(auditQuery, req.query);
    const entries = deps.audit.list(query);
    deps.audit.append({
      actor: archivistOf(res),
      action: 'audit-view',
      details: withoutEmpty(query),
    });
    res.json({ entries });
  });

  router.post('/audit/verify', (_req, res) => {
    const result = deps.audit.verifyChain();
    deps.audit.append({
      actor: archivistOf(res),
      action: 'audit-verify',
      details: { ...result },
    });
    if (!result.ok)
      logger.error({ brokenAt: result.brokenAt }, 'audit log chain is broken');
    res.json(result);
  });

  router.get('/audit/export', (_req, res) => {
    // Recorded first, so the export contains its own entry.
    deps.audit.append({
      actor: archivistOf(res),
      action: 'export',
      details: { format: 'jsonl' },
    });
    res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="sarapta-audit.jsonl"');
    for (const line of deps.audit.jsonLines()) res.write(line);
    res.end();
  });

  return router;
}

/** The object to serve: the composite by default, else one the manifest lists. */
function storedKey(detail: RecordingDetail, requested: string | undefined): string {
  if (detail.recording.status === 'expired') {
    throw new AppError('INVALID_STATE', 'This recording has expired and was deleted');
  }

  const listed = new Set<string>(
    detail.tracks.flatMap((t) => t.segments.map((s) => s.key)),
  );
  if (detail.composite) listed.add(detail.composite.key);

  if (detail.recording.nothingRecorded) {
    throw new AppError(
      'NOT_FOUND',
      'Nothing was recorded in this review: it has no media',
    );
  }

  const key = requested ?? detail.composite?.key;
  if (!key)
    throw new AppError('RECORDING_NOT_READY', 'This recording has no composite yet');
  if (!listed.has(key)) {
    throw new AppError('NOT_FOUND', 'This object is not part of the recording', {
      details: { key },
    });
  }

  return key;
}

function mediaUrl(req: Request, ticket: string): string {
  return `${req.baseUrl}/media/${ticket}`;
}

/** A bare date as the end of the range means "through that day" (UTC). */
function endOfDay(value: string): Date {
  const date = new Date(value);
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(date.getTime() + 24 * 3600 * 1000)
    : date;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'The request is not valid', {
      details: {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      },
    });
  }

  return parsed.data;
}

function withoutEmpty(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== ''),
  );
}
