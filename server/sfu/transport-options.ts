/**
 * How browser transports listen and what ICE servers the browsers are told
 * about. Built once from configuration and shared by every room.
 */
import type { TransportListenInfo, WebRtcTransportOptions } from 'mediasoup/types';
import type { Config } from '../config/config.ts';

/** An ICE server as handed to the browser's RTCPeerConnection. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** Listening and ICE settings for every WebRtcTransport. */
export interface TransportSettings {
  webRtc: WebRtcTransportOptions;
  iceServers: IceServer[];
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
    iceServers: media.turnServers.map((server) => ({ ...server })),
  };
}
