/**
 * The Ceph programs the embedded S3 needs, found on PATH, and a runner for
 * the one-shot ones (mkfs, pool and user creation) with a time limit.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../server/errors.ts';

/** The command that installs every program below on Debian 12. */
export const CEPH_INSTALL_COMMAND =
  'apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd';

const REQUIRED_PROGRAMS = [
  'ceph-mon',
  'ceph-osd',
  'radosgw',
  'radosgw-admin',
  'ceph',
  'ceph-authtool',
  'monmaptool',
] as const;

/** The name of one required program. */
export type CephProgram = (typeof REQUIRED_PROGRAMS)[number];

/** Absolute path of each required program. */
export type CephPrograms = Record<CephProgram, string>;

/**
 * Finds every program on PATH. Throws STORAGE_UNAVAILABLE naming the missing
 * ones and the install command: there is deliberately no fallback store,
 * because none of the alternatives enforces Object Lock.
 */
export function findCephPrograms(
  searchPath: string = process.env.PATH ?? '',
): CephPrograms {
  const found: Partial<CephPrograms> = {};
  const missing: string[] = [];

  for (const program of REQUIRED_PROGRAMS) {
    const location = findOnPath(program, searchPath);
    if (location) found[program] = location;
    else missing.push(program);
  }

  if (missing.length > 0) {
    throw new AppError(
      'STORAGE_UNAVAILABLE',
      `The embedded S3 needs Ceph programs that are not installed (${missing.join(', ')}). ` +
        `Install them with: ${CEPH_INSTALL_COMMAND} (or run ./scripts/setup.sh), ` +
        'or set SARAPTA_S3_ENDPOINT to use an external S3.',
      { details: { missing, install: CEPH_INSTALL_COMMAND } },
    );
  }

  return found as CephPrograms;
}

/**
 * Runs a one-shot Ceph program to completion. A failure or a timeout becomes
 * STORAGE_UNAVAILABLE naming `step` and carrying the end of stderr (never the
 * arguments or stdout, which may hold the S3 secret).
 */
export async function runCephTool(
  step: string,
  program: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (!err) {
          resolve(stdout);
          return;
        }

        const output = stderr.trim().split('\n').slice(-5).join('\n');
        reject(
          new AppError('STORAGE_UNAVAILABLE', `Embedded S3 set-up step failed: ${step}`, {
            details: { step, output, timedOut: err.killed },
            cause: err,
          }),
        );
      },
    );
  });
}

function findOnPath(program: string, searchPath: string): string | undefined {
  for (const folder of searchPath.split(path.delimiter)) {
    if (!folder) continue;

    const candidate = path.join(folder, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder: keep looking along PATH.
      continue;
    }
  }

  return undefined;
}
