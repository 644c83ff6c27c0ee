/**
 * The cephx keyring of the embedded cluster: one file, owner-only, holding the
 * key of every daemon and of the admin client the set-up tools use. With
 * cephx on, only a process that can read this file reaches RADOS directly,
 * which would otherwise let any local user bypass Object Lock.
 */
import fs from 'node:fs';
import { runCephTool, type CephPrograms } from './ceph-tools.ts';

/** The entities besides the monitor, with their capabilities per service. */
const CLIENT_ENTITIES: readonly { name: string; caps: Record<string, string> }[] = [
  { name: 'client.admin', caps: { mon: 'allow *', osd: 'allow *', mgr: 'allow *' } },
  { name: 'osd.0', caps: { mon: 'allow profile osd', osd: 'allow *' } },
  { name: 'client.rgw', caps: { mon: 'allow rw', osd: 'allow rwx' } },
];

/** Creates the keyring of a new cluster: the monitor's key and every other one. */
export async function createKeyring(
  programs: CephPrograms,
  keyring: string,
  timeoutMs: number,
): Promise<void> {
  await runCephTool(
    'create keyring',
    programs['ceph-authtool'],
    ['--create-keyring', keyring, '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *'],
    timeoutMs,
  );
  await addClientKeys(programs, keyring, timeoutMs);
}

/**
 * Adds a fresh key for every entity but the monitor to an existing keyring
 * (a cluster created without cephx has only the monitor's); the caller then
 * imports the keyring into the monitor's database.
 */
export async function addClientKeys(
  programs: CephPrograms,
  keyring: string,
  timeoutMs: number,
): Promise<void> {
  for (const { name, caps } of CLIENT_ENTITIES) {
    const capArgs = Object.entries(caps).flatMap(([service, cap]) => [
      '--cap',
      service,
      cap,
    ]);
    await runCephTool(
      `create key for ${name}`,
      programs['ceph-authtool'],
      [keyring, '--gen-key', '-n', name, ...capArgs],
      timeoutMs,
    );
  }

  fs.chmodSync(keyring, 0o600);
}
