import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { createSilentLogger } from '../../server/log/logger.ts';
import { EmbeddedS3 } from '../../storage/embedded-s3/embedded-s3.ts';
import {
  CEPH_INSTALL_COMMAND,
  findCephPrograms,
} from '../../storage/embedded-s3/ceph-tools.ts';
import { ObjectStore } from '../../storage/object-store.ts';
import { tcpListenersOf } from '../helpers/bound-sockets.ts';
import { freePort } from '../helpers/free-port.ts';
import { testS3 } from '../helpers/s3-server.ts';

const logger = createSilentLogger();
const stateDirs: string[] = [];

afterEach(() => {
  for (const dir of stateDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newStateDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarapta-es3-'));
  stateDirs.push(dir);
  return dir;
}

function storeFor(endpoint: {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}) {
  const store = new ObjectStore({
    ...endpoint,
    region: 'us-east-1',
    bucket: 'lifecycle-test',
    forcePathStyle: true,
    checksumMode: 'WHEN_REQUIRED',
  });
  onTestFinished(() => store.close());
  return store;
}

/** The processes whose command line names `confPath`: the cluster's daemons. */
function pidsRunningWith(confPath: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs
          .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          .split('\0')
          .includes(confPath);
      } catch {
        // The process ended between the listing and the read.
        return false;
      }
    })
    .map(Number);
}

/** Whether the cluster in `dir` answers a RADOS client that holds `keyring`. */
function radosAdmits(dir: string, keyring: string): boolean {
  const conf = path.join(dir, 'ceph.conf');
  const result = spawnSync(
    'ceph',
    ['-c', conf, '--keyring', keyring, '--connect-timeout', '30', 'osd', 'stat'],
    { encoding: 'utf8' },
  );
  return result.status === 0;
}

describe('EmbeddedS3', () => {
  it('keeps a locked object and its keys across bluestore restarts, behind loopback and cephx', async () => {
    const dir = newStateDir();
    const options = {
      dir,
      store: 'bluestore' as const,
      rgwPort: await freePort(),
      monPort: await freePort(),
      logger,
    };

    const first = new EmbeddedS3(options);
    onTestFinished(() => first.stop('test finished'));
    const firstEndpoint = await first.start();
    expect(await first.start()).toEqual(firstEndpoint);

    const store = storeFor(firstEndpoint);
    await store.ensureBucket();
    expect(await store.hasObjectLock()).toBe(true);
    await store.putLocked({
      key: 'evidence/one.txt',
      body: Buffer.from('kept across restarts'),
      contentType: 'text/plain',
      retainUntil: new Date(Date.now() + 3_600_000),
    });
    await first.stop('restart');
    await first.stop('second stop is harmless');

    const second = new EmbeddedS3(options);
    onTestFinished(() => second.stop('test finished'));
    const secondEndpoint = await second.start();

    expect(secondEndpoint).toEqual(firstEndpoint);
    // Raw RADOS access would bypass Object Lock: no daemon may listen beyond loopback.
    const daemons = pidsRunningWith(path.join(dir, 'ceph.conf'));
    expect(daemons).toHaveLength(3);
    const listeners = daemons.flatMap((pid) => tcpListenersOf(pid));
    expect(listeners.length).toBeGreaterThanOrEqual(3);
    expect(new Set(listeners.map((socket) => socket.address))).toEqual(
      new Set(['127.0.0.1']),
    );
    // Nor may a local process without the keyring talk to RADOS.
    expect(fs.statSync(path.join(dir, 'keyring')).mode & 0o777).toBe(0o600);
    expect(radosAdmits(dir, '/dev/null')).toBe(false);
    expect(radosAdmits(dir, path.join(dir, 'keyring'))).toBe(true);
    const reopened = storeFor(secondEndpoint);
    expect((await reopened.getBuffer('evidence/one.txt')).toString()).toBe(
      'kept across restarts',
    );
    await second.stop('restart');

    // A state record without "auth" is what versions before cephx wrote: the
    // keys are made and imported again, and the data is still there.
    const stateFile = path.join(dir, 'state.json');
    const { auth, ...withoutAuth } = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as {
      auth: string;
    };
    expect(auth).toBe('cephx');
    fs.writeFileSync(stateFile, JSON.stringify(withoutAuth));
    const third = new EmbeddedS3(options);
    onTestFinished(() => third.stop('test finished'));
    const thirdEndpoint = await third.start();

    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8'))).toMatchObject({
      auth: 'cephx',
    });
    expect(radosAdmits(dir, '/dev/null')).toBe(false);
    const upgraded = storeFor(thirdEndpoint);
    expect((await upgraded.getBuffer('evidence/one.txt')).toString()).toBe(
      'kept across restarts',
    );
  });

  it('refuses to start on a port another server already answers on', async () => {
    const taken = Number(new URL(testS3().endpoint).port);
    const server = new EmbeddedS3({
      dir: newStateDir(),
      store: 'memstore',
      rgwPort: taken,
      monPort: await freePort(),
      logger,
    });
    onTestFinished(() => server.stop('test finished'));

    await expect(server.start()).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining(`port ${taken} is already in use`),
    });
  });

  it.each([
    [
      'as memstore, which would discard it',
      { store: 'memstore' as const, monPort: 3300 },
      /cannot start as memstore/,
    ],
    [
      'on another monitor port',
      { store: 'bluestore' as const, monPort: 3301 },
      /created with monitor port 3300/,
    ],
  ])('refuses to start a persistent cluster %s', async (_case, options, message) => {
    const dir = newStateDir();
    const existing = {
      fsid: 'a1b2c3d4-0000-4000-8000-000000000000',
      store: 'bluestore',
      monPort: 3300,
    };
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify(existing));
    const server = new EmbeddedS3({ dir, rgwPort: await freePort(), logger, ...options });
    onTestFinished(() => server.stop('test finished'));

    await expect(server.start()).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message,
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'))).toEqual(
      existing,
    );
  });

  it('names the missing programs and the apt-get command when Ceph is not installed', () => {
    let thrown: unknown;
    try {
      findCephPrograms('/nonexistent');
    } catch (err) {
      thrown = err;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('STORAGE_UNAVAILABLE');
    expect((thrown as AppError).message).toContain('radosgw');
    expect((thrown as AppError).message).toContain(CEPH_INSTALL_COMMAND);
  });
});
