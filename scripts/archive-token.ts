/**
 * Operator command: issues an archivist token (opens the archive page and
 * API, nothing else) and prints two lines: the raw token, then the archive
 * page link carrying it. Uses the service's token secret from the
 * configuration or its data directory (SARAPTA_DATA_DIR).
 *
 *   node scripts/archive-token.ts --archivist "a.nurlanova" [--hours 8] [--url URL]
 */
import { serviceTokenSecret } from '../server/archive/operator-context.ts';
import { TokenService } from '../server/auth/tokens.ts';
import { loadConfig } from '../server/config/config.ts';
import {
  fromDataDir,
  readCommandLine,
  runOperatorCommand,
  serviceListenUrl,
} from './lib/operator-command.ts';

const USAGE = `Usage: node scripts/archive-token.ts --archivist ID [--hours N] [--url URL]
  Prints the token, then the archive page link. Run it with the service's
  SARAPTA_DATA_DIR: the token is signed with the secret kept there.`;
const DEFAULT_HOURS = 8;
const MAX_HOURS = 24 * 7;

async function main(): Promise<number> {
  const values = readCommandLine(USAGE, {
    archivist: { type: 'string' },
    hours: { type: 'string' },
    url: { type: 'string' },
  });
  if (!values) return 0;

  const archivistId = values.archivist?.trim();
  const hours = Number(values.hours ?? DEFAULT_HOURS);
  if (!archivistId || !Number.isFinite(hours) || hours <= 0 || hours > MAX_HOURS) {
    console.error(`${USAGE}\n  --hours must be between 0 and ${MAX_HOURS}`);
    return 1;
  }

  const config = loadConfig();
  const tokens = new TokenService(fromDataDir(config, () => serviceTokenSecret(config)));
  const token = await tokens.signArchivist({ archivistId }, Math.round(hours * 3600));
  const base = values.url ?? config.http.publicUrl ?? serviceListenUrl(config);

  console.log(token);
  console.log(`${base.replace(/\/$/, '')}/archive.html#token=${token}`);
  return 0;
}

runOperatorCommand(main);
