/**
 * Canonical JSON: object keys sorted at every depth, no whitespace. Two equal
 * values always give the same bytes, so a hash over them is reproducible by
 * anyone re-checking the audit log with another JSON library.
 */

/** Serialises `value` with sorted keys; undefined members are left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);

  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }

  return value;
}
