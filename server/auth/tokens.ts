/**
 * Signed tokens. A join token opens one review for one person in one role;
 * an archivist token opens the archive and nothing else. Both are HS256 JWTs
 * with distinct audiences, so neither can stand in for the other.
 */
import { createHmac } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../errors.ts';
import type { Role } from '../review/review-types.ts';

const ISSUER = 'sarapta';
const JOIN_AUDIENCE = 'sarapta-join';
const ARCHIVE_AUDIENCE = 'sarapta-archive';

/** What a verified join token says. */
export interface JoinClaims {
  reviewId: string;
  personId: string;
  role: Role;
}

/** What a verified archivist token says. */
export interface ArchivistClaims {
  archivistId: string;
}

export class TokenService {
  readonly #key: Uint8Array;

  constructor(secret: string) {
    this.#key = new TextEncoder().encode(secret);
  }

  /**
   * A secret for another signing purpose (e.g. archive media tickets),
   * derived from the token secret so every host sharing it agrees, yet a
   * ticket can never pass as a token.
   */
  deriveSecret(purpose: string): string {
    return createHmac('sha256', this.#key)
      .update(`sarapta-derived:${purpose}`)
      .digest('hex');
  }

  /** A join token valid until `expiresAt`. */
  async signJoin(claims: JoinClaims, expiresAt: Date): Promise<string> {
    return new SignJWT({ rid: claims.reviewId, role: claims.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(JOIN_AUDIENCE)
      .setSubject(claims.personId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#key);
  }

  /** Verifies a join token; throws TOKEN_INVALID or TOKEN_EXPIRED. */
  async verifyJoin(token: unknown): Promise<JoinClaims> {
    const payload = await this.#verify(token, JOIN_AUDIENCE);
    const { rid, role, sub } = payload;
    if (typeof rid !== 'string' || typeof role !== 'string' || typeof sub !== 'string') {
      throw new AppError(
        'TOKEN_INVALID',
        'Join token is missing its review, person or role',
      );
    }

    return { reviewId: rid, personId: sub, role: role as Role };
  }

  /** An archivist token valid for `ttlSeconds`. */
  async signArchivist(claims: ArchivistClaims, ttlSeconds: number): Promise<string> {
    return new SignJWT({ role: 'archivist' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(ARCHIVE_AUDIENCE)
      .setSubject(claims.archivistId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(this.#key);
  }

  /** Verifies an archivist token; a join token of any role is refused. */
  async verifyArchivist(token: unknown): Promise<ArchivistClaims> {
    const payload = await this.#verify(token, ARCHIVE_AUDIENCE);
    if (payload.role !== 'archivist' || typeof payload.sub !== 'string') {
      throw new AppError('FORBIDDEN', 'Not an archivist token');
    }

    return { archivistId: payload.sub };
  }

  async #verify(token: unknown, audience: string): Promise<Record<string, unknown>> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new AppError('TOKEN_INVALID', 'Missing or malformed token');
    }

    try {
      const { payload } = await jwtVerify(token, this.#key, {
        issuer: ISSUER,
        audience,
        algorithms: ['HS256'],
      });
      return payload as Record<string, unknown>;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new AppError('TOKEN_EXPIRED', 'This link has expired', { cause: err });
      }
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud') {
        throw new AppError('FORBIDDEN', 'This token does not open this part of Sarapta', {
          cause: err,
        });
      }
      throw new AppError('TOKEN_INVALID', 'This link is not valid', { cause: err });
    }
  }
}
