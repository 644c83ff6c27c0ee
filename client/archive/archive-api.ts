/**
 * The archive page's calls to /api/archive, each with the archivist's bearer
 * token. A refusal becomes a RequestError carrying the server's stable code.
 */
import type { ArchivePage } from '../../server/archive/archive-search.ts';
import type { RecordingDetail } from '../../server/archive/recording-detail.ts';
import type { RecordingProgress } from '../../server/archive/recording-progress.ts';
import type { AuditEntry, ChainVerification } from '../../storage/audit/audit-log.ts';
import type { RecordingVerification } from '../../storage/audit/recording-verifier.ts';
import type { DisputeCase } from '../../storage/legal-hold/dispute-cases.ts';
import { RequestError } from '../review/request-error.ts';

const API_BASE = '/api/archive';

/** A short-lived media link the page can put into <video src> or an <a href>. */
export interface MediaLink {
  url: string;
  key: string;
  expiresAt: string;
}

/** Search filters as the form gives them (empty fields are left out). */
export type SearchFilters = Record<string, string>;

export class ArchiveApi {
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  /** One page of search results. */
  search(filters: SearchFilters, cursor?: string): Promise<ArchivePage> {
    const params = new URLSearchParams(
      Object.entries({ ...filters, ...(cursor ? { cursor } : {}) }).filter(
        ([, v]) => v !== '',
      ),
    );
    return this.#call('GET', `/recordings?${params}`);
  }

  /** A recording's detail. */
  detail(reviewId: string): Promise<RecordingDetail> {
    return this.#call('GET', `/recordings/${encodeURIComponent(reviewId)}`);
  }

  /** Status and seal progress of a few recordings (not audited: it shows no evidence). */
  progress(reviewIds: readonly string[]): Promise<{ items: RecordingProgress[] }> {
    const params = new URLSearchParams(reviewIds.map((id) => ['reviewId', id]));
    return this.#call('GET', `/progress?${params}`);
  }

  /** A playback link for the composite (or one original segment). */
  playback(reviewId: string, key?: string): Promise<MediaLink> {
    return this.#call('POST', `/recordings/${encodeURIComponent(reviewId)}/playback`, {
      key,
    });
  }

  /** A download link; the reason goes into the audit log. */
  download(reviewId: string, reason: string, key?: string): Promise<MediaLink> {
    return this.#call('POST', `/recordings/${encodeURIComponent(reviewId)}/download`, {
      key,
      reason,
    });
  }

  /** Opens a dispute case (puts the recording on legal hold). */
  openCase(reviewId: string, caseNumber: string, reason: string): Promise<DisputeCase> {
    return this.#call('POST', `/recordings/${encodeURIComponent(reviewId)}/cases`, {
      caseNumber,
      reason,
    });
  }

  /** Closes a case (the last one lifts the hold). */
  closeCase(caseId: number): Promise<DisputeCase> {
    return this.#call('POST', `/cases/${caseId}/close`, {});
  }

  /** Re-hashes every object of the recording. */
  verify(reviewId: string): Promise<RecordingVerification> {
    return this.#call('POST', `/recordings/${encodeURIComponent(reviewId)}/verify`);
  }

  /** Audit entries, newest first, optionally for one review. */
  auditLog(reviewId?: string): Promise<{ entries: AuditEntry[] }> {
    return this.#call(
      'GET',
      `/audit${reviewId ? `?reviewId=${encodeURIComponent(reviewId)}` : ''}`,
    );
  }

  /** Checks the audit log's hash chain. */
  verifyAuditLog(): Promise<ChainVerification> {
    return this.#call('POST', '/audit/verify');
  }

  /** The whole audit log as JSON lines. */
  async exportAuditLog(): Promise<Blob> {
    const reply = await this.#send('GET', '/audit/export');
    return reply.blob();
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.#send(method, path, body);
    return (await reply.json()) as T;
  }

  async #send(method: string, path: string, body?: unknown): Promise<Response> {
    // The API takes only JSON bodies, and a bodiless POST still says it has
    // one (Content-Length: 0): every POST sends JSON, if only {}.
    const sent = method === 'GET' ? undefined : (body ?? {});
    const reply = await fetch(`${API_BASE}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(sent === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: sent === undefined ? undefined : JSON.stringify(sent),
    });
    if (reply.ok) return reply;

    // A proxy in front of the service may answer with HTML; the status still tells.
    const error = (await reply.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    throw new RequestError(
      error.error?.code ?? `HTTP_${reply.status}`,
      error.error?.message ?? reply.statusText,
    );
  }
}
