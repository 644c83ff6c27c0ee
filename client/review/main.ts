/**
 * Entry point of the review page (join.html): picks the language, builds the
 * page frame (title, language switch, notices) and starts the review app.
 */
import { createDomText } from '../i18n/dom-text.ts';
import { createLanguagePicker, rememberedLanguage } from '../i18n/language-picker.ts';
import { reviewMessages } from '../i18n/review-messages/index.ts';
import { createTranslator } from '../i18n/translator.ts';
import { installDebugHandle } from './debug-handle.ts';
import { element } from './dom.ts';
import { NoticeArea } from './notices.ts';
import { ReviewApp } from './review-app.ts';
import { tokenFromLocation } from './session-api.ts';
import './style.css';

const remembered = rememberedLanguage(window.localStorage);
const translator = createTranslator(reviewMessages, {
  preferred: [...(remembered ? [remembered] : []), ...navigator.languages],
});
const text = createDomText(translator, document);

const title = element('span', { className: 'app-title' });
text.set(title, 'app.title');
const languageLabel = element('label', { className: 'language' });
const languageName = element('span');
text.set(languageName, 'language.label');
languageLabel.append(
  languageName,
  createLanguagePicker(
    translator,
    (language) => translator.t(`language.${language}`),
    window.localStorage,
  ),
);

const notices = new NoticeArea(text);
const screen = element('main', { testId: 'screen' });
document.body.append(
  element('header', { className: 'page-header' }, title, languageLabel),
  notices.element,
  screen,
);

const updateTitle = (): void => {
  document.title = translator.t('app.title');
};
updateTitle();
translator.onChange(updateTitle);

const app = new ReviewApp(screen, text, notices, tokenFromLocation(window.location.hash));
installDebugHandle({
  screen: () => app.screen,
  snapshot: () => app.snapshot,
  consumerFigures: () => app.consumerFigures(),
  sentVideoSizes: () => app.sentVideoSizes(),
  recovery: () => app.recovery(),
  mediaPath: () => app.mediaPathFigures(),
});
app.start().catch((err: unknown) => {
  console.error('review page failed to start', err);
});
