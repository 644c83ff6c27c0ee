/**
 * GET /api/session: what the join token opens (the review and the person's
 * role), read before the page asks for the camera.
 */
import type { Role, ReviewState } from '../../server/review/review-types.ts';
import { RequestError } from './request-error.ts';

/** The review summary shown on the join screen (the data of GET /api/session). */
export interface SessionSummary {
  review: { reviewId: string; subject: string; state: ReviewState };
  you: { personId: string; displayName: string; role: Role };
}

/** Fetches the summary; rejects with the server's error code on refusal. */
export async function fetchSessionSummary(token: string): Promise<SessionSummary> {
  const response = await fetch('/api/session', {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as unknown;

  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } }).error;
    throw new RequestError(
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? '',
    );
  }

  return (body as { ok: true; data: SessionSummary }).data;
}

/** The join token from the link's fragment (`#token=…`), which never reaches server logs. */
export function tokenFromLocation(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');

  return token ?? undefined;
}
