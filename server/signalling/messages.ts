/**
 * Validation of every browser-to-server payload. Limits keep one message from
 * holding more than a real browser ever sends; mediasoup checks the deeper
 * structure of RTP parameters itself, so nested objects keep unknown fields.
 */
import { z } from 'zod';

const id = z.string().min(1).max(64);
const shortText = z.string().max(256);
const parameterRecord = z.record(
  z.string().max(64),
  z.union([z.string().max(256), z.number()]),
);

const dtlsParameters = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().max(256),
      }),
    )
    .min(1)
    .max(8),
});

const rtcpFeedback = z
  .array(z.looseObject({ type: shortText, parameter: shortText.optional() }))
  .max(32);

const codecParameters = z.looseObject({
  mimeType: z.string().min(1).max(64),
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().max(8).optional(),
  parameters: parameterRecord.optional(),
  rtcpFeedback: rtcpFeedback.optional(),
});

const rtpParameters = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(codecParameters).min(1).max(16),
  headerExtensions: z
    .array(z.looseObject({ uri: shortText, id: z.number().int() }))
    .max(32)
    .optional(),
  encodings: z.array(z.looseObject({})).max(8).optional(),
  rtcp: z.looseObject({}).optional(),
});

const rtpCapabilities = z.looseObject({
  codecs: z
    .array(
      z.looseObject({
        kind: z.enum(['audio', 'video']),
        mimeType: z.string().min(1).max(64),
        clockRate: z.number().int().positive(),
        preferredPayloadType: z.number().int().min(0).max(127).optional(),
        channels: z.number().int().positive().max(8).optional(),
        parameters: parameterRecord.optional(),
        rtcpFeedback: rtcpFeedback.optional(),
      }),
    )
    .max(64)
    .optional(),
  headerExtensions: z
    .array(z.looseObject({ uri: shortText }))
    .max(64)
    .optional(),
});

const empty = z.object({});
const target = z.object({ peerId: id });

/** One schema per client event; the handler only ever sees parsed output. */
export const messageSchemas = {
  'consent:give': z.object({ consent: z.literal(true) }),
  'clock:sync': z.object({ clientNow: z.number().finite() }),
  'media:capabilities': empty,
  'media:createTransport': z.object({ direction: z.enum(['send', 'recv']) }),
  'media:connectTransport': z.object({ transportId: id, dtlsParameters }),
  'media:restartIce': z.object({ transportId: id }),
  'media:restored': z.object({ transportId: id }),
  'media:produce': z.object({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    rtpParameters,
    source: z.enum(['microphone', 'camera', 'screen']),
  }),
  'media:closeProducer': z.object({ producerId: id }),
  'media:pauseProducer': z.object({ producerId: id, paused: z.boolean() }),
  'media:consume': z.object({ transportId: id, producerId: id, rtpCapabilities }),
  'media:resumeConsumer': z.object({ consumerId: id }),
  'probe:open': empty,
  'probe:connect': z.object({ transportId: id, dtlsParameters }),
  'probe:produce': z.object({ transportId: id, kind: z.literal('video'), rtpParameters }),
  'probe:result': z.object({ transportId: id }),
  'chair:admit': target,
  'chair:refuse': target,
  'chair:mute': target,
  'chair:remove': target,
  'chair:start': empty,
  'chair:end': empty,
} as const;

/**
 * Deepest nesting a payload may have. Real ones reach 5 (payload > rtpParameters
 * > encodings > encoding > rtx); the loose RTP objects would otherwise carry any
 * depth into code that recurses over them (cloning, logging, the ack encoder).
 */
export const MAX_PAYLOAD_DEPTH = 10;

/** Whether objects and arrays in `value` nest deeper than `maxDepth`. Never recurses. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= maxDepth) return true;

    for (const child of Object.values(next.value)) {
      pending.push({ value: child, depth: next.depth + 1 });
    }
  }

  return false;
}

/** The events the server listens for. */
export type ClientEventName = keyof typeof messageSchemas;

/** The parsed payload of one event. */
export type ClientMessage<E extends ClientEventName> = z.output<
  (typeof messageSchemas)[E]
>;
