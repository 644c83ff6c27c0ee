/**
 * One Ceph daemon (ceph-mon, ceph-osd or radosgw) run in the foreground as a
 * child of this process, so that it lives and dies with the supervisor. Its
 * own log goes to the file named in ceph.conf; stdout and stderr go to a
 * second file beside it, for crashes before the log is open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Logger } from '../../server/log/logger.ts';

/** How long a daemon gets to exit after SIGTERM: radosgw sometimes hangs in shutdown. */
export const DAEMON_STOP_GRACE_MS = 10_000;

/** How a daemon ended. */
export interface DaemonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running daemon with one idempotent stop(). */
export class CephDaemon {
  readonly name: string;
  /** Resolves when the process has exited, for whatever reason. */
  readonly exited: Promise<DaemonExit>;

  readonly #child: ChildProcess;
  readonly #log: Logger;
  #stopping: Promise<void> | undefined;

  /** Spawns `command args -f` with stdout and stderr appended to `outputFile`. */
  constructor(
    name: string,
    command: string,
    args: readonly string[],
    outputFile: string,
    log: Logger,
  ) {
    this.name = name;
    this.#log = log.child({ daemon: name });

    const output = fs.openSync(outputFile, 'a');
    try {
      // setpriv (util-linux) asks the kernel to SIGTERM the daemon when this
      // process dies, so a crashed or killed supervisor leaves no daemon behind.
      this.#child = spawn(
        'setpriv',
        ['--pdeathsig', 'SIGTERM', '--', command, ...args, '-f'],
        {
          stdio: ['ignore', output, output],
        },
      );
    } finally {
      // The child holds its own copy of the descriptor.
      fs.closeSync(output);
    }

    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => resolve({ code, signal }));
      // A spawn failure emits 'error' and never 'exit'.
      this.#child.once('error', (err) => {
        this.#log.error({ err }, 'daemon could not be spawned');
        resolve({ code: null, signal: null });
      });
    });
    this.exited.then((exit) => {
      if (!this.#stopping)
        this.#log.error({ ...exit, outputFile }, 'daemon exited unexpectedly');
    });

    this.#log.debug({ pid: this.#child.pid }, 'daemon started');
  }

  /** Process id, undefined when spawning failed. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** SIGTERM, then SIGKILL after the grace period. Safe to call twice. */
  stop(reason: string): Promise<void> {
    this.#stopping ??= this.#terminate(reason);
    return this.#stopping;
  }

  async #terminate(reason: string): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;

    this.#log.debug({ reason }, 'stopping daemon');
    this.#child.kill('SIGTERM');

    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DAEMON_STOP_GRACE_MS);
    });
    const outcome = await Promise.race([this.exited, graceOver]);
    clearTimeout(timer);

    if (outcome === 'timeout') {
      this.#log.warn(
        { reason, graceMs: DAEMON_STOP_GRACE_MS },
        'daemon ignored SIGTERM; killing it',
      );
      this.#child.kill('SIGKILL');
      await this.exited;
    }
  }
}
