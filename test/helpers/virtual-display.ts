/**
 * A virtual X display (Xvfb) for a browser that must run with a window on a
 * machine without a screen. Xvfb chooses a free display number itself
 * (-displayfd) and writes it only once it accepts connections, so two tests,
 * or a test and a person's desktop, never collide on a number.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Debian's xvfb package (scripts/lib/debian.sh). */
const XVFB_PATH = '/usr/bin/Xvfb';

/** The screen's size and depth: the browser window and what it shares. */
const SCREEN_GEOMETRY = '1280x800x24';

/** Xvfb starts in well under a second; this only bounds a broken install. */
const START_TIMEOUT_MS = 15_000;

/** The child's descriptor Xvfb writes the chosen display number to. */
const DISPLAY_FD = 3;

/** How much of Xvfb's stderr to keep for the error of a failed start. */
const STDERR_TAIL_CHARS = 2_000;

/** A running Xvfb. */
export interface VirtualDisplay {
  /** The DISPLAY value for its clients, e.g. ':1'. */
  display: string;
  /** Stops Xvfb and waits until it has exited. Idempotent. */
  close(): Promise<void>;
}

/** Starts Xvfb on a free display number; resolves once clients can connect. */
export async function startVirtualDisplay(): Promise<VirtualDisplay> {
  const xvfb = spawn(
    XVFB_PATH,
    [
      '-displayfd',
      String(DISPLAY_FD),
      '-screen',
      '0',
      SCREEN_GEOMETRY,
      '-nolisten',
      'tcp',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => xvfb.once('exit', () => resolve()));

  let stderrTail = '';
  xvfb.stderr?.setEncoding('utf8');
  xvfb.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (xvfb.exitCode === null && xvfb.signalCode === null) xvfb.kill('SIGTERM');
      await exited;
    })();
    return closing;
  };

  try {
    const number = await displayNumberFrom(xvfb, () => stderrTail);

    return { display: `:${number}`, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Reads the number Xvfb writes to DISPLAY_FD when it is ready. */
function displayNumberFrom(
  xvfb: ChildProcess,
  stderrTail: () => string,
): Promise<string> {
  const channel = xvfb.stdio[DISPLAY_FD];

  return new Promise((resolve, reject) => {
    let written = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb did not start: ${why}\n${stderrTail()}`));
    };
    const timer = setTimeout(() => fail('no display number in time'), START_TIMEOUT_MS);

    xvfb.once('error', (err) => fail(err.message));
    xvfb.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    channel?.on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8');
      const line = written.split('\n')[0] ?? '';
      if (written.includes('\n') && /^\d+$/.test(line)) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}
