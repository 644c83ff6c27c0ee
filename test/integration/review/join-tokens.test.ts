/**
 * Join tokens at the door: the socket handshake and GET /api/session refuse
 * every token that is not a live link of this service's reviews, with the
 * error code the browser shows.
 */
import { describe, expect, it } from 'vitest';
import { TokenService } from '../../../server/auth/tokens.ts';
import {
  createReview,
  join,
  linkFor,
  produceTrack,
  refusalCode,
  startTestService,
  tokenOf,
  type TestService,
} from './review-harness.ts';

async function sessionCode(service: TestService, token: string): Promise<string> {
  const response = await fetch(`${service.app.url}/api/session`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { ok: boolean; error?: { code: string } };

  return body.ok ? 'ok' : `${response.status} ${body.error?.code}`;
}

describe('join tokens', () => {
  it('open the review and seat of the person they were made for', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const link = linkFor(review, 'expert');

    const expert = await join(service, link);
    expect(expert.snapshot).toMatchObject({
      reviewId: review.review.reviewId,
      you: { personId: link.personId, role: 'expert', seat: 'lobby' },
    });

    const response = await fetch(`${service.app.url}/api/session`, {
      headers: { authorization: `Bearer ${tokenOf(link)}` },
    });
    expect(await response.json()).toMatchObject({
      ok: true,
      data: { review: { reviewId: review.review.reviewId }, you: { role: 'expert' } },
    });
  });

  it('refuse garbage, a missing token and a token signed with another secret', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const foreign = await new TokenService('another-secret-another-secret-0123').signJoin(
      {
        reviewId: review.review.reviewId,
        personId: review.links[0]?.personId ?? '',
        role: 'attestee',
      },
      new Date(Date.now() + 3600_000),
    );

    expect(await refusalCode(service, 'garbage')).toBe('TOKEN_INVALID');
    expect(await refusalCode(service, undefined)).toBe('TOKEN_INVALID');
    expect(await refusalCode(service, foreign)).toBe('TOKEN_INVALID');
    expect(await sessionCode(service, 'garbage')).toBe('401 TOKEN_INVALID');
    expect(await sessionCode(service, foreign)).toBe('401 TOKEN_INVALID');
  });

  it('refuse an expired token with TOKEN_EXPIRED', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const person = review.links[0];
    const expired = await service.app.tokens.signJoin(
      {
        reviewId: review.review.reviewId,
        personId: person?.personId ?? '',
        role: 'attestee',
      },
      new Date(Date.now() - 1000),
    );

    expect(await refusalCode(service, expired)).toBe('TOKEN_EXPIRED');
    expect(await sessionCode(service, expired)).toBe('401 TOKEN_EXPIRED');
  });

  it('refuse a person of one review presented as a person of another', async () => {
    const service = await startTestService();
    const first = await createReview(service);
    const second = await createReview(service);
    const mixed = await service.app.tokens.signJoin(
      {
        reviewId: second.review.reviewId,
        personId: linkFor(first, 'chair').personId,
        role: 'chair',
      },
      new Date(Date.now() + 3600_000),
    );

    expect(await refusalCode(service, mixed)).toBe('TOKEN_INVALID');
  });

  it('refuse a role the person does not have in that review', async () => {
    const service = await startTestService();
    const review = await createReview(service);
    const promoted = await service.app.tokens.signJoin(
      {
        reviewId: review.review.reviewId,
        personId: linkFor(review, 'expert').personId,
        role: 'chair',
      },
      new Date(Date.now() + 3600_000),
    );

    expect(await refusalCode(service, promoted)).toBe('TOKEN_INVALID');
  });

  it('refuse an archivist token at the review door', async () => {
    const service = await startTestService();
    const archivist = await service.app.tokens.signArchivist(
      { archivistId: 'arch-1' },
      600,
    );

    expect(await refusalCode(service, archivist)).toBe('FORBIDDEN');
    expect(await sessionCode(service, archivist)).toBe('403 FORBIDDEN');
  });

  it('do not open the operator API', async () => {
    const service = await startTestService();
    const review = await createReview(service);

    const response = await fetch(
      `${service.app.url}/api/reviews/${review.review.reviewId}`,
      {
        headers: { authorization: `Bearer ${tokenOf(linkFor(review, 'chair'))}` },
      },
    );
    expect(response.status).toBe(401);
  });

  it('stop opening a review once it has ended', async () => {
    const service = await startTestService({
      review: { limitSeconds: 1, warningsSeconds: [] },
    });
    const review = await createReview(service);
    const chair = await join(service, linkFor(review, 'chair'));
    const attestee = await join(service, linkFor(review, 'attestee'));
    await chair.request('chair:admit', { peerId: attestee.snapshot.you.peerId });
    await attestee.request('consent:give', { consent: true });
    await produceTrack(attestee, 'microphone', 777);
    const ended = chair.next('review:ended');
    await chair.request('chair:start', {});
    await ended;

    expect(await refusalCode(service, tokenOf(linkFor(review, 'expert')))).toBe(
      'REVIEW_ENDED',
    );
  });
});
