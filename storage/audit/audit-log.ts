/**
 * The archive's audit log: an append-only table where every entry carries the
 * previous entry's hash and its own, sha256(prevHash + "\n" + canonical JSON
 * of the entry). Editing, removing or reordering any entry breaks the chain
 * from that entry on, which verifyChain() reports by sequence number.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from '../../server/store/database.ts';
import { inTransaction } from '../../server/store/database.ts';
import { canonicalJson } from './canonical-json.ts';

/** The hash the first entry chains from. */
export const AUDIT_GENESIS = 'sarapta-audit-chain-v1';

/** Everything that touches the evidence leaves one of these. */
export type AuditAction =
  | 'search'
  | 'view'
  | 'playback'
  | 'download'
  | 'case-open'
  | 'case-close'
  | 'hold'
  | 'release'
  | 'verify'
  | 'deletion'
  | 'deletion-refused'
  | 'export'
  | 'audit-view'
  | 'audit-verify';

/** What a caller appends. */
export interface AuditInput {
  actor: string;
  action: AuditAction;
  reviewId?: string;
  details?: Record<string, unknown>;
}

/** A stored entry. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: AuditAction;
  reviewId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The outcome of checking the whole chain. */
export interface ChainVerification {
  ok: boolean;
  checked: number;
  headHash: string;
  /** The first entry that does not match, when ok is false. */
  brokenAt?: { seq: number; problem: string };
}

const PAGE_SIZE = 1000;

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  review_id: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
}

export class AuditLog {
  readonly #db: DatabaseSync;
  readonly #now: () => Date;

  constructor(db: DatabaseSync, options: { now?: () => Date } = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Appends one entry. Joins the caller's transaction when there is one, so a
   * state change and its audit entry commit together.
   */
  append(input: AuditInput): AuditEntry {
    const write = (): AuditEntry => {
      const last = this.#db
        .prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
        .get() as { seq: number; hash: string } | undefined;

      const body = {
        seq: (last?.seq ?? 0) + 1,
        at: this.#now().toISOString(),
        actor: input.actor,
        action: input.action,
        reviewId: input.reviewId ?? null,
        details: input.details ?? {},
      };
      const prevHash = last?.hash ?? genesisHash();
      const hash = entryHash(prevHash, body);

      this.#db
        .prepare(
          `INSERT INTO audit_log (seq, at, actor, action, review_id, details_json, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          body.seq,
          body.at,
          body.actor,
          body.action,
          body.reviewId,
          canonicalJson(body.details),
          prevHash,
          hash,
        );

      return { ...body, prevHash, hash };
    };

    return this.#db.isTransaction ? write() : inTransaction(this.#db, write);
  }

  /** Newest entries first, optionally for one review, paged by `beforeSeq`. */
  list(
    query: { reviewId?: string; beforeSeq?: number; limit?: number } = {},
  ): AuditEntry[] {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const rows = this.#db
      .prepare(
        `SELECT * FROM audit_log
         WHERE (:reviewId IS NULL OR review_id = :reviewId) AND seq < :beforeSeq
         ORDER BY seq DESC LIMIT :limit`,
      )
      .all({
        reviewId: query.reviewId ?? null,
        beforeSeq: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
        limit,
      }) as unknown as AuditRow[];

    return rows.map(toEntry);
  }

  /** Every entry in order, one page at a time: memory stays flat on a long log. */
  *entries(): Generator<AuditEntry> {
    let afterSeq = 0;
    const page = this.#db.prepare(
      'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
    );

    for (;;) {
      const rows = page.all(afterSeq, PAGE_SIZE) as unknown as AuditRow[];
      for (const row of rows) yield toEntry(row);

      if (rows.length < PAGE_SIZE) return;
      afterSeq = (rows[rows.length - 1] as AuditRow).seq;
    }
  }

  /** The log as JSON lines, one entry per line, for export. */
  *jsonLines(): Generator<string> {
    for (const entry of this.entries()) yield `${JSON.stringify(entry)}\n`;
  }

  /**
   * Recomputes every hash from the genesis. Reports the first entry whose
   * stored hash, link to its predecessor or sequence number is wrong.
   */
  verifyChain(): ChainVerification {
    let prevHash = genesisHash();
    let expectedSeq = 1;
    let checked = 0;

    for (const entry of this.entries()) {
      const problem = chainProblem(entry, prevHash, expectedSeq);
      if (problem)
        return {
          ok: false,
          checked,
          headHash: prevHash,
          brokenAt: { seq: entry.seq, problem },
        };

      prevHash = entry.hash;
      expectedSeq += 1;
      checked += 1;
    }

    return { ok: true, checked, headHash: prevHash };
  }
}

function chainProblem(
  entry: AuditEntry,
  prevHash: string,
  expectedSeq: number,
): string | undefined {
  if (entry.seq !== expectedSeq) return `entry ${expectedSeq} is missing`;

  if (entry.prevHash !== prevHash) return 'does not link to the previous entry';

  const body = {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    reviewId: entry.reviewId,
    details: entry.details,
  };
  if (entryHash(prevHash, body) !== entry.hash) return 'content does not match its hash';

  return undefined;
}

function entryHash(
  prevHash: string,
  body: Omit<AuditEntry, 'prevHash' | 'hash'>,
): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(body)}`)
    .digest('hex');
}

function genesisHash(): string {
  return createHash('sha256').update(AUDIT_GENESIS).digest('hex');
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    reviewId: row.review_id,
    details: JSON.parse(row.details_json) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
