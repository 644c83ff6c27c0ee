/**
 * One connection's media inside a room: its WebRtcTransports and the
 * producers and consumers on them, and the pre-flight's media probe (kept
 * apart: its track is nobody's producer). The peer owns these and closes
 * them with itself; mediasoup's own validation errors become the caller's
 * fault.
 */
import { EventEmitter } from 'node:events';
import type {
  Consumer,
  DtlsParameters,
  IceParameters,
  MediaKind,
  Producer,
  Router,
  RtpCapabilities,
  RtpParameters,
  WebRtcTransport,
} from 'mediasoup/types';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { MediaSource } from '../review/review-types.ts';
import type { ProbeParams, ProbeResult } from '../signalling/protocol.ts';
import { callerFault } from './caller-fault.ts';
import { MediaProbe } from './media-probe.ts';
import {
  MediaPathWatch,
  type MediaLossCause,
  type MediaRestoredBy,
} from './media-path-watch.ts';
import type { TransportSettings } from './transport-options.ts';

/** Which way media flows on a transport, seen from the browser. */
export type Direction = 'send' | 'recv';

/** A transport as the browser needs it to build its side. */
export interface TransportDescription {
  id: string;
  iceParameters: IceParameters;
  iceCandidates: WebRtcTransport['iceCandidates'];
  dtlsParameters: DtlsParameters;
}

/** One transport of this peer whose media path broke or came back. */
export interface MediaPathChange {
  transportId: string;
  direction: Direction;
  cause: MediaLossCause;
}

/** What the peer tells its owner. */
export interface SfuPeerEvents {
  /** A producer of this peer is gone, for whatever reason. */
  producerclose: [producerId: string];
  /** A transport's media path stopped working (see MediaPathWatch). */
  mediainterrupted: [change: MediaPathChange];
  /** That path works again, after lostForMs. */
  mediarestored: [change: MediaPathChange & { by: MediaRestoredBy; lostForMs: number }];
}

/** Enough for a browser that renegotiates a few times; more is a misbehaving client. */
const MAX_TRANSPORTS_PER_PEER = 6;

/** A pre-flight runs one probe; a few more allow a retry, not a flood of transports. */
const MAX_PROBES_PER_PEER = 3;

/** What a connection may do with its media probe, and nothing else of its media. */
export type ProbeControls = Pick<
  SfuPeer,
  'openProbe' | 'connectProbe' | 'produceOnProbe' | 'readProbe'
>;

/** The media of one connected participant. */
export class SfuPeer extends EventEmitter<SfuPeerEvents> {
  readonly peerId: string;
  readonly #router: Router;
  readonly #settings: TransportSettings;
  readonly #log: Logger;
  readonly #transports = new Map<string, WebRtcTransport>();
  readonly #producers = new Map<string, Producer>();
  readonly #consumers = new Map<string, Consumer>();
  /** Media path of each transport, by transport id. */
  readonly #paths = new Map<string, MediaPathWatch>();
  /** Transports being created: they count against the limit before they exist. */
  #transportsOpening = 0;
  /** Sources whose producer is being created: a second one must wait its turn. */
  readonly #sourcesOpening = new Set<MediaSource>();
  /** Transports whose connect() was asked for; mediasoup allows one per transport. */
  readonly #connectedTransports = new Set<string>();
  /** `transportId producerId` of every consumer, open or being created: one each. */
  readonly #receiving = new Set<string>();
  /** The open media probe, if any: one at a time. */
  #probe: MediaProbe | undefined;
  #probeOpening = false;
  #probesOpened = 0;
  #closed = false;

  constructor(options: {
    peerId: string;
    router: Router;
    settings: TransportSettings;
    logger: Logger;
  }) {
    super();
    this.peerId = options.peerId;
    this.#router = options.router;
    this.#settings = options.settings;
    this.#log = options.logger.child({ peerId: options.peerId });
  }

  /** Whether close() has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** This peer's producers that are still open. */
  producers(): Producer[] {
    return [...this.#producers.values()];
  }

  /** A producer of this peer, or undefined. */
  producer(producerId: string): Producer | undefined {
    return this.#producers.get(producerId);
  }

  /** Creates a transport for sending or receiving. */
  async createTransport(direction: Direction): Promise<TransportDescription> {
    this.#assertOpen();
    if (this.#transports.size + this.#transportsOpening >= MAX_TRANSPORTS_PER_PEER) {
      throw new AppError('CONFLICT', 'Too many transports for one connection');
    }

    this.#transportsOpening++;
    let transport: WebRtcTransport;
    try {
      transport = await this.#router.createWebRtcTransport({
        ...this.#settings.webRtc,
        appData: { direction, peerId: this.peerId },
      });
    } finally {
      // In the same turn as the map entry below, so the count never dips between them.
      this.#transportsOpening--;
    }
    // The peer may have closed while the worker was creating the transport.
    if (this.#closed) {
      transport.close();
      throw new AppError('INVALID_STATE', 'The connection closed');
    }

    this.#transports.set(transport.id, transport);
    const path = this.#watchPath(transport.id, direction);
    transport.observer.once('close', () => {
      this.#transports.delete(transport.id);
      this.#connectedTransports.delete(transport.id);
      path.close();
      this.#paths.delete(transport.id);
    });
    transport.on('icestatechange', (state) => {
      if (state !== 'new' && state !== 'closed')
        this.#log.info({ transportId: transport.id, iceState: state }, `ICE ${state}`);
      path.iceStateChanged(state);
    });

    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  /** Completes the DTLS handshake parameters of a transport. */
  async connectTransport(
    transportId: string,
    dtlsParameters: DtlsParameters,
  ): Promise<void> {
    const transport = this.#transport(transportId);
    if (this.#connectedTransports.has(transportId)) {
      throw new AppError('INVALID_STATE', 'This transport is already connected');
    }

    this.#connectedTransports.add(transportId);
    try {
      await callerFault(() => transport.connect({ dtlsParameters }));
    } catch (err) {
      // Refused parameters leave the transport unconnected: the browser may try again.
      this.#connectedTransports.delete(transportId);
      throw err;
    }
  }

  /** New ICE credentials so the browser can restart ICE without rejoining. */
  async restartIce(transportId: string): Promise<IceParameters> {
    const transport = this.#transport(transportId);
    this.#log.info({ transportId }, 'ICE restart requested by the browser');
    // The browser asks only once its connection has dropped.
    this.#paths.get(transportId)?.lost('ice-restart');

    return transport.restartIce();
  }

  /** The browser's word that a transport it restarted is connected again. */
  reportRestored(transportId: string): void {
    this.#transport(transportId);

    this.#paths.get(transportId)?.restored('browser');
  }

  /** Starts receiving a track from the browser. One producer per source. */
  async produce(input: {
    transportId: string;
    kind: MediaKind;
    rtpParameters: RtpParameters;
    source: MediaSource;
  }): Promise<Producer> {
    const transport = this.#transport(input.transportId, 'send');
    if (
      this.#sourcesOpening.has(input.source) ||
      this.producers().some((p) => p.appData.source === input.source)
    ) {
      throw new AppError('CONFLICT', `A ${input.source} track is already being sent`);
    }
    if ((input.source === 'microphone') !== (input.kind === 'audio')) {
      throw new AppError(
        'VALIDATION_FAILED',
        `A ${input.source} track cannot be ${input.kind}`,
      );
    }

    this.#sourcesOpening.add(input.source);
    let producer: Producer;
    try {
      producer = await callerFault(() =>
        transport.produce({
          kind: input.kind,
          rtpParameters: input.rtpParameters,
          appData: { source: input.source, peerId: this.peerId },
        }),
      );
    } finally {
      // In the same turn as the map entry below, so the source is never free between them.
      this.#sourcesOpening.delete(input.source);
    }
    if (this.#closed) {
      producer.close();
      throw new AppError('INVALID_STATE', 'The connection closed');
    }

    this.#producers.set(producer.id, producer);
    producer.observer.once('close', () => {
      this.#producers.delete(producer.id);
      this.emit('producerclose', producer.id);
    });
    this.#log.info({ producerId: producer.id, source: input.source }, 'producer created');

    return producer;
  }

  /** Starts sending another peer's producer to this browser, paused until resumed. */
  async consume(input: {
    transportId: string;
    producerId: string;
    rtpCapabilities: RtpCapabilities;
  }): Promise<Consumer> {
    const transport = this.#transport(input.transportId, 'recv');
    if (this.#producers.has(input.producerId)) {
      throw new AppError('BAD_REQUEST', 'A connection cannot receive its own track');
    }
    // Without this a browser could pile up consumers of one track without bound.
    const receiving = `${input.transportId} ${input.producerId}`;
    if (this.#receiving.has(receiving)) {
      throw new AppError('CONFLICT', 'This track is already received on that transport');
    }

    this.#receiving.add(receiving);
    let consumer: Consumer;
    try {
      consumer = await this.#createConsumer(transport, input);
    } catch (err) {
      this.#receiving.delete(receiving);
      throw err;
    }
    if (this.#closed) {
      consumer.close();
      throw new AppError('INVALID_STATE', 'The connection closed');
    }

    this.#consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => {
      this.#consumers.delete(consumer.id);
      this.#receiving.delete(receiving);
    });

    return consumer;
  }

  /** Lets media flow on a consumer created paused. */
  async resumeConsumer(consumerId: string): Promise<void> {
    const consumer = this.#consumers.get(consumerId);
    if (!consumer) throw new AppError('NOT_FOUND', 'No such consumer');

    await consumer.resume();
  }

  /** Pauses or resumes one of this peer's producers. */
  async setProducerPaused(producerId: string, paused: boolean): Promise<void> {
    const producer = this.#producers.get(producerId);
    if (!producer) throw new AppError('NOT_FOUND', 'No such producer');

    if (paused) await producer.pause();
    else await producer.resume();
  }

  /** Closes one of this peer's producers. */
  closeProducer(producerId: string): void {
    const producer = this.#producers.get(producerId);
    if (!producer) throw new AppError('NOT_FOUND', 'No such producer');

    producer.close();
  }

  /**
   * Opens the pre-flight's media probe: a send transport like the real ones,
   * with the ICE servers and policy of this connection and the router's
   * capabilities. One at a time; allowed before admission.
   */
  async openProbe(): Promise<ProbeParams> {
    this.#assertOpen();
    if (this.#probe || this.#probeOpening) {
      throw new AppError('PROBE_ALREADY_OPEN', 'A media probe is already open');
    }
    if (this.#probesOpened >= MAX_PROBES_PER_PEER) {
      throw new AppError('RATE_LIMITED', 'Too many media probes for one connection');
    }

    this.#probeOpening = true;
    this.#probesOpened++;
    const browserIce = this.#settings.browserIce(this.peerId, Date.now());
    let probe: MediaProbe;
    try {
      probe = await MediaProbe.open({
        router: this.#router,
        webRtc: this.#settings.webRtc,
        iceServers: browserIce.iceServers,
        peerId: this.peerId,
        timeoutMs: this.#settings.probeTimeoutMs,
        logger: this.#log,
      });
    } finally {
      // In the same turn as #probe below, so a second open never slips between them.
      this.#probeOpening = false;
    }
    if (this.#closed) {
      probe.close('connection closed');
      throw new AppError('INVALID_STATE', 'The connection closed');
    }

    this.#probe = probe;
    probe.onClose(() => {
      if (this.#probe === probe) this.#probe = undefined;
    });

    return {
      ...probe.description(),
      ...browserIce,
      rtpCapabilities: this.#router.rtpCapabilities,
    };
  }

  /** Passes the browser's DTLS parameters to the open probe. */
  async connectProbe(probeId: string, dtlsParameters: DtlsParameters): Promise<void> {
    await this.#openProbeNamed(probeId).connect(dtlsParameters);
  }

  /** Receives the browser's test video on the open probe; never routed or recorded. */
  async produceOnProbe(probeId: string, rtpParameters: RtpParameters): Promise<string> {
    return this.#openProbeNamed(probeId).produce(rtpParameters);
  }

  /** What reached the server through the probe; closes it. */
  async readProbe(probeId: string): Promise<ProbeResult> {
    return this.#openProbeNamed(probeId).result();
  }

  /** Closes the probe and the transports, and with them every producer and consumer. Idempotent. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;

    this.#log.info(
      { reason, transports: this.#transports.size, producers: this.#producers.size },
      'closing peer media',
    );
    this.#probe?.close(reason);
    for (const transport of this.#transports.values()) transport.close();
  }

  #openProbeNamed(probeId: string): MediaProbe {
    this.#assertOpen();
    if (!this.#probe || this.#probe.id !== probeId) {
      throw new AppError('PROBE_CLOSED', 'No such media probe is open');
    }

    return this.#probe;
  }

  #watchPath(transportId: string, direction: Direction): MediaPathWatch {
    const path = new MediaPathWatch();
    path.on('interrupted', (cause) => {
      this.#log.warn({ transportId, direction, cause }, 'media path interrupted');
      this.emit('mediainterrupted', { transportId, direction, cause });
    });
    path.on('restored', ({ cause, by, lostForMs }) => {
      this.#log.info({ transportId, direction, by, lostForMs }, 'media path restored');
      this.emit('mediarestored', { transportId, direction, cause, by, lostForMs });
    });
    this.#paths.set(transportId, path);

    return path;
  }

  async #createConsumer(
    transport: WebRtcTransport,
    input: { producerId: string; rtpCapabilities: RtpCapabilities },
  ): Promise<Consumer> {
    const canConsume = await callerFault(async () =>
      this.#router.canConsume({
        producerId: input.producerId,
        rtpCapabilities: input.rtpCapabilities,
      }),
    );
    if (!canConsume) {
      throw new AppError('BAD_REQUEST', 'This browser cannot receive that track');
    }

    return callerFault(() =>
      transport.consume({
        producerId: input.producerId,
        rtpCapabilities: input.rtpCapabilities,
        paused: true,
      }),
    );
  }

  #transport(transportId: string, direction?: Direction): WebRtcTransport {
    this.#assertOpen();
    const transport = this.#transports.get(transportId);
    if (!transport) throw new AppError('NOT_FOUND', 'No such transport');
    if (direction && transport.appData.direction !== direction) {
      throw new AppError('BAD_REQUEST', `This is not a ${direction} transport`);
    }

    return transport;
  }

  #assertOpen(): void {
    if (this.#closed) throw new AppError('INVALID_STATE', 'The connection closed');
  }
}
