/**
 * Readiness: a list of named checks, each one a promise that rejects (with
 * the reason) when its dependency is not usable. The service is ready when
 * every check passes within its time limit.
 */

/** One dependency the service needs in order to serve reviews. */
export interface ReadinessCheck {
  /** Stable name, shown in /readyz and logs (e.g. "s3"). */
  name: string;
  /** Resolves when usable; rejects with the reason otherwise. */
  check(): Promise<void>;
}

/** The result of one check. */
export interface CheckOutcome {
  ok: boolean;
  /** Why the check failed; absent when it passed. */
  error?: string;
}

/** The body of /readyz. */
export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, CheckOutcome>;
}

/** A check that has not answered after this long counts as failed. */
export const DEFAULT_CHECK_TIMEOUT_MS = 3000;

/** Runs every check concurrently, each under `timeoutMs`, and reports them all. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const outcomes = await Promise.all(
    checks.map(async (check): Promise<[string, CheckOutcome]> => {
      try {
        await withTimeout(check.check(), timeoutMs);
        return [check.name, { ok: true }];
      } catch (err) {
        return [check.name, { ok: false, error: reasonOf(err) }];
      }
    }),
  );

  return {
    ok: outcomes.every(([, outcome]) => outcome.ok),
    checks: Object.fromEntries(outcomes),
  };
}

async function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });

  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
