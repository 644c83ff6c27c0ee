/**
 * Entry point of the archive page (archive.html): picks the language, takes
 * the archivist key from the URL fragment (#token=…) or asks for it, then
 * shows search, the chosen recording and the audit log.
 */
import { createDomText } from '../i18n/dom-text.ts';
import { createLanguagePicker, rememberedLanguage } from '../i18n/language-picker.ts';
import { createTranslator } from '../i18n/translator.ts';
import { element } from '../review/dom.ts';
import { ArchiveApi } from './archive-api.ts';
import { AuditPanel } from './audit-panel.ts';
import { archiveMessages } from './i18n/index.ts';
import { RecordingPanel } from './recording-panel.ts';
import { SearchPanel } from './search-panel.ts';
import { showFailure } from './page-text.ts';
import './archive.css';

/** The key lives for the tab only: closing it forgets the key. */
const TOKEN_STORAGE_KEY = 'sarapta.archive.token';

const remembered = rememberedLanguage(window.localStorage);
const translator = createTranslator(archiveMessages, {
  preferred: [...(remembered ? [remembered] : []), ...navigator.languages],
});
const text = createDomText(translator, document);
const language = (): string => translator.language;

const title = element('span', { className: 'app-title' });
text.set(title, 'app.title');
const languageName = element('span');
text.set(languageName, 'language.label');
const languageLabel = element(
  'label',
  { className: 'language' },
  languageName,
  createLanguagePicker(
    translator,
    (lang) => translator.t(`language.${lang}`),
    window.localStorage,
  ),
);
const main = element('main', { testId: 'screen' });
document.body.append(
  element('header', { className: 'page-header' }, title, languageLabel),
  main,
);

const updateTitle = (): void => {
  document.title = translator.t('app.title');
};
updateTitle();
translator.onChange(updateTitle);

const fromFragment = new URLSearchParams(window.location.hash.replace(/^#/, '')).get(
  'token',
);
if (fromFragment) {
  window.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromFragment);
  // Keeps the key out of the address bar and the history.
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

const stored = window.sessionStorage.getItem(TOKEN_STORAGE_KEY);
if (stored) void openArchive(stored);
else showTokenForm();

function showTokenForm(failure?: unknown): void {
  const heading = element('h2');
  text.set(heading, 'token.heading');
  const caption = element('span');
  text.set(caption, 'token.label');
  const field = element('input', { testId: 'token-input' });
  field.type = 'password';
  field.autocomplete = 'off';
  const submit = element('button', { testId: 'token-submit' });
  submit.type = 'submit';
  text.set(submit, 'token.open');
  const message = element('p', { testId: 'token-message', className: 'message' });
  if (failure) showFailure(text, message, failure);

  const form = element(
    'form',
    { testId: 'token-form', className: 'panel' },
    heading,
    element('label', {}, caption, field),
    submit,
    message,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.sessionStorage.setItem(TOKEN_STORAGE_KEY, field.value.trim());
    void openArchive(field.value.trim());
  });
  main.replaceChildren(form);
}

async function openArchive(token: string): Promise<void> {
  const api = new ArchiveApi(token);
  try {
    // The first search doubles as the access check: a join token is refused here.
    await api.search({});
  } catch (err) {
    window.sessionStorage.removeItem(TOKEN_STORAGE_KEY);
    showTokenForm(err);
    return;
  }

  const recording = new RecordingPanel(api, text, language);
  const audit = new AuditPanel(api, text, language);
  const search = new SearchPanel(
    api,
    text,
    language,
    (reviewId) => void recording.show(reviewId),
  );
  main.replaceChildren(
    element('div', { className: 'layout' }, search.element, recording.element),
    audit.element,
  );
  await search.refresh();
}
