/**
 * The chair's panel: the waiting room with admit and refuse for each entry,
 * the start button (enabled only when the attestee is present and every track
 * is recorded) and ending the review early. Only the chair's page builds it.
 *
 * Someone whose connection dropped while waiting stays listed, marked as
 * disconnected, with both decisions still offered: the server keeps the
 * decision for their return, so a chair who has checked who it is can admit
 * them straight into the room instead of making them wait a second time.
 */
import type { SessionSnapshot } from '../../server/signalling/protocol.ts';
import type { ChairActions } from './chair-actions.ts';
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';
import { startReadiness } from './start-readiness.ts';

export class ChairPanel {
  /** The panel's root element. */
  readonly element: HTMLElement;
  readonly #text: ReviewText;
  readonly #actions: ChairActions;
  readonly #lobbyList = element('ul', { testId: 'lobby-list' });
  readonly #startButton = element('button', { testId: 'start' });
  readonly #readiness = element('p', { testId: 'start-readiness' });
  readonly #endButton = element('button', { testId: 'end', className: 'danger' });

  constructor(text: ReviewText, actions: ChairActions) {
    this.#text = text;
    this.#actions = actions;

    const heading = element('h2');
    text.set(heading, 'chair.heading');
    const lobbyHeading = element('h3');
    text.set(lobbyHeading, 'chair.lobby');

    text.set(this.#startButton, 'chair.start');
    this.#startButton.disabled = true;
    this.#startButton.addEventListener('click', () => {
      this.#startButton.disabled = true;
      actions.start();
    });

    text.set(this.#endButton, 'chair.end');
    this.#endButton.hidden = true;
    this.#endButton.addEventListener('click', () => {
      if (window.confirm(text.t('chair.endConfirm'))) actions.end();
    });

    this.element = element(
      'aside',
      { testId: 'chair-panel', className: 'chair-panel' },
      heading,
      lobbyHeading,
      this.#lobbyList,
      this.#startButton,
      this.#readiness,
      this.#endButton,
    );
  }

  /** Redraws the waiting room and the start/end controls from a snapshot. */
  update(snapshot: SessionSnapshot): void {
    this.#renderLobby(snapshot);

    const readiness = startReadiness(snapshot);
    const live = snapshot.state === 'live';
    this.#startButton.hidden = live;
    this.#startButton.disabled = !readiness.ready;
    this.#readiness.hidden = live;
    this.#text.set(this.#readiness, readiness.ready ? 'chair.ready' : 'chair.notReady', {
      writing: readiness.tracksWriting,
      expected: readiness.tracksExpected,
    });
    this.#endButton.hidden = !live;
  }

  #renderLobby(snapshot: SessionSnapshot): void {
    const waiting = snapshot.participants.filter((p) => p.seat === 'lobby');
    if (waiting.length === 0) {
      const empty = element('li', { className: 'muted' });
      this.#text.set(empty, 'chair.lobbyEmpty');
      this.#lobbyList.replaceChildren(empty);
      return;
    }

    this.#lobbyList.replaceChildren(
      ...waiting.map((participant) => {
        const name = element('span');
        this.#text.set(name, 'room.participant', {
          name: participant.displayName,
          role: { key: `role.${participant.role}` },
        });
        const admit = element('button', { testId: 'admit' });
        this.#text.set(admit, 'chair.admit');
        admit.addEventListener('click', () => this.#actions.admit(participant.peerId));
        const refuse = element('button', { testId: 'refuse', className: 'danger' });
        this.#text.set(refuse, 'chair.refuse');
        refuse.addEventListener('click', () => this.#actions.refuse(participant.peerId));

        const entry = element(
          'li',
          {
            testId: 'lobby-entry',
            data: {
              role: participant.role,
              peerId: participant.peerId,
              connected: String(participant.connected),
            },
          },
          name,
          admit,
          refuse,
        );
        if (!participant.connected) {
          const away = element('span', {
            testId: 'lobby-disconnected',
            className: 'lobby-status',
          });
          this.#text.set(away, 'chair.lobbyDisconnected');
          entry.append(away);
        }

        return entry;
      }),
    );
  }
}
