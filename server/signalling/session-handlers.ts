/**
 * What each browser message does to the review session: one entry per
 * client event, taking the already validated payload and returning the data
 * of the acknowledgement.
 */
import type { RtpCapabilities, RtpParameters } from 'mediasoup/types';
import type { ReviewSession } from '../review/review-session.ts';
import type { ClientEventName, ClientMessage } from './messages.ts';
import type { AckFn, ClientToServerEvents } from './protocol.ts';

/** The success data of an event's acknowledgement. */
export type AckData<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]>[1] extends AckFn<infer T> ? T : never;

type Handler<E extends ClientEventName> = (
  session: ReviewSession,
  peerId: string,
  payload: ClientMessage<E>,
) => Promise<AckData<E>>;

/** The handler of every client event. */
export type SessionHandlers = { [E in ClientEventName]: Handler<E> };

const done = {} as Record<string, never>;

// The schemas check RTP structures loosely and mediasoup validates them fully,
// so the parsed objects are handed over as mediasoup's own types.
const asRtpParameters = (value: unknown) => value as RtpParameters;
const asRtpCapabilities = (value: unknown) => value as RtpCapabilities;

/** Client event -> session call. */
export const SESSION_HANDLERS: SessionHandlers = {
  'consent:give': async (session, peerId) => {
    await session.giveConsent(peerId);
    return done;
  },
  'clock:sync': async (session, peerId, { clientNow }) => ({
    clientNow,
    serverNow: session.serverNow(peerId),
  }),
  'media:capabilities': async (session, peerId) => session.capabilities(peerId),
  'media:createTransport': async (session, peerId, { direction }) =>
    session.createTransport(peerId, direction),
  'media:connectTransport': async (session, peerId, { transportId, dtlsParameters }) => {
    await session.connectTransport(peerId, transportId, dtlsParameters);
    return done;
  },
  'media:restartIce': async (session, peerId, { transportId }) => ({
    iceParameters: await session.restartIce(peerId, transportId),
  }),
  'media:restored': async (session, peerId, { transportId }) => {
    session.mediaRestored(peerId, transportId);
    return done;
  },
  'media:produce': async (session, peerId, payload) =>
    session.produce(peerId, {
      ...payload,
      rtpParameters: asRtpParameters(payload.rtpParameters),
    }),
  'media:closeProducer': async (session, peerId, { producerId }) => {
    session.closeProducer(peerId, producerId);
    return done;
  },
  'media:pauseProducer': async (session, peerId, { producerId, paused }) => {
    await session.pauseProducer(peerId, producerId, paused);
    return done;
  },
  'media:consume': async (session, peerId, payload) =>
    session.consume(peerId, {
      ...payload,
      rtpCapabilities: asRtpCapabilities(payload.rtpCapabilities),
    }),
  'media:resumeConsumer': async (session, peerId, { consumerId }) => {
    await session.resumeConsumer(peerId, consumerId);
    return done;
  },
  'probe:open': async (session, peerId) => session.mediaProbe(peerId).openProbe(),
  'probe:connect': async (session, peerId, { transportId, dtlsParameters }) => {
    await session.mediaProbe(peerId).connectProbe(transportId, dtlsParameters);
    return done;
  },
  'probe:produce': async (session, peerId, { transportId, rtpParameters }) => ({
    producerId: await session
      .mediaProbe(peerId)
      .produceOnProbe(transportId, asRtpParameters(rtpParameters)),
  }),
  'probe:result': async (session, peerId, { transportId }) =>
    session.mediaProbe(peerId).readProbe(transportId),
  'chair:admit': async (session, peerId, { peerId: target }) => {
    await session.admit(peerId, target);
    return done;
  },
  'chair:refuse': async (session, peerId, { peerId: target }) => {
    await session.refuse(peerId, target);
    return done;
  },
  'chair:mute': async (session, peerId, { peerId: target }) => {
    await session.mute(peerId, target);
    return done;
  },
  'chair:remove': async (session, peerId, { peerId: target }) => {
    await session.remove(peerId, target);
    return done;
  },
  'chair:start': async (session, peerId) => {
    await session.start(peerId);
    return done;
  },
  'chair:end': async (session, peerId) => {
    await session.endEarly(peerId);
    return done;
  },
};
