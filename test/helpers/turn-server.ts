/**
 * A real TURN relay for browser tests: Debian's coturn, started on loopback
 * with the TURN REST API secret (use-auth-secret), so it accepts exactly the
 * credentials the service mints and nothing else. Relayed peers on loopback
 * are allowed, since the media server is on 127.0.0.1 here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const TURNSERVER = '/usr/bin/turnserver';
const START_TIMEOUT_MS = 10_000;

export interface TurnRelayOptions {
  listeningPort: number;
  /** Ports coturn relays from: a relayed path shows one of them to the media server. */
  relayMinPort: number;
  relayMaxPort: number;
  secret: string;
}

export interface TurnRelay {
  /** What coturn printed, for a failing test's message. */
  log(): string;
  close(): Promise<void>;
}

/** Starts coturn and waits until it accepts TCP connections. */
export async function startTurnRelay(options: TurnRelayOptions): Promise<TurnRelay> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-turn-'));
  const child = spawn(
    TURNSERVER,
    [
      // No configuration file: the Debian one would send the log elsewhere.
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${options.listeningPort}`,
      `--min-port=${options.relayMinPort}`,
      `--max-port=${options.relayMaxPort}`,
      '--use-auth-secret',
      `--static-auth-secret=${options.secret}`,
      '--realm=sarapta.test',
      '--allow-loopback-peers',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--fingerprint',
      `--pidfile=${path.join(dir, 'turnserver.pid')}`,
      `--db=${path.join(dir, 'turndb')}`,
      '--log-file=stdout',
      '--verbose',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));

  const close = () => stop(child, dir);
  try {
    await untilListening(child, options.listeningPort);
  } catch (err) {
    await close();
    throw new Error(
      `coturn did not start: ${(err as Error).message}\n${output.join('')}`,
    );
  }

  return { log: () => output.join(''), close };
}

async function untilListening(child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  throw new Error(`nothing listened on ${port} within ${START_TIMEOUT_MS} ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
