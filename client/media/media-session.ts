/**
 * One admitted person's media on mediasoup-client: loads the device with the
 * router's capabilities, opens a send and a receive transport, publishes the
 * microphone, camera and (on demand) the screen, and consumes everyone else.
 *
 * Recovery: when a transport goes 'disconnected' or 'failed' the session asks
 * the server for new ICE parameters and restarts ICE; if the transport is not
 * connected again within RESTORE_GRACE_MS, it reports that a full rejoin is
 * needed and the page reconnects from scratch. A restart that works is
 * reported to the server, which stores the outage with its length.
 */
import { Device } from 'mediasoup-client';
import type {
  Consumer,
  Producer,
  RtpCapabilities as ClientRtpCapabilities,
  RtpParameters as ClientRtpParameters,
  Transport,
} from 'mediasoup-client/types';
import type { RtpCapabilities as ServerRtpCapabilities } from 'mediasoup/types';
import type { MediaSource } from '../../server/review/review-types.ts';
import type { Signalling } from '../review/signalling.ts';
import { inboundFiguresForTrack, type InboundFigures } from './inbound-stats.ts';

/** How long an ICE restart may take before the page rejoins from scratch. */
const RESTORE_GRACE_MS = 8_000;

/** A screen share is sent at full resolution, capped to keep the uplink sane. */
const SCREEN_MAX_BITRATE = 2_500_000;

/** A producer announced by the server, not yet consumed. */
export interface RemoteProducer {
  producerId: string;
  peerId: string;
  source: MediaSource;
  kind: 'audio' | 'video';
}

/** A remote track ready to play. */
export interface RemoteMedia extends RemoteProducer {
  track: MediaStreamTrack;
}

/** What the page hears from the session. */
export interface MediaSessionListeners {
  onRemoteMedia(media: RemoteMedia): void;
  onRemoteMediaEnded(producerId: string): void;
  /** A transport lost its connection and ICE is being restarted. */
  onRestoring(): void;
  /** Every transport that was being restored is connected again, without a rejoin. */
  onRestored(): void;
  /** The restart did not help in time: close this session and rejoin. */
  onRejoinNeeded(): void;
}

/** Received figures for one consumer, for the debug handle and the browser test. */
export interface ConsumerFigures extends InboundFigures {
  producerId: string;
  peerId: string;
  source: MediaSource;
}

type SessionTransport = Transport<{ direction: 'send' | 'recv' }>;

export class MediaSession {
  readonly #signalling: Signalling;
  readonly #device: Device;
  readonly #sendTransport: SessionTransport;
  readonly #recvTransport: SessionTransport;
  readonly #listeners: MediaSessionListeners;
  readonly #producers = new Map<MediaSource, Producer>();
  readonly #consumers = new Map<string, { consumer: Consumer; remote: RemoteProducer }>();
  readonly #consuming = new Map<string, Promise<void>>();
  readonly #restoreTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #closed = false;

  private constructor(
    signalling: Signalling,
    device: Device,
    sendTransport: SessionTransport,
    recvTransport: SessionTransport,
    listeners: MediaSessionListeners,
  ) {
    this.#signalling = signalling;
    this.#device = device;
    this.#sendTransport = sendTransport;
    this.#recvTransport = recvTransport;
    this.#listeners = listeners;

    for (const transport of [sendTransport, recvTransport]) {
      transport.on('connectionstatechange', (state) =>
        this.#onConnectionState(transport, state),
      );
    }
  }

  /** Loads the device and opens both transports; closes what it opened if a step fails. */
  static async open(
    signalling: Signalling,
    listeners: MediaSessionListeners,
  ): Promise<MediaSession> {
    const routerRtpCapabilities = await signalling.request('media:capabilities', {});
    const device = await Device.factory();
    // mediasoup and mediasoup-client list different header-extension URIs in
    // their types; the wire format is the same, so the server's value is used as is.
    await device.load({
      routerRtpCapabilities: routerRtpCapabilities as unknown as ClientRtpCapabilities,
    });

    const sendTransport = await createTransport(signalling, device, 'send');
    let recvTransport: SessionTransport;
    try {
      recvTransport = await createTransport(signalling, device, 'recv');
    } catch (err) {
      sendTransport.close();
      throw err;
    }

    return new MediaSession(signalling, device, sendTransport, recvTransport, listeners);
  }

  /** Publishes the microphone and camera tracks of the pre-flight stream. */
  async publishLocal(stream: MediaStream): Promise<void> {
    const [audio] = stream.getAudioTracks();
    const [video] = stream.getVideoTracks();

    if (audio) await this.#produce('microphone', audio, {});
    if (video) await this.#produce('camera', video, {});
  }

  /**
   * Publishes a screen track as its own 'screen' producer: content hint
   * 'detail' and no downscaling keep text legible in the recording. The track
   * stays its owner's (the page's), so it outlives this session and can be
   * published again on the next connection.
   */
  async publishScreen(track: MediaStreamTrack): Promise<void> {
    track.contentHint = 'detail';

    await this.#produce('screen', track, {
      encodings: [{ scaleResolutionDownBy: 1, maxBitrate: SCREEN_MAX_BITRATE }],
    });
  }

  /** Stops the screen share, if any, here and on the server. */
  async stopScreen(): Promise<void> {
    const producer = this.#producers.get('screen');
    if (!producer) return;

    this.#producers.delete('screen');
    producer.close();
    await this.#signalling.request('media:closeProducer', { producerId: producer.id });
  }

  /** Whether a source is being sent (and not paused). */
  isSending(source: MediaSource): boolean {
    const producer = this.#producers.get(source);

    return producer !== undefined && !producer.paused;
  }

  /** Pauses or resumes the microphone or camera here and on the server. */
  async setSending(source: 'microphone' | 'camera', sending: boolean): Promise<void> {
    const producer = this.#producers.get(source);
    if (!producer || producer.paused === !sending) return;

    if (sending) producer.resume();
    else producer.pause();
    await this.#signalling.request('media:pauseProducer', {
      producerId: producer.id,
      paused: !sending,
    });
  }

  /**
   * Consumes a remote producer once. The same producer is announced by
   * producer:added and by every later snapshot, so concurrent calls share
   * one attempt instead of each creating a consumer.
   */
  consume(remote: RemoteProducer): Promise<void> {
    if (this.#closed || this.#consumers.has(remote.producerId)) return Promise.resolve();

    let attempt = this.#consuming.get(remote.producerId);
    if (!attempt) {
      attempt = this.#createConsumer(remote).finally(() => {
        this.#consuming.delete(remote.producerId);
      });
      this.#consuming.set(remote.producerId, attempt);
    }

    return attempt;
  }

  /** The server closed a producer: drop its consumer and its tile. */
  closeRemote(producerId: string): void {
    const entry = this.#consumers.get(producerId);
    if (!entry) return;

    entry.consumer.close();
    this.#forgetConsumer(producerId);
  }

  /** Received figures for every consumer, each read from its own inbound-rtp entry. */
  async consumerFigures(): Promise<ConsumerFigures[]> {
    const report = await this.#recvTransport.getStats();
    const figures: ConsumerFigures[] = [];

    for (const { consumer, remote } of this.#consumers.values()) {
      const inbound = inboundFiguresForTrack(report.values(), consumer.track.id);
      if (!inbound) continue;

      figures.push({
        ...inbound,
        producerId: remote.producerId,
        peerId: remote.peerId,
        source: remote.source,
      });
    }

    return figures;
  }

  /** The size each video source is sent at (its track's settings), by source. */
  sentVideoSizes(): { source: MediaSource; width: number; height: number }[] {
    const sizes: { source: MediaSource; width: number; height: number }[] = [];
    for (const [source, producer] of this.#producers) {
      if (producer.kind !== 'video' || !producer.track) continue;

      const { width = 0, height = 0 } = producer.track.getSettings();
      sizes.push({ source, width, height });
    }

    return sizes;
  }

  /** Closes transports, producers and consumers; local tracks stay with their owner. */
  close(reason: string): void {
    if (this.#closed) return;

    this.#closed = true;
    console.info('media: session closed', { reason });

    for (const timer of this.#restoreTimers.values()) clearTimeout(timer);
    this.#restoreTimers.clear();
    this.#producers.clear();
    this.#sendTransport.close();
    this.#recvTransport.close();
    for (const producerId of [...this.#consumers.keys()])
      this.#forgetConsumer(producerId);
  }

  async #createConsumer(remote: RemoteProducer): Promise<void> {
    const params = await this.#signalling.request('media:consume', {
      transportId: this.#recvTransport.id,
      producerId: remote.producerId,
      rtpCapabilities: this.#device.rtpCapabilities as unknown as ServerRtpCapabilities,
    });
    if (this.#closed) return;

    const consumer = await this.#recvTransport.consume({
      id: params.consumerId,
      producerId: params.producerId,
      kind: params.kind,
      // Same wire format, different header-extension URI unions (see open()).
      rtpParameters: params.rtpParameters as unknown as ClientRtpParameters,
    });
    this.#consumers.set(remote.producerId, { consumer, remote });
    consumer.on('transportclose', () => this.#forgetConsumer(remote.producerId));

    await this.#signalling.request('media:resumeConsumer', { consumerId: consumer.id });
    this.#listeners.onRemoteMedia({ ...remote, track: consumer.track });
  }

  async #produce(
    source: MediaSource,
    track: MediaStreamTrack,
    options: { encodings?: RTCRtpEncodingParameters[] },
  ): Promise<void> {
    const producer = await this.#sendTransport.produce({
      track,
      appData: { source },
      // Tracks belong to the page (camera stream, screen capture): closing a
      // producer, or this session, must not end them.
      stopTracks: false,
      ...options,
    });
    this.#producers.set(source, producer);
  }

  #forgetConsumer(producerId: string): void {
    if (!this.#consumers.delete(producerId)) return;

    this.#listeners.onRemoteMediaEnded(producerId);
  }

  #onConnectionState(transport: SessionTransport, state: string): void {
    if (this.#closed) return;

    if (state === 'connected') {
      const timer = this.#restoreTimers.get(transport.id);
      if (timer === undefined) return;

      clearTimeout(timer);
      this.#restoreTimers.delete(transport.id);
      // The server cannot see a restart that kept the same path come back;
      // telling it closes the interruption in the review's record.
      this.#signalling
        .request('media:restored', { transportId: transport.id })
        .catch((err: unknown) =>
          console.warn('media: could not report restoration', err),
        );
      if (this.#restoreTimers.size === 0) this.#listeners.onRestored();
      return;
    }

    if (state !== 'disconnected' && state !== 'failed') return;
    if (this.#restoreTimers.has(transport.id)) return;

    this.#listeners.onRestoring();
    this.#restoreTimers.set(
      transport.id,
      setTimeout(() => {
        if (!this.#closed) this.#listeners.onRejoinNeeded();
      }, RESTORE_GRACE_MS),
    );
    this.#restartIce(transport).catch((err: unknown) => {
      console.warn('media: ICE restart failed, rejoining', err);
      if (!this.#closed) this.#listeners.onRejoinNeeded();
    });
  }

  async #restartIce(transport: SessionTransport): Promise<void> {
    const { iceParameters } = await this.#signalling.request('media:restartIce', {
      transportId: transport.id,
    });
    await transport.restartIce({ iceParameters: iceParameters });
  }
}

/** Creates one transport on the server and its mirror in the browser. */
async function createTransport(
  signalling: Signalling,
  device: Device,
  direction: 'send' | 'recv',
): Promise<SessionTransport> {
  const params = await signalling.request('media:createTransport', { direction });
  const options = {
    id: params.id,
    iceParameters: params.iceParameters,
    iceCandidates: params.iceCandidates,
    dtlsParameters: params.dtlsParameters,
    iceServers: params.iceServers,
    iceTransportPolicy: params.iceTransportPolicy,
    appData: { direction },
  };
  const transport =
    direction === 'send'
      ? device.createSendTransport(options)
      : device.createRecvTransport(options);

  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    signalling
      .request('media:connectTransport', {
        transportId: transport.id,
        dtlsParameters: dtlsParameters,
      })
      .then(() => callback(), errback);
  });

  transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
    signalling
      .request('media:produce', {
        transportId: transport.id,
        kind,
        rtpParameters: rtpParameters,
        source: appData.source as MediaSource,
      })
      .then(({ producerId }) => callback({ id: producerId }), errback);
  });

  return transport;
}
