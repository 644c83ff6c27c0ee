/**
 * The ceph.conf of the embedded single-node cluster: one monitor, one OSD and
 * one radosgw, all on 127.0.0.1, with every file under the state directory
 * (nothing in /etc/ceph or /var/lib/ceph).
 */
import path from 'node:path';

/** Where objects live: RAM (tests, gone at stop) or a block file (kept). */
export type CephStore = 'memstore' | 'bluestore';

/** What the configuration depends on. */
export interface CephConfOptions {
  dir: string;
  fsid: string;
  store: CephStore;
  /** 'none' only while a cluster created without cephx gets its keys. */
  auth: 'cephx' | 'none';
  monPort: number;
  rgwPort: number;
  /** Lifecycle "days" last this many seconds (tests only); unset = real days. */
  lcDebugIntervalSeconds?: number;
}

/** RAM cap of the memstore OSD. */
const MEMSTORE_BYTES = 2 * 1024 ** 3;
/** Size of the sparse bluestore block file; real use grows with the data. */
const BLUESTORE_BLOCK_BYTES = 10 * 1024 ** 3;
const OSD_MEMORY_TARGET_BYTES = 1024 ** 3;

/** Renders ceph.conf for the given state directory and ports. */
export function renderCephConf(options: CephConfOptions): string {
  const { dir } = options;

  return [
    '[global]',
    `fsid = ${options.fsid}`,
    `mon host = v2:127.0.0.1:${options.monPort}`,
    // Every messenger on loopback only: the OSD otherwise binds its cluster and
    // heartbeat ports on 0.0.0.0, and raw RADOS access would bypass Object Lock.
    'public addr = 127.0.0.1',
    'cluster addr = 127.0.0.1',
    'public network = 127.0.0.0/8',
    'cluster network = 127.0.0.0/8',
    // cephx keeps other local users out of RADOS (see cephx-keyring.ts).
    `auth cluster required = ${options.auth}`,
    `auth service required = ${options.auth}`,
    `auth client required = ${options.auth}`,
    // Without cephx msgr2 cannot negotiate "secure" mode; without these two
    // lines radosgw retries its mon handshake forever. On loopback, crc is enough.
    'ms mon client mode = crc',
    'ms client mode = crc',
    'ms bind ipv4 = true',
    'ms bind ipv6 = false',
    `run dir = ${path.join(dir, 'run')}`,
    `admin socket = ${path.join(dir, 'run', '$name.asok')}`,
    `pid file = ${path.join(dir, 'run', '$name.pid')}`,
    `log file = ${path.join(dir, 'log', '$name.log')}`,
    `keyring = ${path.join(dir, 'keyring')}`,
    // One OSD: pools of size 1, placement by OSD rather than by host, no autoscaler.
    'osd pool default size = 1',
    'osd pool default min size = 1',
    'osd pool default pg num = 8',
    'osd pool default pgp num = 8',
    'osd pool default pg autoscale mode = off',
    'mon allow pool size one = true',
    'mon warn on pool no redundancy = false',
    'mon max pg per osd = 1000',
    'osd crush chooseleaf type = 0',
    '',
    '[mon.a]',
    `mon data = ${path.join(dir, 'mon.a')}`,
    '',
    '[osd.0]',
    `osd data = ${path.join(dir, 'osd.0')}`,
    ...storeLines(options),
    '',
    '[client.rgw]',
    `rgw frontends = beast endpoint=127.0.0.1:${options.rgwPort}`,
    ...(options.lcDebugIntervalSeconds === undefined
      ? []
      : [`rgw lc debug interval = ${options.lcDebugIntervalSeconds}`]),
    '',
  ].join('\n');
}

function storeLines(options: CephConfOptions): string[] {
  if (options.store === 'memstore') {
    return ['osd objectstore = memstore', `memstore device bytes = ${MEMSTORE_BYTES}`];
  }

  return [
    'osd objectstore = bluestore',
    // The block file must sit outside the OSD data directory: inside it,
    // bluestore's own "block" symlink points at itself.
    `bluestore block path = ${path.join(options.dir, 'osd.0.block')}`,
    'bluestore block create = true',
    `bluestore block size = ${BLUESTORE_BLOCK_BYTES}`,
    'bluestore fsck on mount = false',
    `osd memory target = ${OSD_MEMORY_TARGET_BYTES}`,
  ];
}
