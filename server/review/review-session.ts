/**
 * One review while people are connected to it: the lobby, the chair's
 * moderation, the media of admitted participants, the server's clock and the
 * event log. The session owns its room (media), its recorder and its clock,
 * and ends them in one order: recording first, then media, then connections.
 * A review can outlive its session (its media worker died, the service
 * restarted): the next session picks up the seats from the event log and,
 * once live, the clock from the chair's start.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  DtlsParameters,
  IceParameters,
  MediaKind,
  RtpCapabilities,
  RtpParameters,
} from 'mediasoup/types';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { Room } from '../sfu/room.ts';
import { WORKER_DIED } from '../sfu/room.ts';
import type { Direction, ProbeControls } from '../sfu/sfu-peer.ts';
import type { BrowserIce } from '../sfu/browser-ice.ts';
import type {
  ConsumerParams,
  SeatState,
  ServerToClientEvents,
  SessionSnapshot,
  TransportParams,
} from '../signalling/protocol.ts';
import type { PeerChannel } from './peer-channel.ts';
import { isPresent, type Participant } from './participant.ts';
import { seatOnReturn } from './seat-history.ts';
import {
  isRecordingEveryTrack,
  type RecorderStatus,
  type ReviewRecorderPort,
} from './recorder-port.ts';
import { ReviewClock, type ClockTimers } from './review-clock.ts';
import type { ReviewStore } from './review-store.ts';
import type {
  EndReason,
  MediaSource,
  Person,
  Review,
  ReviewEventType,
  Role,
} from './review-types.ts';
import { buildSnapshot, type SnapshotInput } from './session-snapshot.ts';

/** Everything a session is made of; the session takes ownership of room and recorder. */
export interface ReviewSessionOptions {
  review: Review;
  room: Room;
  recorder: ReviewRecorderPort;
  store: ReviewStore;
  limitSeconds: number;
  warningsSeconds: readonly number[];
  /** ICE servers and policy for a connection's browser transports. */
  browserIce(peerId: string, nowMs: number): BrowserIce;
  /**
   * The seat each person last held in the review's earlier sessions, by
   * personId (seat-history.ts); empty for a review's first session.
   */
  lastSeats?: ReadonlyMap<string, SeatState>;
  logger: Logger;
  /** Milliseconds since epoch; Date.now by default. */
  now?: () => number;
  timers?: ClockTimers;
}

/** What the session tells its owner. */
export interface ReviewSessionEvents {
  /**
   * The session is over: the review ended, or the session closed under it
   * (shutdown, media failure) and the review goes on in a later session.
   */
  closed: [reason: string];
}

/** Why a connection's seat was closed by the server. */
type ClosedBy = 'removed' | 'refused' | 'replaced';

/** The live side of one review. */
export class ReviewSession extends EventEmitter<ReviewSessionEvents> {
  readonly reviewId: string;
  readonly #review: Review;
  readonly #room: Room;
  readonly #recorder: ReviewRecorderPort;
  readonly #store: ReviewStore;
  readonly #options: ReviewSessionOptions;
  readonly #now: () => number;
  readonly #clock: ReviewClock;
  readonly #log: Logger;
  /** Seats by personId: one per person, ever. */
  readonly #participants = new Map<string, Participant>();
  /** personId by the peerId of each open connection. */
  readonly #connections = new Map<string, string>();
  readonly #earlierSeats: ReadonlyMap<string, SeatState>;
  #lastRecording: RecorderStatus;
  #finishing: Promise<void> | undefined;
  /** The chair's end is claimed; it begins on the next turn. */
  #endAsked = false;

  constructor(options: ReviewSessionOptions) {
    super();
    this.reviewId = options.review.reviewId;
    this.#review = { ...options.review };
    this.#room = options.room;
    this.#recorder = options.recorder;
    this.#store = options.store;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#log = options.logger.child({ reviewId: this.reviewId });
    this.#clock = new ReviewClock({
      limitSeconds: options.limitSeconds,
      warningsSeconds: options.warningsSeconds,
      now: this.#now,
      ...(options.timers ? { timers: options.timers } : {}),
      onWarning: (secondsLeft, endsAt) => this.#warn(secondsLeft, endsAt),
      onLimit: () => void this.end('time-limit'),
    });
    this.#lastRecording = options.recorder.status();
    this.#earlierSeats = options.lastSeats ?? new Map();

    this.#recorder.on('status', (status) => this.#onRecorderStatus(status));
    this.#room.on('close', (reason) => this.#onRoomClosed(reason));

    // A live review whose session closed under it (worker death, restart,
    // crash) resumes its clock from the chair's start, with no time added:
    // if the limit has passed it ends now.
    if (this.#review.state === 'live' && this.#review.startedAt) {
      this.#clock.start(Date.parse(this.#review.startedAt));
      this.#recordLater('session-resumed', undefined, {
        startedAt: this.#review.startedAt,
        endsAt: new Date(this.#clock.endsAt as number).toISOString(),
      });
    }
  }

  /** Roles of the people connected right now (lobby or room), for metrics. */
  connectedRoles(): Role[] {
    return [...this.#participants.values()]
      .filter((participant) => participant.channel !== undefined)
      .map((participant) => participant.person.role);
  }

  /** The review's current state. */
  get state(): Review['state'] {
    return this.#review.state;
  }

  /** Whether the session is over or on its way out. */
  get finished(): boolean {
    return this.#finishing !== undefined;
  }

  /** Resolves once a finishing session has closed ('closed' emitted); undefined before. */
  get whenFinished(): Promise<void> | undefined {
    return this.#finishing;
  }

  /** Seats a new connection for `person`, taking over any older one. */
  async join(person: Person, channel: PeerChannel): Promise<{ peerId: string }> {
    this.#assertOpen();

    const previous = this.#participants.get(person.personId);
    const earlierSeat = this.#earlierSeats.get(person.personId);
    const returning = previous !== undefined || earlierSeat !== undefined;
    // A connection still seated here was lost without the server noticing yet
    // (or the person opened a second window): when it was last heard from
    // bounds how long they were really away, for a dispute.
    const replacedConnection = previous?.channel && {
      replacedPeerId: previous.peerId,
      lastHeardAt: new Date(previous.channel.lastHeardAt()).toISOString(),
    };
    const replaced = replacedConnection !== undefined;
    if (previous) this.#detach(previous, 'replaced');

    const peerId = randomUUID();
    const media = this.#room.addPeer(peerId);
    const participant: Participant = {
      person,
      seat: seatOnReturn(person.role, previous?.seat ?? earlierSeat),
      peerId,
      channel,
      media,
      hasJoined: true,
    };
    media.on('producerclose', (producerId) => this.#onProducerClosed(producerId));
    // A media outage under a live socket is part of how long a person was
    // really there, as much as a dropped connection.
    media.on('mediainterrupted', (change) =>
      this.#recordLater('media-interrupted', person.personId, { peerId, ...change }),
    );
    media.on('mediarestored', (change) =>
      this.#recordLater('media-restored', person.personId, { peerId, ...change }),
    );
    this.#participants.set(person.personId, participant);
    this.#connections.set(peerId, person.personId);

    this.#log.info(
      {
        peerId,
        personId: person.personId,
        role: person.role,
        seat: participant.seat,
        replaced,
      },
      returning ? 'participant returned' : 'participant joined',
    );
    try {
      if (this.#review.state === 'scheduled') await this.#changeState({ state: 'lobby' });
      await this.#record(returning ? 'rejoin' : 'join', person.personId, {
        peerId,
        seat: participant.seat,
        replaced,
        ...replacedConnection,
      });
    } catch (err) {
      // The caller closes the socket without listening to it: leave no seat
      // that looks connected with nobody behind it.
      this.#detach(participant, undefined);
      throw err;
    }

    this.#broadcastSnapshot();

    return { peerId };
  }

  /** A connection closed: 'leave' when the browser said goodbye, 'drop' otherwise. */
  disconnected(peerId: string, kind: 'leave' | 'drop', detail: string): void {
    const participant = this.#connection(peerId);
    // Connections the server closed itself were detached already.
    if (!participant || this.finished) return;

    this.#detach(participant, undefined);
    if (kind === 'leave') participant.seat = 'left';

    this.#log.info(
      { peerId, personId: participant.person.personId, detail },
      `participant ${kind}`,
    );
    this.#recordLater(kind, participant.person.personId, { peerId, detail });
    this.#broadcastSnapshot();
  }

  /** The server's time for a connection's clock sync, ms since epoch. */
  serverNow(peerId: string): number {
    this.#requireConnection(peerId);

    return this.#now();
  }

  /** The snapshot for one connection. */
  snapshotFor(peerId: string): SessionSnapshot {
    return buildSnapshot(this.#snapshotInput(), this.#requireConnection(peerId));
  }

  /** The attestee (or the room device, in person) agrees to be recorded. */
  async giveConsent(peerId: string): Promise<void> {
    const participant = this.#requireConnection(peerId);
    if (participant.person.role !== this.#consentingRole()) {
      throw new AppError('FORBIDDEN', 'Only the attestee gives consent');
    }
    if (this.#review.consentAt) return;

    this.#review.consentAt = new Date(this.#now()).toISOString();
    await this.#store.recordConsent(this.reviewId, this.#review.consentAt);
    await this.#record('consent', participant.person.personId);
    this.#broadcastSnapshot();
  }

  /** The router's capabilities, for the browser's mediasoup Device. */
  capabilities(peerId: string): RtpCapabilities {
    this.#requireAdmitted(peerId);

    return this.#room.rtpCapabilities;
  }

  /** A transport for the browser to send or receive on. */
  async createTransport(peerId: string, direction: Direction): Promise<TransportParams> {
    const { media } = this.#requireAdmitted(peerId);
    const transport = await media.createTransport(direction);

    return { ...transport, ...this.#options.browserIce(peerId, this.#now()) };
  }

  /**
   * The pre-flight's media probe of a connection waiting in the lobby or in
   * the room: its track never reaches anyone, the recorder or a snapshot.
   */
  mediaProbe(peerId: string): ProbeControls {
    const participant = this.#requireConnection(peerId);
    if (
      !participant.media ||
      (participant.seat !== 'lobby' && participant.seat !== 'admitted')
    ) {
      throw new AppError('INVALID_STATE', 'Only a seated connection can test its media');
    }

    return participant.media;
  }

  /** Passes the browser's DTLS parameters to its transport. */
  async connectTransport(
    peerId: string,
    transportId: string,
    dtls: DtlsParameters,
  ): Promise<void> {
    await this.#requireAdmitted(peerId).media.connectTransport(transportId, dtls);
  }

  /** New ICE credentials for a transport whose connection broke. */
  async restartIce(peerId: string, transportId: string): Promise<IceParameters> {
    return this.#requireAdmitted(peerId).media.restartIce(transportId);
  }

  /** The browser's word that a transport it restarted is connected again. */
  mediaRestored(peerId: string, transportId: string): void {
    this.#requireAdmitted(peerId).media.reportRestored(transportId);
  }

  /** Receives a track from an admitted browser; it is recorded and offered to the others. */
  async produce(
    peerId: string,
    input: {
      transportId: string;
      kind: MediaKind;
      rtpParameters: RtpParameters;
      source: MediaSource;
    },
  ): Promise<{ producerId: string }> {
    const participant = this.#requireAdmitted(peerId);
    if (participant.person.role === this.#consentingRole() && !this.#review.consentAt) {
      throw new AppError(
        'INVALID_STATE',
        'Consent to the recording is needed before sending media',
      );
    }

    const producer = await participant.media.produce(input);
    const producerId = producer.id;

    for (const other of this.#participants.values()) {
      if (other === participant || !isPresent(other)) continue;
      other.channel?.send('producer:added', {
        producerId,
        peerId,
        source: input.source,
        kind: input.kind,
      });
    }
    this.#broadcastSnapshot();

    const { person } = participant;
    const info = {
      peerId,
      personId: person.personId,
      displayName: person.displayName,
      role: person.role,
      source: input.source,
    };
    this.#recorder.addTrack(producer, info).catch((err: unknown) => {
      this.#log.error({ err, producerId }, 'recorder could not add the track');
      this.#broadcast('notice', { code: 'RECORDING_FAILED', level: 'error' });
    });

    return { producerId };
  }

  /** Stops one of the browser's own tracks. */
  closeProducer(peerId: string, producerId: string): void {
    this.#requireAdmitted(peerId).media.closeProducer(producerId);
  }

  /** Pauses or resumes one of the browser's own tracks. */
  async pauseProducer(
    peerId: string,
    producerId: string,
    paused: boolean,
  ): Promise<void> {
    await this.#requireAdmitted(peerId).media.setProducerPaused(producerId, paused);
    this.#broadcastSnapshot();
  }

  /** Sends another participant's track to this browser, paused until it asks to resume. */
  async consume(
    peerId: string,
    input: { transportId: string; producerId: string; rtpCapabilities: RtpCapabilities },
  ): Promise<ConsumerParams> {
    const { media } = this.#requireAdmitted(peerId);
    const found = this.#room.findProducer(input.producerId);
    if (!found) throw new AppError('NOT_FOUND', 'No such track');

    const consumer = await media.consume(input);

    return {
      consumerId: consumer.id,
      producerId: found.producer.id,
      peerId: found.peer.peerId,
      source: found.producer.appData.source as MediaSource,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
    };
  }

  /** Lets media flow on a consumer. */
  async resumeConsumer(peerId: string, consumerId: string): Promise<void> {
    await this.#requireAdmitted(peerId).media.resumeConsumer(consumerId);
  }

  /** Chair: lets a waiting person into the room (on their return, if they dropped). */
  async admit(chairPeerId: string, targetPeerId: string): Promise<void> {
    const chair = this.#requireChair(chairPeerId);
    const target = this.#requireTarget(targetPeerId);
    if (target.seat === 'admitted') return;
    if (target.seat !== 'lobby') {
      throw new AppError(
        'INVALID_STATE',
        'Only someone waiting in the lobby can be admitted',
      );
    }

    target.seat = 'admitted';
    await this.#record('admit', target.person.personId, { by: chair.person.personId });
    this.#broadcastSnapshot();
  }

  /** Chair: turns a waiting person away. */
  async refuse(chairPeerId: string, targetPeerId: string): Promise<void> {
    const chair = this.#requireChair(chairPeerId);
    const target = this.#requireTarget(targetPeerId);
    if (target.seat !== 'lobby') {
      throw new AppError(
        'INVALID_STATE',
        'Only someone waiting in the lobby can be refused',
      );
    }

    target.seat = 'refused';
    this.#detach(target, 'refused');
    await this.#record('refuse', target.person.personId, { by: chair.person.personId });
    this.#broadcastSnapshot();
  }

  /** Chair: pauses a participant's microphone on the server and tells them. */
  async mute(chairPeerId: string, targetPeerId: string): Promise<void> {
    const chair = this.#requireChair(chairPeerId);
    const target = this.#requireTarget(targetPeerId);
    if (!target.channel)
      throw new AppError(
        'INVALID_STATE',
        'That person is not connected: nothing to mute',
      );
    if (target.seat !== 'admitted')
      throw new AppError('NOT_ADMITTED', 'That person is not in the room');

    const microphones = (target.media?.producers() ?? []).filter(
      (p) => p.appData.source === 'microphone',
    );
    await Promise.all(microphones.map((producer) => producer.pause()));

    target.channel?.send('peer:muted', { by: chair.person.personId });
    await this.#record('mute', target.person.personId, {
      by: chair.person.personId,
      producerIds: microphones.map((p) => p.id),
    });
    this.#broadcastSnapshot();
  }

  /** Chair: sends a participant out of the review. */
  async remove(chairPeerId: string, targetPeerId: string): Promise<void> {
    const chair = this.#requireChair(chairPeerId);
    const target = this.#requireTarget(targetPeerId);
    if (target === chair)
      throw new AppError('BAD_REQUEST', 'The chair cannot remove themselves');
    if (target.seat === 'removed') return;

    target.seat = 'removed';
    this.#detach(target, 'removed');
    await this.#record('remove', target.person.personId, { by: chair.person.personId });
    this.#broadcastSnapshot();
  }

  /**
   * Chair: starts the clock. Only with the attestee in the room, their consent
   * given, and the recorder writing every track it was given.
   */
  async start(chairPeerId: string): Promise<void> {
    const chair = this.#requireChair(chairPeerId);
    if (this.#review.state === 'live')
      throw new AppError('INVALID_STATE', 'The review has already started');

    const presentRole = this.#consentingRole();
    const attestee = [...this.#participants.values()].find(
      (p) => p.person.role === presentRole,
    );
    if (!isPresent(attestee)) {
      throw new AppError('INVALID_STATE', 'The attestee must be in the room to start');
    }
    if (!this.#review.consentAt) {
      throw new AppError(
        'INVALID_STATE',
        'The attestee has not consented to the recording',
      );
    }
    const recording = this.#recorder.status();
    if (!isRecordingEveryTrack(recording)) {
      throw new AppError(
        'RECORDING_NOT_READY',
        'The recording has not received media from every track',
        {
          details: {
            tracksWriting: recording.tracksWriting,
            tracksExpected: recording.tracksExpected,
          },
        },
      );
    }

    const startedAt = this.#now();
    await this.#changeState({
      state: 'live',
      startedAt: new Date(startedAt).toISOString(),
    });
    await this.#record('start', chair.person.personId);
    this.#clock.start(startedAt);
    this.#log.info(
      { endsAt: new Date(this.#clock.endsAt as number).toISOString() },
      'review started',
    );
    this.#broadcastSnapshot();
  }

  /** Chair: ends a live review before the limit. Resolves once the end is claimed. */
  async endEarly(chairPeerId: string): Promise<void> {
    const chair = this.#requireChair(chairPeerId);
    if (this.#review.state !== 'live')
      throw new AppError('INVALID_STATE', 'Only a live review can be ended');

    // Ending closes every connection; starting it on the next turn lets the chair's
    // acknowledgement leave first. It is claimed now, so that a close in the
    // meantime (the worker dies, the service shuts down) cannot turn the end
    // the chair was told of into an interruption.
    this.#endAsked = true;
    const nextTurn = new Promise<void>((resolve) => setImmediate(resolve));
    this.#finishing ??= nextTurn.then(() =>
      this.#finish('chair', () => this.#ended('chair', chair.person.personId)),
    );
  }

  /**
   * Operator: calls off a review that has not started. Everyone waiting is
   * shown that it was cancelled and their links stop working. A live review
   * is not cancelled: its chair ends it, so the record says who stopped it.
   */
  cancel(): Promise<void> {
    if (this.#review.state === 'live') {
      throw new AppError('INVALID_STATE', 'A live review is ended by its chair');
    }

    return this.end('cancelled');
  }

  /**
   * Ends the review for good (cancelled, when that is the reason): recording
   * finalised first, then media closed, then every browser told and
   * disconnected. Idempotent; never rejects.
   */
  end(reason: EndReason, personId?: string, detail?: string): Promise<void> {
    this.#finishing ??= this.#finish(reason, () => this.#ended(reason, personId, detail));

    return this.#finishing;
  }

  /** The state work of an end: clock stopped, end stored; the farewell it calls for. */
  async #ended(
    reason: EndReason,
    personId?: string,
    detail?: string,
  ): Promise<(channel: PeerChannel) => void> {
    const endedAt = this.#now();
    this.#clock.stop();
    await this.#persist(async () => {
      await this.#changeState({
        state: reason === 'cancelled' ? 'cancelled' : 'ended',
        endedAt: new Date(endedAt).toISOString(),
        endReason: reason,
      });
      await this.#record('end', personId, { reason, ...(detail ? { detail } : {}) });
    });

    return (channel) => channel.send('review:ended', { reason, endedAt });
  }

  /**
   * Closes the session without ending the review (its media worker died, or
   * the service shuts down): the recording is suspended, not sealed, and a
   * live review stays live. Browsers are told why before they are
   * disconnected, and come back with the same link to the review's next
   * session, whose clock runs on from the chair's start. The interruption is
   * stored, so a dispute can see the time lost. Idempotent; never rejects.
   */
  close(reason: string): Promise<void> {
    this.#finishing ??= this.#finish(reason, async () => {
      this.#clock.stop();
      await this.#persist(() =>
        this.#record('session-interrupted', undefined, {
          cause: reason,
          state: this.#review.state,
          connected: [...this.#participants.values()]
            .filter((participant) => participant.channel !== undefined)
            .map((participant) => participant.person.personId),
        }),
      );
      // Said at once: the recording is finalised before anyone is disconnected.
      const code = reason === WORKER_DIED ? 'MEDIA_UNAVAILABLE' : 'SERVER_CLOSING';
      this.#broadcast('notice', { code, level: 'warning' });

      return () => undefined;
    });

    return this.#finishing;
  }

  /**
   * The shared ending: state work, recorder, media, connections, in that
   * order. The recorder seals only when the review ended; a review that goes
   * on later keeps its recording open for the next session's recorder.
   */
  async #finish(
    reason: string,
    before: () => Promise<(channel: PeerChannel) => void>,
  ): Promise<void> {
    this.#log.info({ reason, state: this.#review.state }, 'review session finishing');
    const farewell = await before();

    try {
      const over = this.#review.state === 'ended' || this.#review.state === 'cancelled';
      await (over ? this.#recorder.stop(reason) : this.#recorder.suspend(reason));
    } catch (err) {
      this.#log.error({ err }, 'recording did not finalise cleanly');
    }

    this.#room.close(reason);
    for (const participant of this.#participants.values()) {
      const { channel } = participant;
      this.#detach(participant, undefined);
      if (!channel) continue;

      farewell(channel);
      channel.disconnect();
    }

    this.#log.info({ reason }, 'review session finished');
    this.emit('closed', reason);
  }

  /** Runs store writes whose failure must not stop the ending; logs ours. */
  async #persist(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.#log.error({ err }, 'could not store how the session finished');
    }
  }

  #warn(secondsLeft: number, endsAt: number): void {
    this.#log.info({ secondsLeft }, 'time warning');
    this.#broadcast('clock:warning', { secondsLeft, endsAt });
    this.#recordLater('warning', undefined, { secondsLeft });
  }

  #onProducerClosed(producerId: string): void {
    this.#recorder.removeTrack(producerId);
    if (this.finished) return;

    this.#broadcast('producer:closed', { producerId });
    this.#broadcastSnapshot();
  }

  #onRecorderStatus(status: RecorderStatus): void {
    const previous = this.#lastRecording;
    this.#lastRecording = { ...status };
    if (this.finished) return;

    if (status.state === 'degraded' && previous.state !== 'degraded') {
      this.#log.error({ status }, 'recording degraded');
      this.#recordLater('recording-degraded', undefined, { ...status });
      this.#broadcast('notice', { code: 'RECORDING_DEGRADED', level: 'error' });
    }
    if (status.state !== 'degraded' && previous.state === 'degraded') {
      this.#log.info({ status }, 'recording restored');
      this.#recordLater('recording-restored', undefined, { ...status });
    }
    this.#broadcastSnapshot();
  }

  #onRoomClosed(reason: string): void {
    if (this.finished) return;

    this.#log.error({ reason }, 'media room closed under a running review');
    void this.close(reason);
  }

  /** Takes the connection off a seat; tells the browser why when `closedBy` is given. */
  #detach(participant: Participant, closedBy: ClosedBy | undefined): void {
    const { channel, peerId } = participant;
    this.#connections.delete(peerId);
    participant.channel = undefined;
    participant.media = undefined;
    this.#room.removePeer(peerId, closedBy ?? 'disconnected');

    if (channel && closedBy) {
      channel.send('peer:closed', { reason: closedBy });
      channel.disconnect();
    }
  }

  #consentingRole(): Role {
    return this.#review.format === 'in-person' ? 'room-device' : 'attestee';
  }

  #snapshotInput(): SnapshotInput {
    return {
      review: this.#review,
      participants: [...this.#participants.values()],
      clock: {
        serverNow: this.#now(),
        startedAt: this.#clock.startedAt,
        endsAt: this.#clock.endsAt,
        limitSeconds: this.#options.limitSeconds,
      },
      recording: this.#lastRecording,
    };
  }

  #broadcastSnapshot(): void {
    const input = this.#snapshotInput();
    for (const participant of this.#participants.values()) {
      participant.channel?.send('session:snapshot', buildSnapshot(input, participant));
    }
  }

  #broadcast<E extends keyof ServerToClientEvents>(
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    for (const participant of this.#participants.values()) {
      participant.channel?.send(event, ...args);
    }
  }

  async #changeState(change: Parameters<ReviewStore['changeState']>[1]): Promise<void> {
    Object.assign(this.#review, change);
    await this.#store.changeState(this.reviewId, change);
  }

  async #record(
    type: ReviewEventType,
    personId?: string,
    data?: Record<string, unknown>,
  ): Promise<void> {
    await this.#store.appendEvent(this.reviewId, {
      at: new Date(this.#now()).toISOString(),
      type,
      ...(personId ? { personId } : {}),
      ...(data ? { data } : {}),
    });
  }

  #recordLater(
    type: ReviewEventType,
    personId?: string,
    data?: Record<string, unknown>,
  ): void {
    this.#record(type, personId, data).catch((err: unknown) => {
      this.#log.error({ err, type }, 'could not store a review event');
    });
  }

  #assertOpen(): void {
    const { state } = this.#review;
    if (state === 'ended' || state === 'cancelled' || this.#endAsked) {
      throw new AppError('REVIEW_ENDED', 'This review has ended');
    }
    if (this.finished)
      throw new AppError(
        'MEDIA_UNAVAILABLE',
        'This review is closing; join again shortly',
      );
  }

  #connection(peerId: string): Participant | undefined {
    const personId = this.#connections.get(peerId);

    return personId === undefined ? undefined : this.#participants.get(personId);
  }

  #requireConnection(peerId: string): Participant {
    this.#assertOpen();
    const participant = this.#connection(peerId);
    if (!participant)
      throw new AppError('INVALID_STATE', 'This connection no longer holds a seat');

    return participant;
  }

  #requireAdmitted(
    peerId: string,
  ): Participant & { media: NonNullable<Participant['media']> } {
    const participant = this.#requireConnection(peerId);
    if (participant.seat !== 'admitted' || !participant.media) {
      throw new AppError('NOT_ADMITTED', 'Wait until the chair admits you');
    }

    return participant as Participant & { media: NonNullable<Participant['media']> };
  }

  #requireChair(peerId: string): Participant {
    const participant = this.#requireConnection(peerId);
    if (participant.person.role !== 'chair')
      throw new AppError('FORBIDDEN', 'Only the chair can do this');

    return participant;
  }

  /**
   * The seat a chair action is aimed at, by the peerId the snapshot shows for it.
   * A seat keeps its last peerId while its holder is away, so the chair can still
   * decide about someone whose connection dropped; that decision holds on return.
   */
  #requireTarget(peerId: string): Participant {
    const target = [...this.#participants.values()].find((p) => p.peerId === peerId);
    if (!target) throw new AppError('NOT_FOUND', 'No such participant');

    return target;
  }
}
