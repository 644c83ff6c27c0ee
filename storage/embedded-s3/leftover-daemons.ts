/**
 * Daemons left running by a previous supervisor that died without stopping
 * them (SIGKILL, a crash). They hold the ports and the data, so a new start
 * must end them first. Only processes started with this state directory's
 * ceph.conf are touched: the pid files alone could name a recycled pid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../server/log/logger.ts';
import { DAEMON_STOP_GRACE_MS } from './ceph-daemon.ts';

const POLL_MS = 100;

/** Ends every daemon whose pid file is in `runDir` and whose command line names `confPath`. */
export async function stopLeftoverDaemons(
  runDir: string,
  confPath: string,
  log: Logger,
): Promise<void> {
  const pidFiles = fs.existsSync(runDir)
    ? fs.readdirSync(runDir).filter((name) => name.endsWith('.pid'))
    : [];

  await Promise.all(
    pidFiles.map(async (name) => {
      const pid = Number(fs.readFileSync(path.join(runDir, name), 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && commandLineOf(pid).includes(confPath)) {
        log.warn(
          { pid, daemon: path.basename(name, '.pid') },
          'ending a leftover daemon',
        );
        await terminate(pid);
      }
      fs.rmSync(path.join(runDir, name), { force: true });
    }),
  );
}

/** The process's command line, or '' when it no longer exists. */
function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    // The process is gone: nothing to stop.
    return '';
  }
}

async function terminate(pid: number): Promise<void> {
  signal(pid, 'SIGTERM');

  for (let waited = 0; waited < DAEMON_STOP_GRACE_MS; waited += POLL_MS) {
    if (!commandLineOf(pid)) return;
    await sleep(POLL_MS);
  }

  signal(pid, 'SIGKILL');
}

/** Sends a signal; a process that has exited meanwhile is what we wanted anyway. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
