/**
 * RTP/RTCP port pairs for ffmpeg's capture inputs. ffmpeg binds the pair
 * itself, so the pool cannot hold the sockets: it holds the numbers instead
 * (no two captures of this process get the same pair while one lives) and
 * skips pairs that another process has bound, read from the kernel's table
 * without binding anything (a probe bind would race ffmpeg's own bind).
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import {
  DEFAULT_CAPTURE_MAX_PORT,
  DEFAULT_CAPTURE_MIN_PORT,
} from '../server/config/defaults.ts';
import { AppError } from '../server/errors.ts';

/** Lowest and highest port the recorder's ffmpeg inputs may use. */

/** A held RTP/RTCP pair; give it back with release() (idempotent). */
export interface PortPair {
  rtpPort: number;
  rtcpPort: number;
  release(): void;
}

/** Options of the pool; each field shows its default. */
export interface UdpPortPoolOptions {
  /** First port of the range (even). Default DEFAULT_CAPTURE_MIN_PORT. */
  minPort?: number;
  /** Last port of the range. Default DEFAULT_CAPTURE_MAX_PORT. */
  maxPort?: number;
  /** Start at a random pair of the range. Default true. */
  randomStart?: boolean;
  /** Which UDP ports are bound on this host. Default: read from /proc/net/udp{,6}. */
  boundPorts?: () => Set<number>;
}

/** Hands out even/odd port pairs that nobody else is using. */
export class UdpPortPool {
  readonly #minPort: number;
  readonly #maxPort: number;
  readonly #boundPorts: () => Set<number>;
  readonly #held = new Set<number>();
  /**
   * Round-robin cursor, so a just-released pair is not reused at once (late
   * packets). It starts at a random pair: another process using the same
   * range (a second service, a test run) then rarely races us for a pair
   * between our check and ffmpeg's bind.
   */
  #next: number;

  constructor(options: UdpPortPoolOptions = {}) {
    const min = options.minPort ?? DEFAULT_CAPTURE_MIN_PORT;
    this.#minPort = min % 2 === 0 ? min : min + 1;
    this.#maxPort = options.maxPort ?? DEFAULT_CAPTURE_MAX_PORT;
    this.#boundPorts = options.boundPorts ?? readBoundUdpPorts;
    const pairCount = Math.max(1, Math.floor((this.#maxPort - this.#minPort + 1) / 2));
    this.#next =
      this.#minPort + 2 * (options.randomStart === false ? 0 : randomInt(pairCount));
  }

  /** Number of pairs currently held. */
  get heldPairs(): number {
    return this.#held.size;
  }

  /** Reserves a free pair; throws MEDIA_UNAVAILABLE when the range is exhausted. */
  acquire(): PortPair {
    const bound = this.#boundPorts();
    const pairCount = Math.floor((this.#maxPort - this.#minPort + 1) / 2);

    for (let i = 0; i < pairCount; i++) {
      const rtpPort = this.#next;
      this.#next = rtpPort + 2 > this.#maxPort - 1 ? this.#minPort : rtpPort + 2;

      if (this.#held.has(rtpPort) || bound.has(rtpPort) || bound.has(rtpPort + 1))
        continue;

      this.#held.add(rtpPort);
      let released = false;
      return {
        rtpPort,
        rtcpPort: rtpPort + 1,
        release: () => {
          if (released) return;
          released = true;
          this.#held.delete(rtpPort);
        },
      };
    }

    throw new AppError(
      'MEDIA_UNAVAILABLE',
      'No free UDP port pair for a recording capture',
      {
        details: {
          minPort: this.#minPort,
          maxPort: this.#maxPort,
          held: this.#held.size,
        },
      },
    );
  }
}

/** Local UDP ports bound on this host (IPv4 and IPv6), from /proc/net. */
export function readBoundUdpPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      // A host without IPv6 has no udp6 table; that only means no IPv6 ports are bound.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const line of text.split('\n').slice(1)) {
      const local = line.trim().split(/\s+/)[1];
      const portHex = local?.split(':').pop();
      if (portHex) ports.add(Number.parseInt(portHex, 16));
    }
  }

  return ports;
}
