/**
 * How browser transports listen and what ICE servers the browsers are told
 * about. Built once from configuration and shared by every room.
 */
import type { TransportListenInfo, WebRtcTransportOptions } from 'mediasoup/types';
import type { Config } from '../config/config.ts';
import { browserIceFor, type BrowserIce } from './browser-ice.ts';

/** Listening and ICE settings for every WebRtcTransport. */
export interface TransportSettings {
  webRtc: WebRtcTransportOptions;
  /** What one connection's browser is told, credentials minted at nowMs. */
  browserIce(peerId: string, nowMs: number): BrowserIce;
  /** How long a pre-flight media probe may stay open (see media-probe.ts). */
  probeTimeoutMs: number;
}

/** UDP preferred, TCP as the fallback for networks that block UDP. */
export function transportSettingsFrom(media: Config['media']): TransportSettings {
  const listen = (protocol: 'udp' | 'tcp'): TransportListenInfo => ({
    protocol,
    ip: media.listenIp,
    ...(media.announcedAddress ? { announcedAddress: media.announcedAddress } : {}),
    portRange: { min: media.rtcMinPort, max: media.rtcMaxPort },
  });

  return {
    webRtc: {
      listenInfos: [listen('udp'), listen('tcp')],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
    },
    browserIce: (peerId, nowMs) => browserIceFor(media, peerId, nowMs),
    probeTimeoutMs: media.probeTimeoutSeconds * 1000,
  };
}
