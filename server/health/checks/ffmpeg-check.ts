/** Readiness of the recorder's encoder: the configured ffmpeg runs. */
import { execFile } from 'node:child_process';
import type { ReadinessCheck } from '../readiness.ts';

const VERSION_TIMEOUT_MS = 10_000;

/**
 * Fails when `ffmpeg -version` does not run. It runs once: the binary does
 * not change while the service runs, and probes should not fork a process.
 */
export function ffmpegCheck(ffmpegPath: string): ReadinessCheck {
  let probe: Promise<void> | undefined;

  return {
    name: 'ffmpeg',
    check() {
      probe ??= runVersion(ffmpegPath);
      return probe;
    },
  };
}

function runVersion(ffmpegPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(ffmpegPath, ['-version'], { timeout: VERSION_TIMEOUT_MS }, (err, stdout) => {
      if (err) reject(new Error(`${ffmpegPath} -version failed: ${err.message}`));
      else if (!stdout.startsWith('ffmpeg version'))
        reject(new Error(`${ffmpegPath} is not ffmpeg`));
      else resolve();
    });
  });
}
