/**
 * Short-lived media tickets. A <video> element cannot send an Authorization
 * header, so playback and download go through a URL carrying a ticket: an
 * HMAC-signed statement "this archivist may read this object of this review
 * until then". Stateless, so any host sharing the secret can serve it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.ts';

/** What a ticket grants. */
export interface MediaGrant {
  reviewId: string;
  key: string;
  archivistId: string;
  /** Serve as an attachment (download) rather than inline (playback). */
  download: boolean;
  /** Unix seconds after which the ticket is refused. */
  expiresAt: number;
}

export class MediaTickets {
  readonly #secret: string;
  readonly #now: () => Date;

  constructor(secret: string, options: { now?: () => Date } = {}) {
    this.#secret = secret;
    this.#now = options.now ?? (() => new Date());
  }

  /** Issues a ticket valid for `ttlSeconds`. */
  issue(
    grant: Omit<MediaGrant, 'expiresAt'>,
    ttlSeconds: number,
  ): { ticket: string; expiresAt: Date } {
    const expiresAt = Math.floor(this.#now().getTime() / 1000) + ttlSeconds;
    const payload = Buffer.from(
      JSON.stringify({
        r: grant.reviewId,
        k: grant.key,
        a: grant.archivistId,
        d: grant.download ? 1 : 0,
        e: expiresAt,
      }),
    ).toString('base64url');

    return {
      ticket: `${payload}.${this.#sign(payload)}`,
      expiresAt: new Date(expiresAt * 1000),
    };
  }

  /** Checks signature and expiry; throws TOKEN_INVALID or TOKEN_EXPIRED. */
  verify(ticket: string): MediaGrant {
    const [payload, signature, extra] = ticket.split('.');
    if (
      !payload ||
      !signature ||
      extra !== undefined ||
      !this.#signatureMatches(payload, signature)
    ) {
      throw new AppError('TOKEN_INVALID', 'This media link is not valid');
    }

    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      r: string;
      k: string;
      a: string;
      d: number;
      e: number;
    };
    if (claims.e * 1000 < this.#now().getTime()) {
      throw new AppError(
        'TOKEN_EXPIRED',
        'This media link has expired; open the recording again',
      );
    }

    return {
      reviewId: claims.r,
      key: claims.k,
      archivistId: claims.a,
      download: claims.d === 1,
      expiresAt: claims.e,
    };
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret)
      .update(`media-ticket\n${payload}`)
      .digest('base64url');
  }

  #signatureMatches(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.#sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
