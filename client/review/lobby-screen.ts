/** The waiting room: shown until the chair admits the person. */
import { element } from './dom.ts';
import type { ReviewText } from './review-text.ts';

/** The lobby message. */
export function renderLobby(text: ReviewText): HTMLElement {
  const heading = element('h1');
  text.set(heading, 'lobby.heading');
  const waiting = element('p');
  text.set(waiting, 'lobby.waiting');

  return element('section', { testId: 'lobby-screen' }, heading, waiting);
}
