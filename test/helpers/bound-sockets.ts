/**
 * The local addresses of the UDP sockets and listening TCP sockets one process
 * holds, read from /proc (its socket descriptors matched by inode against
 * /proc/net/{udp,tcp}{,6}). Tests use it to check that a local-only component
 * binds loopback, not every interface.
 */
import fs from 'node:fs';
import os from 'node:os';

/** One bound socket: `address` is "0.0.0.0", "127.0.0.1", "::" and so on. */
export interface BoundSocket {
  address: string;
  port: number;
}

/** The kernel's code for a TCP socket in the LISTEN state. */
const TCP_LISTEN = '0A';

/** Every UDP socket `pid` holds open now. */
export function udpSocketsOf(pid: number): BoundSocket[] {
  return socketsOf(pid, 'udp');
}

/** Every TCP socket `pid` listens on now. */
export function tcpListenersOf(pid: number): BoundSocket[] {
  return socketsOf(pid, 'tcp');
}

function socketsOf(pid: number, protocol: 'udp' | 'tcp'): BoundSocket[] {
  const inodes = socketInodesOf(pid);
  const sockets: BoundSocket[] = [];

  for (const file of [`/proc/net/${protocol}`, `/proc/net/${protocol}6`]) {
    if (!fs.existsSync(file)) continue;

    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [addressHex, portHex] = fields[1]?.split(':') ?? [];
      const state = fields[3];
      const inode = fields[9];
      if (!addressHex || !portHex || !inode || !inodes.has(inode)) continue;
      if (protocol === 'tcp' && state !== TCP_LISTEN) continue;

      sockets.push({
        address: addressFromProc(addressHex),
        port: Number.parseInt(portHex, 16),
      });
    }
  }

  return sockets;
}

function socketInodesOf(pid: number): Set<string> {
  const inodes = new Set<string>();
  const folder = `/proc/${pid}/fd`;

  for (const fd of fs.readdirSync(folder)) {
    let target: string;
    try {
      target = fs.readlinkSync(`${folder}/${fd}`);
    } catch {
      // The descriptor was closed between the listing and the read.
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }

  return inodes;
}

/** /proc prints addresses as 32-bit words in host byte order. */
function addressFromProc(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => {
    const wordBytes = [...Buffer.from(word, 'hex')];
    return os.endianness() === 'LE' ? wordBytes.reverse() : wordBytes;
  });

  if (bytes.length === 4) return bytes.join('.');

  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  }
  // Enough for the test's purpose: "::" for the wildcard, full groups otherwise.
  return groups.every((group) => group === '0') ? '::' : groups.join(':');
}
