/**
 * The pre-flight's check of the media path, before the chair admits anyone:
 * the browser sends a low-bitrate copy of its camera over a WebRtcTransport
 * built exactly like the real ones (same listening addresses and ports, same
 * TURN servers and ICE policy), and the server reports what arrived and over
 * which path. A school network that blocks UDP, the media ports, or
 * everything but a TURN relay shows in the pre-flight, not after admission.
 *
 * The probe's track belongs to the probe, not to the peer's media: it is
 * never offered to anyone, never recorded, never in a snapshot and cannot be
 * consumed. A probe closes itself after a hard timeout and once its result
 * is read; its owner (SfuPeer) closes it with the connection.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type {
  DtlsParameters,
  Producer,
  Router,
  RtpParameters,
  WebRtcTransport,
  WebRtcTransportOptions,
} from 'mediasoup/types';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { ProbeResult } from '../signalling/protocol.ts';
import type { IceServer } from './browser-ice.ts';
import { callerFault } from './caller-fault.ts';
import type { TransportDescription } from './sfu-peer.ts';

/** Most a probe's sender is allowed (bits per second): a low-resolution camera copy. */
const PROBE_MAX_INCOMING_BITRATE = 1_000_000;

/** Everything one probe is built from. */
export interface MediaProbeOptions {
  router: Router;
  /** The same options as the peer's own transports. */
  webRtc: WebRtcTransportOptions;
  /** The ICE servers the browser is given, to tell a relayed path from a direct one. */
  iceServers: readonly IceServer[];
  peerId: string;
  timeoutMs: number;
  logger: Logger;
}

/** One open media probe: its transport, at most one producer, and its deadline. */
export class MediaProbe {
  readonly #transport: WebRtcTransport;
  readonly #relayAddresses: Promise<Set<string>>;
  readonly #log: Logger;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #closeListeners: (() => void)[] = [];
  #producer: Producer | undefined;
  #producing = false;
  #connectAsked = false;
  #reading = false;
  #closed = false;

  private constructor(
    transport: WebRtcTransport,
    options: MediaProbeOptions,
    log: Logger,
  ) {
    this.#transport = transport;
    this.#log = log;
    this.#relayAddresses = relayAddressesOf(options.iceServers);
    this.#timer = setTimeout(() => this.close('timeout'), options.timeoutMs);
    // The worker may close the transport itself (the router or worker went away).
    transport.observer.once('close', () => this.close('transport closed'));
  }

  /** Creates the probe's transport on the review's router. */
  static async open(options: MediaProbeOptions): Promise<MediaProbe> {
    const transport = await options.router.createWebRtcTransport({
      ...options.webRtc,
      // Not `peerId`: code that lists a peer's media transports by it must not see this one.
      appData: { probeOf: options.peerId },
    });
    // The browser asks for less, but a page not yet admitted is not trusted:
    // the transport's bandwidth feedback tells any sender to stay under this.
    try {
      await transport.setMaxIncomingBitrate(PROBE_MAX_INCOMING_BITRATE);
    } catch (err) {
      transport.close();
      throw err;
    }
    const log = options.logger.child({ transportId: transport.id });
    log.info('media probe opened');

    return new MediaProbe(transport, options, log);
  }

  /** The transport's id: the browser names its probe by it. */
  get id(): string {
    return this.#transport.id;
  }

  /** Whether close() has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The transport as the browser needs it to build its side. */
  description(): TransportDescription {
    return {
      id: this.#transport.id,
      iceParameters: this.#transport.iceParameters,
      iceCandidates: this.#transport.iceCandidates,
      dtlsParameters: this.#transport.dtlsParameters,
    };
  }

  /** Runs `listener` once, when the probe closes. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  /** Completes the DTLS parameters of the probe's transport; once. */
  async connect(dtlsParameters: DtlsParameters): Promise<void> {
    this.#assertUsable();
    if (this.#connectAsked) {
      throw new AppError('INVALID_STATE', 'The probe is already connected');
    }

    this.#connectAsked = true;
    try {
      await callerFault(() => this.#transport.connect({ dtlsParameters }));
    } catch (err) {
      // Refused parameters leave the transport unconnected: the browser may try again.
      this.#connectAsked = false;
      throw this.#closedOr(err);
    }
  }

  /** Receives the browser's test video; one track per probe. */
  async produce(rtpParameters: RtpParameters): Promise<string> {
    this.#assertUsable();
    if (this.#producing || this.#producer) {
      throw new AppError('CONFLICT', 'The probe already receives a track');
    }

    this.#producing = true;
    let producer: Producer;
    try {
      producer = await callerFault(() =>
        this.#transport.produce({
          kind: 'video',
          rtpParameters,
          appData: { probe: true },
        }),
      );
    } catch (err) {
      this.#producing = false;
      throw this.#closedOr(err);
    }
    if (this.#closed) {
      producer.close();
      throw new AppError('PROBE_CLOSED', 'The media probe closed');
    }

    this.#producer = producer;
    this.#log.info({ producerId: producer.id }, 'media probe receiving');

    return producer.id;
  }

  /** What arrived and over which path; closes the probe. */
  async result(): Promise<ProbeResult> {
    this.#assertUsable();
    // The deadline no longer matters: the probe closes as soon as this is read.
    this.#reading = true;
    clearTimeout(this.#timer);

    try {
      const stats = (await this.#producer?.getStats()) ?? [];
      const tuple = this.#transport.iceSelectedTuple;
      const relayAddresses = await this.#relayAddresses;
      const result: ProbeResult = {
        connected: this.#transport.dtlsState === 'connected',
        ...(tuple ? { protocol: tuple.protocol } : {}),
        relayed: tuple?.remoteIp !== undefined && relayAddresses.has(tuple.remoteIp),
        bytesReceived: stats.reduce((sum, s) => sum + s.byteCount, 0),
        bitrate: stats.reduce((sum, s) => sum + s.bitrate, 0),
      };
      this.#log.info({ ...result, remoteIp: tuple?.remoteIp }, 'media probe result');

      return result;
    } catch (err) {
      throw this.#closedOr(err);
    } finally {
      this.close('result read');
    }
  }

  /** Closes the transport and with it the producer. Idempotent. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;

    clearTimeout(this.#timer);
    this.#log.info({ reason }, 'media probe closed');
    this.#transport.close();
    for (const listener of this.#closeListeners.splice(0)) listener();
  }

  #assertUsable(): void {
    if (this.#closed || this.#reading) {
      throw new AppError('PROBE_CLOSED', 'The media probe closed');
    }
  }

  /** A mediasoup call that failed because the probe closed under it says so. */
  #closedOr(err: unknown): unknown {
    if (this.#closed && !(err instanceof AppError)) {
      return new AppError('PROBE_CLOSED', 'The media probe closed', { cause: err });
    }

    return err;
  }
}

/**
 * The addresses of the TURN servers among `iceServers`: media relayed by one
 * of them reaches the server from its address. Names are resolved; a name
 * that does not resolve is left out, so that relay is not recognised.
 */
async function relayAddressesOf(iceServers: readonly IceServer[]): Promise<Set<string>> {
  const hosts = iceServers
    .flatMap((server) => (Array.isArray(server.urls) ? server.urls : [server.urls]))
    .map(turnHostOf)
    .filter((host): host is string => host !== undefined);

  const addresses = await Promise.all(
    hosts.map(async (host) => {
      if (isIP(host)) return [host];
      try {
        return (await lookup(host, { all: true })).map((entry) => entry.address);
      } catch {
        return [];
      }
    }),
  );

  return new Set(addresses.flat());
}

/** The host of a `turn:` or `turns:` URL (RFC 7065), without brackets; else undefined. */
export function turnHostOf(url: string): string | undefined {
  const match = /^turns?:(\[[^\]]+\]|[^:?]+)/i.exec(url.trim());
  const host = match?.[1];
  if (!host) return undefined;

  return host.startsWith('[') ? host.slice(1, -1) : host;
}
