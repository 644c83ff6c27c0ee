/**
 * Chromium for browser tests: the system's /usr/bin/chromium driven by
 * playwright-core, with fake camera, microphone and screen, and WebRTC allowed
 * over loopback (the tests run in a loopback-only network namespace).
 * One browser context per person, so each has its own storage and devices.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { passPreflight, type ReviewPage } from './review-page.ts';
import { linkFor, type JoinLink } from './review-service.ts';

/** The system browser; playwright's own downloads are never used. */
const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A synthetic camera (moving pattern) and microphone (beeps), granted without prompts.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  // getDisplayMedia picks the whole (virtual) screen without a picker.
  '--auto-select-desktop-capture-source=Entire screen',
  '--enable-usermedia-screen-capturing',
];

/** Launches the browser; the caller registers `browser.close()` right away. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** One person's Chromium window: its own context and page, driven as a ReviewPage. */
export interface PersonPage extends ReviewPage {
  context: BrowserContext;
  page: Page;
}

/** Opens a fresh context and page for `name`, in the given UI language. */
export async function openPersonPage(
  browser: Browser,
  name: string,
  options: { locale?: string } = {},
): Promise<PersonPage> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
  });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (message) =>
    consoleLines.push(`[${message.type()}] ${message.text()}`),
  );
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));

  return {
    name,
    browserName: 'chromium',
    consoleLines,
    context,
    page,
    goto: async (url) => {
      await page.goto(url);
    },
    reload: async () => {
      await page.reload();
    },
    evaluate: (read) => page.evaluate(read),
    click: (selector) => page.locator(selector).click(),
    waitFor: (selector, timeoutMs) =>
      page.locator(selector).first().waitFor({ timeout: timeoutMs }),
    screenshot: async (file) => {
      await page.screenshot({ path: file });
    },
  };
}

/**
 * Opens the chair's and the attestee's pages on their links, takes both
 * through the pre-flight (the attestee consents) and has the chair admit the
 * attestee into the room.
 */
export async function seatChairAndAttestee(
  browser: Browser,
  links: JoinLink[],
): Promise<{ chair: PersonPage; attestee: PersonPage }> {
  const chair = await openPersonPage(browser, 'chair');
  await chair.goto(linkFor(links, 'chair'));
  await passPreflight(chair, false);
  const attestee = await openPersonPage(browser, 'attestee');
  await attestee.goto(linkFor(links, 'attestee'));
  await passPreflight(attestee, true);

  await chair.click('[data-testid=lobby-entry][data-role=attestee] [data-testid=admit]');
  await attestee.waitFor('[data-testid=room-screen]');

  return { chair, attestee };
}
