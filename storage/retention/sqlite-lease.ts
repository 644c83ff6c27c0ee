/**
 * A lease lock in the metadata database: one row per lock name with a holder
 * and an expiry. Every process running the retention job shares this
 * database, so taking the row is how one of them wins; a holder that dies
 * leaves a row that simply expires.
 *
 * Why SQLite and not an S3 lock object: the processes already share the
 * database (PostgreSQL later, same row), an UPSERT with a WHERE on the expiry
 * is atomic, and conditional PUTs (If-None-Match) are not supported by every
 * S3 store we target (RGW Pacific).
 */
import type { DatabaseSync } from '../../server/store/database.ts';

export class SqliteLease {
  readonly #db: DatabaseSync;
  readonly #name: string;
  readonly #holder: string;
  readonly #ttlMs: number;
  /** When this holder last wrote its expiry; 0 before the first write. */
  #renewedAt = 0;

  constructor(options: {
    db: DatabaseSync;
    name: string;
    holder: string;
    ttlMs: number;
  }) {
    this.#db = options.db;
    this.#name = options.name;
    this.#holder = options.holder;
    this.#ttlMs = options.ttlMs;
  }

  /** Takes the lease if it is free, expired or already ours. */
  tryAcquire(): boolean {
    const now = Date.now();
    const result = this.#db
      .prepare(
        `INSERT INTO archive_leases (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE archive_leases.expires_at < ? OR archive_leases.holder = excluded.holder`,
      )
      .run(this.#name, this.#holder, now + this.#ttlMs, now);
    if (result.changes !== 1) return false;

    this.#renewedAt = now;
    return true;
  }

  /** Extends the lease; false when another holder has taken it meanwhile. */
  renew(): boolean {
    const now = Date.now();
    const result = this.#db
      .prepare('UPDATE archive_leases SET expires_at = ? WHERE name = ? AND holder = ?')
      .run(now + this.#ttlMs, this.#name, this.#holder);
    if (result.changes !== 1) return false;

    this.#renewedAt = now;
    return true;
  }

  /**
   * Renews only once a quarter of the lease has passed since the last write:
   * until then nobody else can have taken it, and each renewal is a commit.
   */
  renewIfDue(): boolean {
    if (Date.now() - this.#renewedAt < this.#ttlMs / 4) return true;

    return this.renew();
  }

  /** Gives the lease up. Idempotent; never releases another holder's lease. */
  release(): void {
    this.#db
      .prepare('DELETE FROM archive_leases WHERE name = ? AND holder = ?')
      .run(this.#name, this.#holder);
  }
}
