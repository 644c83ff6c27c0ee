/**
 * The embedded S3: a single-node Ceph cluster (ceph-mon, one ceph-osd,
 * radosgw) supervised by this process under one state directory. It is a
 * real S3 with Object Lock, versioning, lifecycle and SigV4, which no
 * in-process fake offers. With bluestore the data survives restarts; with
 * memstore (tests) it lives in RAM and is gone at stop.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULT_EMBEDDED_S3_MON_PORT,
  DEFAULT_EMBEDDED_S3_PORT,
} from '../../server/config/defaults.ts';
import { AppError } from '../../server/errors.ts';
import type { Logger } from '../../server/log/logger.ts';
import { renderCephConf, type CephStore } from './ceph-conf.ts';
import { CephDaemon, type DaemonExit } from './ceph-daemon.ts';
import { addClientKeys, createKeyring } from './cephx-keyring.ts';
import { findCephPrograms, runCephTool, type CephPrograms } from './ceph-tools.ts';
import { loadOrCreateCredentials, type S3Credentials } from './credentials.ts';
import { stopLeftoverDaemons } from './leftover-daemons.ts';
import type { Config } from '../../server/config/config.ts';
import { embeddedS3Dir } from '../../server/config/data-dir.ts';

/** How to run the embedded store. */
export interface EmbeddedS3Options {
  /** State directory: ceph.conf, data, logs, pid files, credentials. */
  dir: string;
  /** 'bluestore' (default) keeps data across restarts; 'memstore' is RAM only. */
  store?: CephStore;
  /** S3 port on 127.0.0.1. Default DEFAULT_EMBEDDED_S3_PORT. */
  rgwPort?: number;
  /** Monitor port on 127.0.0.1; fixed once the cluster exists. Default DEFAULT_EMBEDDED_S3_MON_PORT. */
  monPort?: number;
  /** Access key; default: generated once and kept in the state directory. */
  accessKey?: string;
  /** Secret key; given together with accessKey. */
  secretKey?: string;
  /** Lifecycle "days" last this many seconds (tests only). Default: real days. */
  lcDebugIntervalSeconds?: number;
  /** How long start() waits for S3 to answer, in ms. Default 180 000. */
  startTimeoutMs?: number;
  logger: Logger;
}

/** Where and how to reach the running store. */
export interface EmbeddedS3Endpoint extends S3Credentials {
  endpoint: string;
}

/** The service's embedded default: persistent, under `<dataDir>/s3`, on the configured ports. */
export function embeddedS3OptionsFrom(config: Config, logger: Logger): EmbeddedS3Options {
  return {
    dir: embeddedS3Dir(config),
    store: 'bluestore',
    rgwPort: config.s3.embeddedPort,
    monPort: config.s3.embeddedMonPort,
    logger,
  };
}

/** What the state directory remembers about the cluster it holds. */
interface ClusterState {
  fsid: string;
  store: CephStore;
  monPort: number;
  /** Absent in clusters created before cephx was turned on: they get their keys at start. */
  auth?: 'cephx';
}

const DEFAULT_START_TIMEOUT_MS = 180_000;
/** Generous limits: a busy 2-core machine makes the first pool creation slow. */
const TOOL_TIMEOUT_MS = 120_000;
const READY_POLL_MS = 250;
const S3_USER = 'sarapta';

/** Supervises the three daemons of the embedded S3. */
export class EmbeddedS3 {
  readonly dir: string;
  readonly store: CephStore;
  readonly rgwPort: number;
  readonly monPort: number;

  readonly #options: EmbeddedS3Options;
  readonly #log: Logger;
  readonly #confPath: string;
  #daemons: CephDaemon[] = [];
  #starting: Promise<EmbeddedS3Endpoint> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(options: EmbeddedS3Options) {
    if ((options.accessKey === undefined) !== (options.secretKey === undefined)) {
      throw new AppError(
        'CONFIG_INVALID',
        'Embedded S3: give accessKey and secretKey together',
      );
    }

    this.dir = path.resolve(options.dir);
    this.store = options.store ?? 'bluestore';
    this.rgwPort = options.rgwPort ?? DEFAULT_EMBEDDED_S3_PORT;
    this.monPort = options.monPort ?? DEFAULT_EMBEDDED_S3_MON_PORT;
    this.#options = options;
    this.#confPath = path.join(this.dir, 'ceph.conf');
    this.#log = options.logger.child({
      component: 'embedded-s3',
      dir: this.dir,
      store: this.store,
      rgwPort: this.rgwPort,
    });
  }

  /**
   * Starts the cluster (creating it on first use) and resolves once S3
   * answers. Calling it again while running returns the same endpoint.
   */
  start(): Promise<EmbeddedS3Endpoint> {
    if (!this.#starting) {
      const starting = this.#start();
      this.#starting = starting;
      // A failed start leaves nothing running, so a later call may try again.
      starting.catch(() => {
        if (this.#starting === starting) this.#starting = undefined;
      });
    }
    return this.#starting;
  }

  /** Stops the daemons (radosgw first, the monitor last). Safe to call twice. */
  stop(reason: string): Promise<void> {
    this.#stopping ??= this.#stop(reason, this.#starting);
    // From now on start() means a new start, after this stop.
    this.#starting = undefined;
    return this.#stopping;
  }

  async #start(): Promise<EmbeddedS3Endpoint> {
    // A stop still in progress must finish before the same ports and files are reused.
    await this.#stopping;
    this.#stopping = undefined;

    const startedAt = Date.now();
    const programs = findCephPrograms();
    fs.mkdirSync(path.join(this.dir, 'log'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'run'), { recursive: true });
    const credentials = this.#credentials();

    await stopLeftoverDaemons(path.join(this.dir, 'run'), this.#confPath, this.#log);
    // Otherwise another server on the port would pass for ours in the readiness poll.
    if (await this.#answers()) {
      throw new AppError(
        'STORAGE_UNAVAILABLE',
        `Embedded S3: port ${this.rgwPort} is already in use`,
        {
          details: { rgwPort: this.rgwPort },
        },
      );
    }

    try {
      const cluster = this.#persistentCluster();
      if (cluster) {
        if (cluster.auth !== 'cephx') await this.#enableCephx(programs, cluster);
        this.#writeConf(cluster.fsid, 'cephx');
        this.#launch(programs, ['mon', 'osd', 'rgw']);
      } else {
        await this.#createCluster(programs, credentials);
      }

      await this.#waitUntilServing(startedAt);
    } catch (err) {
      await this.#stopDaemons('start failed');
      throw err;
    }

    this.#log.info({ ms: Date.now() - startedAt }, 'embedded S3 serving');
    return { endpoint: `http://127.0.0.1:${this.rgwPort}`, ...credentials };
  }

  async #stop(
    reason: string,
    starting: Promise<EmbeddedS3Endpoint> | undefined,
  ): Promise<void> {
    // A start in flight is let finish first; its failure belongs to start()'s caller.
    await starting?.catch(() => undefined);

    await this.#stopDaemons(reason);
    this.#log.info({ reason }, 'embedded S3 stopped');
  }

  /** Stops in reverse start order: radosgw needs the OSD and monitor to shut down cleanly. */
  async #stopDaemons(reason: string): Promise<void> {
    for (const daemon of this.#daemons.toReversed()) await daemon.stop(reason);
    this.#daemons = [];
  }

  #credentials(): S3Credentials {
    if (this.#options.accessKey !== undefined && this.#options.secretKey !== undefined) {
      return {
        accessKeyId: this.#options.accessKey,
        secretAccessKey: this.#options.secretKey,
      };
    }
    return loadOrCreateCredentials(this.dir);
  }

  /**
   * The persistent cluster this directory holds, checked against the options;
   * undefined when there is none to keep (nothing yet, or a memstore one).
   */
  #persistentCluster(): ClusterState | undefined {
    const file = path.join(this.dir, 'state.json');
    if (!fs.existsSync(file)) return undefined;

    let state: ClusterState;
    try {
      state = JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterState;
    } catch (err) {
      throw new AppError('CONFIG_INVALID', `Embedded S3 state file ${file} is damaged`, {
        cause: err,
      });
    }
    if (state.store !== 'bluestore') return undefined;

    // Creating a cluster here would throw away the evidence it holds.
    if (this.store !== 'bluestore') {
      throw new AppError(
        'CONFIG_INVALID',
        `The embedded S3 in ${this.dir} holds persistent data; it cannot start as ${this.store}`,
      );
    }
    // The monitor's address is written into its map at creation and cannot move.
    if (state.monPort !== this.monPort) {
      throw new AppError(
        'CONFIG_INVALID',
        `The embedded S3 in ${this.dir} was created with monitor port ${state.monPort}; ` +
          `it cannot start on ${this.monPort}`,
      );
    }
    return state;
  }

  /** First start (or any memstore start): a new cluster with one OSD and the S3 user. */
  async #createCluster(
    programs: CephPrograms,
    credentials: S3Credentials,
  ): Promise<void> {
    this.#log.info('creating the cluster');
    this.#removeClusterFiles();
    fs.mkdirSync(path.join(this.dir, 'mon.a'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'osd.0'), { recursive: true });

    const fsid = randomUUID();
    const conf = ['-c', this.#confPath];
    const keyring = path.join(this.dir, 'keyring');
    const monmap = path.join(this.dir, 'monmap');
    this.#writeConf(fsid, 'cephx');

    // The monitor's format imports every key of the keyring into its database.
    await createKeyring(programs, keyring, TOOL_TIMEOUT_MS);
    await runCephTool(
      'create monitor map',
      programs.monmaptool,
      [
        '--create',
        '--fsid',
        fsid,
        '--addv',
        'a',
        `[v2:127.0.0.1:${this.monPort}]`,
        monmap,
      ],
      TOOL_TIMEOUT_MS,
    );
    await runCephTool(
      'format monitor',
      programs['ceph-mon'],
      [...conf, '--mkfs', '-i', 'a', '--monmap', monmap, '--keyring', keyring],
      TOOL_TIMEOUT_MS,
    );
    this.#launch(programs, ['mon']);

    const osdUuid = randomUUID();
    await runCephTool(
      'register OSD',
      programs.ceph,
      [
        ...conf,
        '--connect-timeout',
        String(TOOL_TIMEOUT_MS / 1000),
        'osd',
        'new',
        osdUuid,
      ],
      TOOL_TIMEOUT_MS,
    );
    await runCephTool(
      'format OSD',
      programs['ceph-osd'],
      [...conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid],
      TOOL_TIMEOUT_MS,
    );
    this.#launch(programs, ['osd']);

    await runCephTool(
      'create S3 user',
      programs['radosgw-admin'],
      [
        ...conf,
        'user',
        'create',
        `--uid=${S3_USER}`,
        `--display-name=${S3_USER}`,
        `--access-key=${credentials.accessKeyId}`,
        `--secret-key=${credentials.secretAccessKey}`,
      ],
      TOOL_TIMEOUT_MS,
    );
    this.#launch(programs, ['rgw']);

    // Written last: a cluster whose creation was interrupted is created again.
    const state: ClusterState = {
      fsid,
      store: this.store,
      monPort: this.monPort,
      auth: 'cephx',
    };
    this.#writeState(state);
  }

  /**
   * Turns cephx on in a cluster an earlier version created without it: the
   * monitor, started alone without auth, imports the keys of the daemons and
   * the admin client, then stops. Repeating it after an interruption is safe:
   * new keys replace the ones imported before.
   */
  async #enableCephx(programs: CephPrograms, cluster: ClusterState): Promise<void> {
    this.#log.info('turning cephx on for a cluster created without it');
    const keyring = path.join(this.dir, 'keyring');
    await addClientKeys(programs, keyring, TOOL_TIMEOUT_MS);

    this.#writeConf(cluster.fsid, 'none');
    this.#launch(programs, ['mon']);
    await runCephTool(
      'import cephx keys',
      programs.ceph,
      [
        '-c',
        this.#confPath,
        '--connect-timeout',
        String(TOOL_TIMEOUT_MS / 1000),
        'auth',
        'import',
        '-i',
        keyring,
      ],
      TOOL_TIMEOUT_MS,
    );
    await this.#stopDaemons('cephx keys imported');

    this.#writeState({ ...cluster, auth: 'cephx' });
  }

  #writeState(state: ClusterState): void {
    fs.writeFileSync(path.join(this.dir, 'state.json'), JSON.stringify(state));
  }

  #removeClusterFiles(): void {
    for (const name of [
      'state.json',
      'mon.a',
      'osd.0',
      'osd.0.block',
      'keyring',
      'monmap',
    ]) {
      fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
    }
  }

  #writeConf(fsid: string, auth: 'cephx' | 'none'): void {
    const conf = renderCephConf({
      dir: this.dir,
      fsid,
      store: this.store,
      auth,
      monPort: this.monPort,
      rgwPort: this.rgwPort,
      lcDebugIntervalSeconds: this.#options.lcDebugIntervalSeconds,
    });
    fs.writeFileSync(this.#confPath, conf);
  }

  #launch(programs: CephPrograms, which: readonly ('mon' | 'osd' | 'rgw')[]): void {
    const conf = ['-c', this.#confPath];
    const commands = {
      mon: { name: 'mon.a', program: programs['ceph-mon'], args: [...conf, '-i', 'a'] },
      osd: { name: 'osd.0', program: programs['ceph-osd'], args: [...conf, '-i', '0'] },
      rgw: {
        name: 'client.rgw',
        program: programs.radosgw,
        args: [...conf, '-n', 'client.rgw'],
      },
    };

    for (const key of which) {
      const { name, program, args } = commands[key];
      const output = path.join(this.dir, 'log', `${name}.out`);
      this.#daemons.push(new CephDaemon(name, program, args, output, this.#log));
    }
  }

  /** Polls the S3 port until it answers; fails early if a daemon dies. */
  async #waitUntilServing(startedAt: number): Promise<void> {
    const deadline =
      startedAt + (this.#options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    let died: { name: string; exit: DaemonExit } | undefined;
    for (const daemon of this.#daemons) {
      daemon.exited.then((exit) => {
        died ??= { name: daemon.name, exit };
      });
    }

    while (Date.now() < deadline) {
      if (died) {
        throw new AppError(
          'STORAGE_UNAVAILABLE',
          `Embedded S3: ${died.name} exited during start`,
          {
            details: {
              ...died.exit,
              log: path.join(this.dir, 'log', `${died.name}.log`),
            },
          },
        );
      }
      if (await this.#answers()) return;
      await sleep(READY_POLL_MS);
    }

    throw new AppError('STORAGE_UNAVAILABLE', 'Embedded S3 did not answer in time', {
      details: {
        rgwPort: this.rgwPort,
        log: path.join(this.dir, 'log', 'client.rgw.log'),
      },
    });
  }

  /** Whether radosgw answers HTTP at all (any status: an anonymous request gets 200 or 403). */
  async #answers(): Promise<boolean> {
    try {
      const reply = await fetch(`http://127.0.0.1:${this.rgwPort}/`, {
        signal: AbortSignal.timeout(2000),
      });
      await reply.body?.cancel();
      return true;
    } catch {
      // Not listening yet: the caller polls again.
      return false;
    }
  }
}
