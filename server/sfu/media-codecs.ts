/**
 * The codecs every review router offers. Opus for speech; VP8 and H264
 * constrained baseline (packetization-mode 1, profile 42e01f) for camera and
 * screen, so Chromium, Firefox and Safari all find a common video codec and
 * the recorder can write either without transcoding on the way in.
 */
import type { RouterRtpCodecCapability } from 'mediasoup/types';

/** Router codecs, in order of preference. */
export const ROUTER_MEDIA_CODECS: RouterRtpCodecCapability[] = [
  {
    kind: 'audio',
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
  },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 1000 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
      'x-google-start-bitrate': 1000,
    },
  },
];
